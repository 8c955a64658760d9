import { loadKnowledgeBase } from '../src/knowledge/loader.js';
import { createClassifier } from '../src/nlu/index.js';
const kb = loadKnowledgeBase();
const c = await createClassifier(kb);
for (const q of ['ipsec problem with the phase negotiation', 'vpn problem', 'tunnel is down', 'phase problem', 'negotiation fails', 'the vpn does not work', 'ike problem', 'tunnel not working', 'dns problem', 'routing issue', 'firewall issue', 'problem with phase 1 or phase 2', 'sa problem']) {
  const r = await c.classify(q);
  console.log(q, '=>', r.kind, r.topic, r.confidence.toFixed(2), r.alternatives.slice(0,2).map(a=>a.topic).join(','));
}
