import { loadKnowledgeBase } from '../src/knowledge/loader.js';
import { topicReply } from '../src/conversation/topic-reply.js';
import { renderReply } from '../adapters/slack/render-blocks.js';
import { textSize } from '../adapters/slack/render-blocks.js';
const kb = loadKnowledgeBase();
let max = 0;
for (const t of kb.topics) {
  const p = renderReply(topicReply(kb, t, { allSteps: true }), { continuationToken: 'x' });
  const text = p[0]!.blocks.reduce((n, b) => n + textSize(b), 0);
  max = Math.max(max, text);
  console.log(t.id.padEnd(34), 'steps', String(t.steps.length).padStart(2), 'blocks', p[0]!.blocks.length, 'chars', text);
}
