import { describe, expect, it } from 'vitest';
import { loadBundledTopics } from '../../src/diagnosis/knowledge-link.js';
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
