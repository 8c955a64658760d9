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

/** What linking needs of a knowledge base: its topics by id (a whole KnowledgeBase will do). */
export type TopicSource = Pick<KnowledgeBase, 'byId'>;

export function linkKnowledge(raw: RawFinding, kb: TopicSource | null): Finding {
  const topic = kb?.byId.get(raw.topic);
  if (topic) {
    return {
      ...raw,
      section: topic.section,
      steps: topic.steps.map((s) => ({
        action: s.action,
        ...(s.commands ? { commands: [...s.commands] } : {}),
        ...(s.snippets ? { snippets: s.snippets.map((sn) => ({ platform: sn.platform, kind: sn.kind, lines: [...sn.lines] })) } : {}),
      })),
    };
  }
  const section = FALLBACK_SECTION[raw.topic] ?? 'Further assistance';
  return { ...raw, section, steps: [{ action: `Follow the guide's section "${section}".` }] };
}

/**
 * The bundled knowledge topics a check's findings point at, and only those: `<id>.yaml` of the bundled
 * knowledge folder, read and validated as the loader does, at the moment the findings need them (a healthy
 * check reads none, and nothing is kept between checks, so an edited topic is seen by the next check).
 * A topic that is missing or invalid is left out, so its findings get the fallback section; the knowledge
 * base as a whole (cross-references, coverage) is `vpn-doctor kb check`'s business, not the check's.
 */
export async function loadBundledTopics(ids: Iterable<string>): Promise<TopicSource | null> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return { byId: new Map() };
  try {
    // Imported here, not at start-up: the loader brings the YAML parser, the heaviest import a check would
    // otherwise pay for.
    const { loadTopics } = await import('../knowledge/loader.js');
    return { byId: loadTopics(wanted) };
  } catch {
    // A missing knowledge folder must not stop a diagnosis: the findings keep their fallback sections.
    return null;
  }
}
