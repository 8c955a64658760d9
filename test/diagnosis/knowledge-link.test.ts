import { describe, expect, it } from 'vitest';
import { linkKnowledge, loadBundledTopics } from '../../src/diagnosis/knowledge-link.js';
import { FINDING_CODES, FindingSchema } from '../../src/diagnosis/report.js';
import { TOPIC_OF } from '../../src/diagnosis/rules.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';

describe('the bundled topics a check reads', () => {
  it('reads exactly the topics asked for, as the loader reads them', async () => {
    const kb = loadKnowledgeBase();
    const ids = [...new Set(Object.values(TOPIC_OF))];
    const some = await loadBundledTopics(ids);
    expect([...some!.byId.keys()].sort()).toEqual(ids.filter((id) => kb.byId.has(id)).sort());
    for (const id of some!.byId.keys()) expect(some!.byId.get(id)).toEqual(kb.byId.get(id));
  });

  it('reads nothing for a check without findings', async () => {
    expect((await loadBundledTopics([]))!.byId.size).toBe(0);
  });

  it('leaves out what is no topic file (unknown ids, paths)', async () => {
    const some = await loadBundledTopics(['no-such-topic', '../package', '/etc/passwd', 'testing-connectivity']);
    expect([...some!.byId.keys()]).toEqual(['testing-connectivity']);
  });
});

describe('findings carry the topic steps with their platform snippets', () => {
  it('copies commands and labelled snippets into the finding, and the check --json schema accepts them', async () => {
    const kb = loadKnowledgeBase();
    const topic = kb.byId.get('keep-traffic-flowing')!;
    const finding = linkKnowledge(
      { code: FINDING_CODES[0], severity: 'error', topic: topic.id, summary: 'Tunnel idle.', evidence: [] },
      kb,
    );
    expect(finding.steps).toEqual(
      topic.steps.map((s) => ({
        action: s.action,
        ...(s.commands ? { commands: s.commands } : {}),
        ...(s.snippets ? { snippets: s.snippets } : {}),
      })),
    );
    const pings = finding.steps[2]!.snippets!;
    expect(pings.map((s) => [s.platform, s.kind])).toEqual([
      ['Linux/macOS', 'shell'],
      ['Windows', 'shell'],
      ['Windows PowerShell', 'shell'],
    ]);
    // Copies, not the knowledge base's own arrays: a report can be changed without touching the topic.
    expect(pings[0]!.lines).not.toBe(topic.steps[2]!.snippets![0]!.lines);

    expect(FindingSchema.safeParse(finding).success).toBe(true);
    const bad = { ...finding, steps: [{ action: 'x', snippets: [{ platform: 'FortiGate', kind: 'gui', lines: ['end'] }] }] };
    expect(FindingSchema.safeParse(bad).success).toBe(false);
  });
});
