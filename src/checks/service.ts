import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AgentHub } from '../agents/hub.js';
import { AgentUnavailableError, type Requester } from '../agents/hub/types.js';
import type { CheckInput } from '../diagnosis/input.js';
import type { CheckReport } from '../diagnosis/report.js';
import { runRunbook, type CheckProgress } from '../diagnosis/run-check.js';
import type { KnowledgeBase } from '../knowledge/loader.js';
import { runProbe, type ProbeRunner } from '../probes/catalogue.js';
import { agentProbeRunner, type AgentFailure } from './agent-runner.js';
import { CheckError } from './errors.js';
import type { CheckRequest } from './request.js';

/** Agent failures that mean "this probe never ran" (policy, or an agent without that probe kind), not "the network failed". */
const NOT_RUN: ReadonlySet<string> = new Set(['refused', 'unsupported']);

/** Where a check runs: this machine, or a probe agent (absent name: the only agent online). */
export type CheckPlacement = { on: 'local' } | { on: 'agent'; agent?: string | undefined };

export interface CheckRunOptions {
  /** Who asked: written to the audit log with every job on an agent. */
  requestedBy: Requester;
  onProgress?: (progress: CheckProgress) => void;
  /** Aborting cancels the check (and its jobs on the agent). */
  signal?: AbortSignal;
}

/** A check that ran to the end: the report (what `check --json` prints and the API returns) and where it ran. */
export interface CheckResult {
  report: CheckReport;
  /** The validated input the report is about. */
  input: CheckInput;
  /** The agent that ran the probes; null: this machine. */
  agent: string | null;
  /** Names the check in logs and, on an agent, groups its jobs in the audit log. */
  checkId: string;
}

export interface CheckServiceDeps {
  /** Where checks on agents are logged (a local check logs nothing). */
  log?: Logger;
  /** The agent hub; absent (CLI, terminal chat): checks run only on this machine. */
  hub?: AgentHub;
  /** Probes of this machine (tests inject fakes). */
  localProbes?: ProbeRunner;
  /** Source of the findings' sections and steps; undefined: the bundled topics, read when needed. */
  knowledge?: KnowledgeBase | null;
}

/**
 * The one check service: runs the guide's connectivity runbook (src/diagnosis) on this machine or on a
 * probe agent, with the same plan, rules and report either way. It fails only with a CheckError; a broken
 * network is a report, not an error.
 */
export class CheckService {
  constructor(private readonly deps: CheckServiceDeps) {}

  async run(request: CheckRequest, where: CheckPlacement, options: CheckRunOptions): Promise<CheckResult> {
    const checkId = randomUUID();
    if (where.on === 'local') {
      const report = await runRunbook(request.input, this.runbookOptions(options, this.deps.localProbes ?? runProbe));
      return { report, input: request.input, agent: null, checkId };
    }
    const hub = this.deps.hub;
    if (!hub) {
      throw new CheckError(
        'agents-unavailable',
        `this instance runs checks from the machine it is on and has no probe agents${where.agent ? ` (no agent "${where.agent}")` : ''}`,
      );
    }
    const agent = where.agent ?? (await this.onlyAgentOnline(hub));
    // Fail before planning anything, with the precise reason (unknown, revoked, offline, draining, busy).
    try {
      await hub.assertAvailable(agent, options.requestedBy);
    } catch (err) {
      throw unavailable(err);
    }
    this.deps.log?.info({ agent, checkId, requestedBy: options.requestedBy }, 'connectivity check through an agent');
    const failures: AgentFailure[] = [];
    const probes = agentProbeRunner(hub, agent, { requestedBy: options.requestedBy, checkId }, (f) => failures.push(f));
    const report = await runRunbook(request.input, this.runbookOptions(options, probes));
    // Probes the agent's allowlist refused are marked in the report (notRun, with the rule that would allow
    // them) and left out of the diagnosis, which says what it could not conclude: the check runs what it
    // may. It fails only when nothing ran at all, or when probes failed for other reasons (disconnected,
    // late, invalid answer): their silence would read as a network fault that nobody observed.
    const others = failures.filter((f) => !NOT_RUN.has(f.status));
    const nothingRan = report.probes.every((p) => p.notRun);
    if (others.length > 0 || nothingRan) throw agentFailure(agent, checkId, failures);
    if (failures.length > 0)
      this.deps.log?.warn(
        { agent, checkId, notRun: failures.map((f) => f.message) },
        'partial check: probes the agent refused or does not run',
      );
    return { report, input: request.input, agent, checkId };
  }

  private runbookOptions(options: CheckRunOptions, probes: ProbeRunner): Parameters<typeof runRunbook>[1] {
    return {
      probes,
      ...(this.deps.knowledge !== undefined ? { knowledge: this.deps.knowledge } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    };
  }

  private async onlyAgentOnline(hub: AgentHub): Promise<string> {
    const online = await hub.onlineNames();
    if (online.length === 1) return online[0]!;
    if (online.length === 0) {
      throw new CheckError('no-agent-online', 'no probe agent is online: start one with `vpn-doctor agent --hub ... --token ...`', {
        online,
      });
    }
    throw new CheckError('agent-required', `${online.length} agents are online (${online.join(', ')}): say which one to use`, { online });
  }
}

function unavailable(err: unknown): unknown {
  if (!(err instanceof AgentUnavailableError)) return err;
  return new CheckError(`agent-${err.reason}`, err.message, { agent: err.agent });
}

/**
 * Every probe refused: agent-refused (with the rules that would allow them). Otherwise the failures other
 * than refusals decide: all late -> timeout, anything else -> agent-failed.
 */
function agentFailure(agent: string, checkId: string, failures: AgentFailure[]): CheckError {
  const lines = failures.map((f) => f.message);
  const shown = `${lines.slice(0, 3).join('; ')}${lines.length > 3 ? ` (and ${lines.length - 3} more)` : ''}`;
  const allow = [...new Set(failures.flatMap((f) => (f.allow ? [f.allow] : [])))].sort();
  const details = { agent, checkId, failures: lines, ...(allow.length > 0 ? { allow } : {}) };
  const others = failures.filter((f) => !NOT_RUN.has(f.status));
  if (others.length === 0) return new CheckError('agent-refused', `agent ${agent} refused every probe of the check: ${shown}`, details);
  // Not a network finding and not the agent's fault: it is at capacity, and the caller may retry.
  if (others.some((f) => f.status === 'busy'))
    return new CheckError('agent-busy', `agent ${agent} is busy with other checks; try again in a few seconds`, details);
  if (others.every((f) => f.status === 'timeout'))
    return new CheckError('timeout', `agent ${agent} did not answer in time: ${shown}`, details);
  return new CheckError('agent-failed', `the check could not run on agent ${agent}: ${shown}`, details);
}
