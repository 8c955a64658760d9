import type { KnowledgeBase } from '../knowledge/loader.js';
import type { GuideSection } from '../knowledge/schema.js';
import type { Finding } from './report.js';
import type { RawFinding } from './rules.js';

/**
 * Findings point at knowledge topics; their section and steps come from the knowledge base, so the
 * advice lives in one place (knowledge/*.yaml). The table below is only the fallback used when a topic
 * is missing from the loaded knowledge base: the finding still names the guide's section.
 */
const FALLBACK_SECTION: Record<string, GuideSection> = {
  'testing-connectivity': 'Common issues testing VPN connectivity',
  'phase1-ike-failure': 'Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail',
  'connect-from-internal-network': 'How can I connect to my OutSystems Cloud environments from my internal network?',
  'dns-conditional-forwarder': 'Naming resolution solutions (DNS resolution)',
  'ping-cloud-dns': 'Pinging OutSystems Cloud DNS servers',
  'full-cloud-ip-range': 'Why do I need to allow the full internal IP range of OutSystems Cloud in my firewall?',
  'keep-traffic-flowing': 'Establishing a stable connection',
};

export function linkKnowledge(raw: RawFinding, kb: KnowledgeBase | null): Finding {
  const topic = kb?.byId.get(raw.topic);
  if (topic) {
    return {
      ...raw,
      section: topic.section,
      steps: topic.steps.map((s) => ({ action: s.action, ...(s.commands ? { commands: [...s.commands] } : {}) })),
    };
  }
  const section = FALLBACK_SECTION[raw.topic] ?? 'Further assistance';
  return { ...raw, section, steps: [{ action: `Follow the guide's section "${section}".` }] };
}
