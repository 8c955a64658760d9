import type { Topic } from '../knowledge/schema.js';
import type { KnowledgeBase } from '../knowledge/loader.js';
import { reply, type Reply, type ReplyAction } from '../reply/reply.js';

/** How many steps an answer shows before "Show all steps": enough to act on, short enough to read in chat. */
export const STEPS_SHOWN = 5;

/** Topics whose advice a connectivity check can confirm or rule out, so their answers offer "Run checks". */
const CHECKABLE_TOPICS = new Set([
  'testing-connectivity',
  'ping-cloud-dns',
  'dns-conditional-forwarder',
  'connect-from-internal-network',
  'keep-traffic-flowing',
  'dpd-idle-instability',
  'reset-tunnels-request',
  'ping-front-ends-blocked',
  'phase1-ike-failure',
  'phase1-behind-nat',
  'phase2-ipsec-failure',
  'further-assistance',
]);

export interface TopicReplyOptions {
  confidence?: number;
  answeredBy?: string;
  allSteps?: boolean;
  /** Prefilled `check ...` command when the conversation already named a host and DNS server. */
  checkCommand?: string;
  title?: string;
}

export function topicReply(kb: KnowledgeBase, topic: Topic, options: TopicReplyOptions = {}): Reply {
  const steps = topic.steps.map((s) => ({
    text: s.action,
    ...(s.commands ? { commands: s.commands } : {}),
    ...(s.snippets ? { snippets: s.snippets.map((sn) => ({ platform: sn.platform, kind: sn.kind, lines: [...sn.lines] })) } : {}),
  }));
  const shown = options.allSteps ? steps : steps.slice(0, STEPS_SHOWN);
  const hidden = steps.length - shown.length;

  const actions: ReplyAction[] = [];
  if (CHECKABLE_TOPICS.has(topic.id)) {
    actions.push({ id: 'run-checks', label: 'Run checks', command: options.checkCommand ?? 'check', style: 'primary' });
  }
  if (hidden > 0) actions.push({ id: 'more-steps', label: 'Show all steps', command: `topic ${topic.id} all` });
  actions.push(
    { id: 'fixed', label: 'Fixed it', command: 'fixed it' },
    { id: 'still-broken', label: 'Still broken', command: 'still broken', style: 'danger' },
    { id: 'support-case', label: 'Prepare support case', command: 'support case' },
  );

  return reply({
    kind: 'answer',
    title: options.title ?? topic.title,
    summary: topic.summary,
    section: topic.section,
    topic: topic.id,
    ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
    ...(options.answeredBy ? { answeredBy: options.answeredBy } : {}),
    steps: shown,
    ...(hidden > 0 ? { moreSteps: hidden } : {}),
    facts: topic.facts.map((f) => ({ label: f.label, value: f.value })),
    actions,
    followUps: topic.related
      .map((id) => kb.byId.get(id))
      .filter((t): t is Topic => t !== undefined)
      .slice(0, 3)
      .map((t) => t.title),
  });
}
