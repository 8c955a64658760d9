import type { KnowledgeBase } from '../knowledge/loader.js';
import { failedResult, requestTarget, runProbe, type AnyProbeResult, type ProbeRequest, type ProbeRunner } from '../probes/catalogue.js';
import { REPORT_MARGIN_MS, RUNNER_OVERRUN_MS } from '../probes/deadlines.js';
import type { DnsResult } from '../probes/dns.js';
import { describeResult } from './describe.js';
import { parseCheckInput, type CheckInput, type CheckInputDraft } from './input.js';
import { linkKnowledge, loadBundledTopics } from './knowledge-link.js';
import { allSlots, firstStage, plannedCount, portsFor, secondStage, slotKey, type Outcome, type PlannedProbe, type Role } from './plan.js';
import { CheckReportSchema, type CheckReport, type ReportProbe } from './report.js';
import { evaluate } from './rules.js';
import { notConcluded } from './gaps.js';

export interface CheckProgress {
  role: Role;
  result: AnyProbeResult;
  /** describeResult(result): one line for a progress display. */
  line: string;
  completed: number;
  /** Upper bound: second-stage probes are skipped for a host without a usable address. */
  planned: number;
}

export interface CheckOptions {
  /** Who runs the probes: this machine by default, or a remote agent. */
  probes?: ProbeRunner;
  onProgress?: (progress: CheckProgress) => void;
  /**
   * Source of the findings' section and steps; default: the bundled knowledge (only the topics the
   * findings name are read, when they are needed); null: fallbacks only.
   */
  knowledge?: KnowledgeBase | null;
  signal?: AbortSignal;
}

/** Validates a draft input (CheckInputError when it is wrong), then runs the runbook on it. */
export async function runConnectivityCheck(raw: CheckInputDraft | CheckInput, options: CheckOptions = {}): Promise<CheckReport> {
  return runRunbook(parseCheckInput(raw), options);
}

/**
 * Runs the connectivity runbook on a validated input: plans the probes, runs the independent ones at once,
 * connects to each host's private address as soon as DNS gives one, then lets the rules name the cause.
 * The whole check keeps within `input.timeoutMs` (plus the margins of src/probes/deadlines.ts), whatever
 * the network or the probe runner does.
 */
