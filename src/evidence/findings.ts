import type { KnowledgeBase } from '../knowledge/loader.js';
import { LOG_FINDING_TOPICS, type LogFindingCode } from '../knowledge/log-signatures.js';
import type { Policy } from '../knowledge/schema.js';
import { isEmpty, judgeProposal, readProposal, ranges, type ProposalJudgement } from './algorithms.js';
import type { FindingAcc, RawLine, ReaderResult } from './log-reader.js';
import { findPeriodicity } from './periodic.js';
import { redact, redactionNotice } from './redact.js';
import type { FindingStep, LogDocument, LogFinding, QuotedLine } from './types.js';

/** What each code means for the engineer, before the values of this log are added. */
const HEADLINE: Record<LogFindingCode, string> = {
  'ike-proposal-mismatch': 'Phase 1 (IKE) fails: the two sides have no proposal in common (encryption, integrity, DH group or mode).',
  'ike-no-response':
    'Phase 1 (IKE) gets no answer at all: UDP 500/4500 is blocked on the way, the peer address is wrong, or the peer is down.',
  'psk-mismatch': 'Authentication fails: the pre-shared key differs between your gateway and the cloud.',
  'ike-id-mismatch':
    'The peer identity (IKE ID) is not what the other side expects; behind NAT the gateway often sends its private IP as its ID.',
  'child-proposal-mismatch': 'Phase 2 (IPsec) fails: no ESP transform in common.',
  'pfs-mismatch': 'Phase 2 (IPsec) fails on PFS: one side requires Perfect Forward Secrecy (or another DH group) and the other does not.',
  'traffic-selector-mismatch': 'Phase 2 (IPsec) fails: the traffic selectors (proxy IDs, encryption domain) differ between the two sides.',
  'esp-not-received': 'The tunnel is up and your side encrypts and sends, but nothing comes back decrypted.',
  'dpd-peer-dead': 'Dead Peer Detection declared the peer dead and closed the tunnel.',
  'idle-teardown': 'The tunnel was closed because it was idle.',
  'rekey-collision': 'The tunnel breaks around a rekey (simultaneous or failed rekeys), typically the hourly phase-2 rekey with IKEv2.',
  'lifetime-mismatch': 'The two sides use different SA lifetimes.',
  'asymmetric-drop': 'Packets are dropped because replies come back by another path (tunnel or interface) than the one the flow left by.',
};

export interface BuildOptions {
  kb: KnowledgeBase;
  /** The reader saw latin1-decoded bytes: quoted text is turned back into UTF-8. */
  latin1?: boolean;
}

