import { loadKnowledgeBase } from '../src/knowledge/loader.js';
import { createClassifier } from '../src/nlu/index.js';
const kb = loadKnowledgeBase();
const t0 = Date.now();
const c = await createClassifier(kb);
console.log('build ms', Date.now() - t0);
for (const q of ['tunnel drops every hour on IKEv2', 'still failing', 'nslookup gives me a public IP', 'phase 1 does not come up', 'hello', 'my printer is jammed', 'check acme-dev.outsystemsenterprise.com dns 10.0.0.2', 'problem with the phase']) {
  const r = await c.classify(q, { currentTopic: 'ikev2-hourly-drop' });
  console.log(q, '=>', r.kind, r.topic, r.confidence.toFixed(2));
}