export async function runRunbook(input: CheckInput, options: CheckOptions = {}): Promise<CheckReport> {
  const runner = options.probes ?? runProbe;
  const start = Date.now();
  const deadline = start + input.timeoutMs;

  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const hardStop = setTimeout(() => controller.abort(), input.timeoutMs + RUNNER_OVERRUN_MS);

  const outcomes = new Map<string, Outcome>();
  const firstPlan = firstStage(input);
  const perHost = portsFor(input).length + 1; // TCP per port, and TLS
  let completed = 0;

  /** The probe count, less the second stage of hosts whose DNS is done without a private address. */
  const planned = (): number => {
    let n = plannedCount(input);
    for (const host of input.hosts) {
      const dnsSlots = firstPlan.filter((p) => (p.slot.role === 'cloud-dns' || p.slot.role === 'local-dns') && p.slot.host === host);
      const results = dnsSlots.map((p) => outcomes.get(slotKey(p.slot))?.result as DnsResult | undefined);
      if (results.every((r) => r !== undefined) && results.every((r) => privateAddress(r) === null)) n -= perHost;
    }
    return n;
  };

  const execute = async (p: PlannedProbe, probeDeadline: number): Promise<AnyProbeResult> => {
    const result = await runGuarded(runner, p.request, { signal: controller.signal, deadline: probeDeadline });
    outcomes.set(slotKey(p.slot), { ...p.slot, result } as Outcome);
    completed++;
    try {
      options.onProgress?.({ role: p.slot.role, result, line: describeResult(result), completed, planned: planned() });
    } catch {
      // a broken progress display must not break the check
    }
    return result;
  };

  try {
    // The name lookups leave first: each host's TCP and TLS probes wait for them, so they are the start
    // of the longest chain; the independent probes follow in the same tick.
    const gates = (p: PlannedProbe): boolean => p.slot.role === 'cloud-dns' || p.slot.role === 'local-dns';
    const started = new Map<PlannedProbe, Promise<AnyProbeResult>>();
    for (const p of [...firstPlan.filter(gates), ...firstPlan.filter((x) => !gates(x))])
      started.set(p, execute(p, deadline - REPORT_MARGIN_MS));
    const stage1 = firstPlan.map((p) => ({ p, done: started.get(p)! }));
    const byHost = input.hosts.map(async (host) => {
      const cloud = stage1
        .filter(({ p }) => p.slot.role === 'cloud-dns' && p.slot.host === host)
        .map(({ done }) => done as Promise<DnsResult>);
      const local = stage1.find(({ p }) => p.slot.role === 'local-dns' && p.slot.host === host)!.done as Promise<DnsResult>;
      const address = (await firstPrivate(cloud)) ?? privateAddress(await local);
      const stage2 = address ? secondStage(input, host, address, deadline - REPORT_MARGIN_MS - Date.now()) : [];
      await Promise.all(stage2.map((p) => execute(p, deadline - REPORT_MARGIN_MS)));
    });
    await Promise.all([...stage1.map(({ done }) => done), ...byHost]);
  } finally {
    clearTimeout(hardStop);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }

  // Report probes in plan order, whatever order they completed in.
  const ordered = allSlots(input)
    .map((slot) => outcomes.get(slotKey(slot)))
    .filter((o): o is Outcome => o !== undefined);

  // Probes refused by the agent's policy say nothing about the network: the rules judge the rest, and the
  // report says which conclusions that left open.
  const { verdict, findings } = evaluate(
    input,
    ordered.filter((o) => !o.result.notRun),
  );
  const gaps = notConcluded(input, ordered);
  const kb = options.knowledge === undefined ? await loadBundledTopics(findings.map((f) => f.topic)) : options.knowledge;
  return CheckReportSchema.parse({
    verdict,
    findings: findings.map((f) => linkKnowledge(f, kb)),
    probes: ordered.map((o) => toReportProbe(o.result)),
    ...(gaps.length > 0 ? { notConcluded: gaps } : {}),
  });
}

/**
 * A runner's answer, bounded in time: a runner that throws or never answers gives a failed probe, never a
 * stuck check. The runner vouches for its results' shape: a remote one validates what it receives.
 */
async function runGuarded(
  runner: ProbeRunner,
  request: ProbeRequest,
  ctx: { signal: AbortSignal; deadline: number },
): Promise<AnyProbeResult> {
  const failed = (message: string): AnyProbeResult => failedResult(request.kind, requestTarget(request), message);
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<AnyProbeResult>((resolve) => {
      timer = setTimeout(
        () => resolve(failed('the probe runner did not answer in time')),
        Math.max(0, ctx.deadline - Date.now()) + RUNNER_OVERRUN_MS,
      );
    });
    return await Promise.race([runner(request, ctx), late]);
  } catch (err) {
    return failed(`probe failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

function privateAddress(r: DnsResult | undefined): string | null {
  return r?.detail.answers.find((a) => a.scope === 'private')?.address ?? null;
}

/** The first private address any of these queries gives, as soon as it arrives; null when none does. */
function firstPrivate(queries: Promise<DnsResult>[]): Promise<string | null> {
  if (queries.length === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    let pending = queries.length;
    for (const q of queries) {
      void q.then((r) => {
        const a = privateAddress(r);
        if (a) resolve(a);
        if (--pending === 0) resolve(null);
      });
    }
  });
}

/** The report's probe row: the envelope, with a probe failure's message folded into its detail. */
export function toReportProbe(r: AnyProbeResult): ReportProbe {
  return {
    kind: r.kind,
    target: r.target,
    ok: r.ok,
    durationMs: r.durationMs,
    backend: r.backend,
    detail: { ...(r.detail as Record<string, unknown>), ...(r.error ? { error: r.error } : {}) },
    ...(r.notRun ? { notRun: r.notRun } : {}),
  };
}