/** Turns what the reader gathered into the document: verdict, root cause first, summaries with values. */
export function buildLogDocument(r: ReaderResult, { kb, latin1 = false }: BuildOptions): LogDocument {
  const utf8 = (t: string): string => (latin1 && /[\u0080-\u00ff]/.test(t) ? Buffer.from(t, 'latin1').toString('utf8') : t);
  const policy = kb.requirements?.policy;
  const accs = [...r.findings];
  addPeriodicity(r, accs);
  // A lifetime mismatch that IKEv1 settled on the shorter value does not stop a tunnel: when the log also
  // shows an error, the error is the root cause and the lifetime comes after it.
  const hasError = accs.some((a) => a.severity === 'error');
  const rank = (a: FindingAcc) => (hasError && a.code === 'lifetime-mismatch' && a.severity === 'warning' ? 1 : 0);
  accs.sort((a, b) => rank(a) - rank(b) || a.firstN - b.firstN);

  let redactions = 0;
  const quote = (l: RawLine): QuotedLine => {
    const red = redact(utf8(l.text));
    redactions += red.count;
    return { n: l.n, text: red.text };
  };

  const findings: LogFinding[] = accs.map((acc) => {
    const topicId = LOG_FINDING_TOPICS[acc.code];
    const topic = kb.byId.get(topicId);
    const { summary, evidence } = describe(acc, r, policy);
    const lines = [...acc.lines, ...acc.context.filter((c) => !acc.lines.some((l) => l.n === c.n))].sort((a, b) => a.n - b.n).map(quote);
    return {
      code: acc.code,
      severity: acc.severity,
      topic: topicId,
      section: topic?.section ?? '',
      summary: redact(utf8(summary)).text,
      lines,
      evidence,
      steps: (topic?.steps ?? []).map((s): FindingStep => ({
        text: s.action,
        ...(s.commands ? { commands: s.commands } : {}),
        ...(s.snippets ? { snippets: s.snippets } : {}),
      })),
    };
  });

  const faults = findings.filter((f) => f.severity !== 'info');
  const verdict = faults.length > 0 ? 'fault' : r.normalEvents > 0 ? 'healthy' : 'unknown';
  const timeline = r.timeline.map((t) => {
    const red = redact(utf8(t.text));
    redactions += red.count;
    return { ...t, text: red.text };
  });
  const notices: string[] = [];
  if (verdict === 'unknown') {
    notices.push(
      r.recognised === 0
        ? `I do not recognise these ${r.lines} line${r.lines === 1 ? '' : 's'} as a VPN log I know (strongSwan, Libreswan, Cisco ASA/IOS, PAN-OS, FortiGate, Juniper SRX, racoon, Meraki, MikroTik, SonicWall, Check Point, WatchGuard, Azure, AWS), so I cannot name a cause. Paste the IKE/IPsec lines around the failure.`
        : 'The lines I recognise say what happened but not why: they name no cause. Paste more of the log around the failure (the negotiation before it).',
    );
  }
  if (r.idleSas.count > 0 && verdict !== 'fault') {
    notices.push(
      `${r.idleSas.count === 1 ? 'An SA shows' : `${r.idleSas.count} SAs show`} no packet in either direction (line ${r.idleSas.line?.n ?? '?'}): the tunnel is up but idle, nothing has been sent into it yet. That is not a fault: send traffic from a host inside your encryption domain to the OutSystems range and read the counters again; encrypted without decrypted then means ESP does not come back.`,
    );
  }
  if (redactions > 0) notices.push(redactionNotice(redactions));
  return {
    kind: 'log',
    family: r.family ?? 'unknown',
    verdict,
    findings,
    timeline,
    stats: { lines: r.lines, recognised: r.recognised, timelineDropped: r.timelineDropped, redactions },
    notices,
  };
}

function addPeriodicity(r: ReaderResult, accs: FindingAcc[]): void {
  const p = findPeriodicity(r.downTimes.map((d) => d.seconds));
  if (!p) return;
  const code: LogFindingCode = p.kind === 'hourly' ? 'rekey-collision' : 'lifetime-mismatch';
  if (accs.some((a) => a.code === code)) return;
  const first = r.downTimes[0]!;
  const minutes = Math.round(p.interval / 60);
  accs.push({
    code,
    severity: 'warning',
    firstN: first.n,
    count: p.drops,
    lines: r.downTimes.slice(0, 4).map((d) => ({ n: d.n, text: d.text })),
    context: [],
    values: { interval: [`${minutes} min`], drops: [String(p.drops)] },
    signatures: ['periodic-drops'],
    means:
      p.kind === 'hourly'
        ? `The tunnel goes down about every ${minutes} minutes (${p.drops} times): the hourly phase-2 rekey.`
        : `The tunnel goes down about every ${(p.interval / 3600).toFixed(1)} hours (${p.drops} times): the phase-1 lifetime.`,
  });
}

function describe(acc: FindingAcc, r: ReaderResult, policy: Policy | undefined): { summary: string; evidence: Record<string, unknown> } {
  const evidence: Record<string, unknown> = { occurrences: acc.count, signatures: acc.signatures, ...acc.values };
  const parts: string[] = [HEADLINE[acc.code]];
  if (acc.signatures.includes('periodic-drops')) parts.push(acc.means);
  const peer = acc.values.peer?.[0];
  if (peer) parts.push(`Peer: ${peer}.`);

  const pfsOff =
    acc.code === 'pfs-mismatch' &&
    (() => {
      const own = latestEsp(r);
      return own !== undefined && readProposal(own).dh.length === 0;
    })();
  if (
    policy &&
    (acc.code === 'ike-proposal-mismatch' || acc.code === 'child-proposal-mismatch' || (acc.code === 'pfs-mismatch' && !pfsOff))
  ) {
    const compared = compareProposals(acc, r, policy);
    if (compared) {
      parts.push(compared.text);
      evidence.proposal = compared.judgement.proposal;
      evidence.outsidePolicy = compared.judgement.problems;
      evidence.accepted = compared.judgement.accepted;
    }
  }
  if (pfsOff && policy) {
    parts.push(
      `Your ESP proposal has no DH group, so PFS is off on your side; the cloud requires PFS with DH ${ranges(policy.pfs.accept ?? [])}.`,
    );
    evidence.pfs = 'off';
  }
  if (acc.code === 'traffic-selector-mismatch') {
    const ts = [acc.values.localTs?.[0], acc.values.remoteTs?.[0]].filter(Boolean);
    if (ts.length === 2)
      parts.push(
        `Selectors in the log: ${ts[0]} <-> ${ts[1]}; they must match the cloud's exactly (your range <-> the OutSystems Cloud range), one pair per tunnel.`,
      );
  }
  if (acc.code === 'lifetime-mismatch' && policy) parts.push(lifetimeText(acc, policy));
  if (acc.code === 'esp-not-received' && acc.values.sent?.[0])
    parts.push(
      `Counters: ${acc.values.sent[0]} encrypted and sent, ${acc.values.received?.[0] ?? 'none'} decrypted: check that the cloud side has a route and policy back to your range, and that nothing between drops ESP (IP protocol 50) or UDP 4500.`,
    );
  if (acc.count > 1) parts.push(`Seen ${acc.count} times.`);
  return { summary: parts.join(' '), evidence };
}

