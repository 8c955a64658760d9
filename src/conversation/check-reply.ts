import type { KnowledgeBase } from '../knowledge/loader.js';
import { ProbeResultSchema, type AnyProbeResult } from '../probes/catalogue.js';
import { reply, type Reply, type ReplyAction, type ReplyEvidence, type ReplyStep } from '../reply/reply.js';
import { describeResult } from '../diagnosis/describe.js';
import type { CheckInput } from '../diagnosis/input.js';
import { RELATED_TOPICS } from '../diagnosis/rules.js';
import type { CheckReport, ReportProbe } from '../diagnosis/report.js';

/** Steps shown at once; the rest stay behind "Show all steps" (chat messages must stay short). */
const STEPS_SHOWN = 6;

export interface CheckReplyOptions {
  /** The check's input: labels the evidence rows and builds the "run again" command. */
  input?: CheckInput;
  /** Titles of the other findings' topics become follow-ups. */
  kb?: KnowledgeBase | null;
  /** The probe agent that ran the checks, if not this machine. */
  agent?: string;
}

/**
 * The chat/terminal form of a check report: the verdict, every finding, one evidence row per probe, and
 * the steps of the most severe finding (findings are already sorted by severity).
 */
export function checkReply(report: CheckReport, options: CheckReplyOptions = {}): Reply {
  const top = report.findings[0];
  const problems = report.findings.filter((f) => f.severity !== 'info');

  const allSteps: ReplyStep[] = (top && top.severity !== 'info' ? top.steps : []).map((s) => ({
    text: s.action,
    ...(s.commands ? { commands: s.commands } : {}),
    ...(s.snippets ? { snippets: s.snippets } : {}),
  }));
  const steps = allSteps.slice(0, STEPS_SHOWN);

  const actions: ReplyAction[] = [];
  if (options.input)
    actions.push({ id: 'rerun', label: 'Run checks again', command: checkCommand(options.input, options.agent), style: 'primary' });
  if (top && top.severity !== 'info') {
    if (allSteps.length > steps.length) actions.push({ id: 'more-steps', label: 'Show all steps', command: `topic ${top.topic} all` });
    else actions.push({ id: 'topic', label: 'Open the guide topic', command: `topic ${top.topic}` });
  }
  if (report.verdict !== 'healthy') actions.push({ id: 'support-case', label: 'Prepare support case', command: 'support case' });

  // The other findings' topics, and the topics related to each finding (a tunnel that is down is also the
  // customer side's to bring up and keep up), in finding order.
  const otherTopics = [...new Set(problems.flatMap((f, i) => [...(i === 0 ? [] : [f.topic]), ...(RELATED_TOPICS[f.code] ?? [])]))].filter(
    (t) => t !== top?.topic,
  );
  const followUps = otherTopics
    .map((id) => options.kb?.byId.get(id)?.title)
    .filter((t): t is string => typeof t === 'string')
    .slice(0, 3);

  return reply({
    kind: 'check',
    // The verdict is not in the title: every renderer shows it on its own (badge, emoji, colour).
    title: options.input ? `VPN check of ${options.input.hosts.join(', ')}` : 'VPN check',
    summary: problems[0]?.summary ?? healthySummary(report),
    ...(top && top.severity !== 'info' ? { section: top.section, topic: top.topic } : {}),
    verdict: report.verdict,
    findings: report.findings.map((f) => ({ code: f.code, severity: f.severity, summary: f.summary, topic: f.topic })),
    evidence: report.probes.map((p) => evidenceRow(p, options.input)),
    steps,
    ...(allSteps.length > steps.length ? { moreSteps: allSteps.length - steps.length } : {}),
    actions,
    followUps,
    ...(report.notConcluded ? { notices: partialNotices(report, options.agent) } : {}),
  });
}

/**
 * A partial check says so first: which probes the agent refused, the --allow rules that would let them
 * run, and which conclusions are therefore open (the findings shown are judged from the rest only).
 */
