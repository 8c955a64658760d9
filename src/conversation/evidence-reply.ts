import { analyzeText, MAX_ANALYZE_TEXT_BYTES, type AnalysisDocument } from '../evidence/analyze.js';
import type { LogDocument } from '../evidence/types.js';
import { redact, redactionNotice } from '../evidence/redact.js';
import { asReplyFinding, reply, type Reply, type ReplyStep } from '../reply/reply.js';
import type { Session } from './session.js';
import { configReply } from './config-reply.js';

/**
 * The latest analysis of each conversation, for the support-case draft. Kept beside the session (not in it)
 * so the session's shape stays the conversation core's; it goes when the session goes.
 */
const latest = new WeakMap<Session, Reply>();

export function latestAnalysis(session: Session): Reply | undefined {
  return latest.get(session);
}

/** Reads a pasted log or configuration in a conversation and remembers the result for the support case. */
export function analysePasted(text: string, session: Session): Reply {
  if (Buffer.byteLength(text) > MAX_ANALYZE_TEXT_BYTES) {
    return reply({
      kind: 'error',
      title: 'That paste is too large to read here',
      summary: `I read up to ${MAX_ANALYZE_TEXT_BYTES / 1024 / 1024} MB in a message. Paste the lines around the failure, or run: vpn-doctor analyze <file>`,
    });
  }
  const answer = analysisReply(analyzeText(text));
  // A secret pasted into a shared channel is exposed even if the reply never repeats it: say so.
  const pasted = redact(text).count;
  if (pasted > 0 && !(answer.notices ?? []).some((n) => n.includes('rotate')))
    answer.notices = [...(answer.notices ?? []), redactionNotice(pasted)];
  latest.set(session, answer);
  if (answer.topic) session.currentTopic = answer.topic;
  return answer;
}

/** Steps of the root cause shown; the rest are one "show all steps" away in the topic. */
const STEPS_SHOWN = 4;

const FAMILY_NAME: Record<string, string> = {
  strongswan: 'strongSwan (charon)',
  libreswan: 'Libreswan/Openswan (pluto)',
  'cisco-asa': 'Cisco ASA/FTD',
  'cisco-ios': 'Cisco IOS/IOS-XE',
  paloalto: 'Palo Alto PAN-OS',
  fortigate: 'FortiGate',
  'juniper-srx': 'Juniper SRX (kmd)',
  racoon: 'racoon',
  meraki: 'Cisco Meraki',
  mikrotik: 'MikroTik RouterOS',
  sonicwall: 'SonicWall',
  checkpoint: 'Check Point',
  azure: 'Azure VPN gateway',
  aws: 'AWS Site-to-Site VPN',
  unknown: 'an unrecognised format',
};

/** The Reply for an analysed log or configuration: root cause first, the lines relied on, the guide's steps. */
export function analysisReply(doc: AnalysisDocument): Reply {
  if (doc.kind === 'log') return logReply(doc);
  return configReply(doc);
}

function logReply(doc: LogDocument): Reply {
  const faults = doc.findings.filter((f) => f.severity !== 'info');
  const root = faults[0];
  const family = FAMILY_NAME[doc.family] ?? doc.family;
  const findings = doc.findings.map(asReplyFinding);
  const notices = [...doc.notices];
  if (!root) {
    const healthy = doc.verdict === 'healthy';
    return reply({
      kind: 'analysis',
      title: healthy ? `Log looks healthy (${family})` : `I cannot tell a cause from this log (${family})`,
      summary: healthy
        ? `${doc.stats.lines} lines read; the SAs come up, rekey and answer DPD as they should. Nothing in this log is a fault. If users still see a problem, run the connectivity checks.`
        : `${doc.stats.lines} lines read, ${doc.stats.recognised} recognised, none naming a cause. I will not guess.`,
      verdict: healthy ? 'healthy' : undefined,
      answer: healthy ? 'No fault in this log.' : null,
      findings,
      notices,
      followUps: ['run checks', 'support case'],
    });
  }
  const more =
    faults.length > 1
      ? ` Also seen later: ${faults
          .slice(1)
          .map((f) => f.code)
          .join(', ')}.`
      : '';
  const steps: ReplyStep[] = root.steps
    .slice(0, STEPS_SHOWN)
    .map((s) => ({ text: s.text, ...(s.commands ? { commands: s.commands } : {}), ...(s.snippets ? { snippets: s.snippets } : {}) }));
  return reply({
    kind: 'analysis',
    title: `Root cause: ${root.code} (${family} log)`,
    summary: `${root.summary}${more}`,
    section: root.section,
    topic: root.topic,
    verdict: 'down',
    answer: root.summary.split('. ')[0]!.replace(/\.?$/, '.'),
    steps,
    ...(root.steps.length > STEPS_SHOWN ? { moreSteps: root.steps.length - STEPS_SHOWN } : {}),
    findings,
    evidence: root.lines.map((l) => ({ label: `line ${l.n}`, target: '', outcome: l.text, ok: false })),
    notices,
    actions: [
      { id: 'topic', label: 'Show the guide section', command: `topic ${root.topic}` },
      { id: 'support-case', label: 'Prepare support case', command: 'support case' },
    ],
  });
}

/** Redacts a pasted text for echoing, with the notice when something was replaced. */
export function redactPasted(text: string): { text: string; notices: string[] } {
  const r = redact(text);
  return { text: r.text, notices: r.count > 0 ? [redactionNotice(r.count)] : [] };
}
