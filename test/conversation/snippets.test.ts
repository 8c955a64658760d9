import { describe, expect, it } from 'vitest';
import { answerDocument } from '../../src/conversation/answer-document.js';
import { topicReply } from '../../src/conversation/topic-reply.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import type { Classification, IntentClassifier } from '../../src/nlu/types.js';

const kb = loadKnowledgeBase();
const hourly = kb.byId.get('ikev2-hourly-drop')!;

const classifier: IntentClassifier = {
  async classify(): Promise<Classification> {
    return {
      kind: 'topic',
      topic: hourly.id,
      confidence: 0.9,
      alternatives: [],
      entities: { ipv4: [], cidrs: [], fqdns: [], durations: [], ikeVersion: null, ports: [], protocols: [], vendors: [], signatures: [] },
      engine: 'local',
    };
  },
};

describe('platform snippets in answers', () => {
  it('passes every step snippet into the reply model, next to the universal commands', () => {
    const r = topicReply(kb, hourly, { allSteps: true });
    expect(r.steps).toEqual(
      hourly.steps.map((s) => ({
        text: s.action,
        ...(s.commands ? { commands: s.commands } : {}),
        ...(s.snippets ? { snippets: s.snippets } : {}),
      })),
    );
    expect(r.steps[1]!.snippets!.map((s) => s.platform)).toContain('FortiGate');
  });

  it('carries the snippets in the ask --json document', async () => {
    const doc = await answerDocument(kb, classifier, 'tunnel drops every hour');
    expect(doc.steps).toEqual(hourly.steps);
    const json = JSON.parse(JSON.stringify(doc)) as { steps: { snippets?: { platform: string; kind: string; lines: string[] }[] }[] };
    expect(json.steps[0]!.snippets).toContainEqual({ platform: 'Windows', kind: 'shell', lines: ['ping -t <DNS_SERVER_PRIVATE_IP>'] });
  });
});