function partialNotices(report: CheckReport, agent?: string): string[] {
  const refused = report.probes.filter((p) => p.notRun);
  const rules = [...new Set(refused.flatMap((p) => (p.notRun?.allow ? [p.notRun.allow] : [])))];
  const open = (report.notConcluded ?? []).map((g) => g.question);
  const who = agent ? `agent ${agent}'s` : "the agent's";
  // An agent older than a probe kind (route) does not run it: updating the agent, not its allowlist, fixes that.
  const unsupported = refused.filter((p) => p.notRun?.reason === 'unsupported').length;
  const policy = refused.length - unsupported;
  const why =
    unsupported === 0
      ? `refused by ${who} allowlist`
      : [policy ? `${policy} refused by ${who} allowlist` : '', `${unsupported} this agent's version does not run: update it`]
          .filter(Boolean)
          .join(', ');
  return [
    `Partial check: ${refused.length} of ${report.probes.length} probes were not run (${why}); the diagnosis uses the rest.`,
    ...(rules.length > 0 ? [`To run them, add to the agent: ${rules.map((r) => `--allow ${r}`).join(' ')}`] : []),
    `Not concluded: ${open.slice(0, 5).join('; ')}${open.length > 5 ? ` (and ${open.length - 5} more)` : ''}.`,
  ];
}

function healthySummary(report: CheckReport): string {
  const failed = report.probes.filter((p) => !p.ok).length;
  const n = report.probes.length;
  return failed === 0
    ? `All ${n} probes answered as the guide expects: the cloud DNS servers reply, the names resolve to private addresses and the ports connect.`
    : `Nothing points at a VPN problem (${n - failed} of ${n} probes answered; the others are informational).`;
}

/** The command that runs the same check again, in the chat syntax the conversation core parses. */
export function checkCommand(input: CheckInput, agent?: string): string {
  const words = ['check', ...input.hosts, ...input.dnsServers.flatMap((ip) => ['dns', ip])];
  if (input.resolver) words.push('resolver', input.resolver);
  if (input.edge) words.push('edge', input.edge);
  if (input.sentry) words.push('sentry');
  if (input.timeoutMs !== 5000) words.push('timeout', String(input.timeoutMs));
  if (agent) words.push('on', agent);
  return words.join(' ');
}

function typed(p: ReportProbe): AnyProbeResult | null {
  const { error, ...detail } = p.detail as Record<string, unknown> & { error?: unknown };
  const parsed = ProbeResultSchema.safeParse({ ...p, detail, ...(typeof error === 'string' ? { error } : {}) });
  return parsed.success ? (parsed.data as AnyProbeResult) : null;
}

export function probeLabel(p: Pick<ReportProbe, 'kind' | 'target'>, input?: CheckInput): string {
  const server = p.kind === 'dns' ? p.target.split(' @')[1] : p.target;
  const isCloudDns = (ip: string | undefined): boolean => !!ip && !!input?.dnsServers.includes(ip);
  switch (p.kind) {
    case 'icmp':
      if (input?.edge === p.target) return 'Ping edge device';
      return isCloudDns(p.target) ? 'Ping cloud DNS' : 'Ping';
    case 'traceroute':
      return 'Traceroute';
    case 'dns':
      if (server === 'system') return 'DNS (this machine)';
      if (input?.resolver && server === input.resolver) return 'DNS (your resolver)';
      return isCloudDns(server) ? 'DNS (cloud)' : 'DNS';
    case 'tcp':
      return `TCP ${p.target.split(':').pop()}`;
    case 'tls':
      return 'TLS handshake';
    case 'route':
      return input?.edge === p.target ? 'Route to edge device' : 'Route (this machine)';
  }
}

/**
 * true: as expected; false: a problem; null: says nothing either way (tool missing, not permitted).
 * The one judgement of a probe shown to people: the evidence rows and the CLI's live progress both use it.
 */
export function okness(r: AnyProbeResult): boolean | null {
  switch (r.kind) {
    case 'icmp':
      return r.detail.status === 'not-permitted' || r.detail.status === 'unavailable' ? null : r.ok;
    case 'traceroute':
      return r.detail.status === 'not-permitted' || r.detail.status === 'unavailable' ? null : r.ok;
    case 'dns':
      return r.ok && r.detail.answers.length > 0 && r.detail.answers.every((a) => a.scope === 'private');
    case 'tcp':
    case 'tls':
      return r.ok;
    case 'route':
      return r.detail.status === 'unavailable' || r.detail.status === 'error' ? null : r.ok;
  }
}

function evidenceRow(p: ReportProbe, input?: CheckInput): ReplyEvidence {
  if (p.notRun) {
    const allow = p.notRun.allow ? ` (allow with --allow ${p.notRun.allow})` : '';
    const why = p.notRun.reason === 'unsupported' ? 'this agent does not run it (update the agent)' : "refused by the agent's allowlist";
    return { label: probeLabel(p, input), target: p.target, outcome: `not run: ${why}${allow}`, ok: null };
  }
  const r = typed(p);
  return {
    label: probeLabel(p, input),
    target: p.target,
    outcome: r ? describeResult(r) : p.ok ? 'ok' : 'failed',
    ok: r ? okness(r) : p.ok,
  };
}