/** Both lifetimes named, and the value the cloud expects for that phase (or both phases when unknown). */
function lifetimeText(acc: FindingAcc, policy: Policy): string {
  const proposed = acc.values.lifeProposed?.[0];
  const accepted = acc.values.lifeAccepted?.[0];
  const phase = acc.values.phase?.[0];
  const p1 = policy['p1-lifetime'].expect;
  const p2 = policy['p2-lifetime'].expect;
  const expected =
    phase === '1'
      ? `the cloud expects ${p1} s for phase 1`
      : phase === '2'
        ? `the cloud expects ${p2} s for phase 2`
        : `the cloud expects phase 1 ${p1} s and phase 2 ${p2} s`;
  const lt = acc.values.lifetime?.[0];
  if (!proposed || !accepted) return `${lt ? `Lifetime in the log: ${lt}. ` : ''}The cloud expects phase 1 ${p1} s and phase 2 ${p2} s.`;
  const which = phase ? `Phase ${phase} lifetime` : 'Lifetime';
  return `${which}: ${proposed} proposed, ${accepted} accepted or configured on the other side; ${expected}. Set the same value on both sides.`;
}

function latestEsp(r: ReaderResult): string | undefined {
  const all = [...(r.proposals.configured ?? []), ...(r.proposals.proposal ?? [])].filter((p) => /\bESP\b|\bAH\b/i.test(p.text));
  return all.sort((a, b) => a.n - b.n).at(-1)?.text;
}

/**
 * The proposal to judge: the values the failing line itself names (IOS, PAN-OS, FortiGate print them),
 * else your own configured/sent proposal, else the one received. Names the values outside the policy.
 */
function compareProposals(acc: FindingAcc, r: ReaderResult, policy: Policy): { text: string; judgement: ProposalJudgement } | undefined {
  const phase: 1 | 2 = acc.code === 'ike-proposal-mismatch' ? 1 : 2;
  const own = [...(r.proposals.configured ?? []), ...(r.proposals.proposal ?? [])].filter((p) => p.n <= acc.firstN + 5);
  const wanted = (t: string) => (phase === 1 ? !/\b(ESP|AH):/i.test(t) : !/\bIKE:/i.test(t));
  const candidates = [
    Object.values(acc.values).flat().join(' '),
    own
      .filter((p) => wanted(p.text))
      .sort((a, b) => a.n - b.n)
      .at(-1)?.text,
    (r.proposals.received ?? []).filter((p) => wanted(p.text)).at(-1)?.text,
  ];
  for (const text of candidates) {
    if (!text) continue;
    const p = readProposal(text);
    if (isEmpty(p)) continue;
    const j = judgeProposal(p, phase, policy);
    if (j.problems.length === 0) {
      return {
        text: `The proposal in the log (${describeProposal(p)}) is within the OutSystems table (${j.accepted}): compare it with the other side's configuration.`,
        judgement: j,
      };
    }
    const verdicts = new Set(j.problems.map((x) => x.verdict));
    const note = verdicts.has('violation') ? '' : ' (the AWS platform would take these, but OutSystems does not support them)';
    return { text: `You propose ${j.offending}${note}; the cloud accepts ${j.accepted}.`, judgement: j };
  }
  return undefined;
}

function describeProposal(p: ReturnType<typeof readProposal>): string {
  return [...p.encryption, ...p.integrity, ...p.dh.map((g) => `DH ${g}`)].join('/');
}
