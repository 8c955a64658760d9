import type { KnowledgeBase } from '../knowledge/loader.js';
import { runProbe, type ProbeRunner } from '../probes/catalogue.js';
import { reply, type Reply } from '../reply/reply.js';
import { checkReply, probeLabel } from './check-reply.js';
import { CheckInputError, parseCheckInput } from './input.js';
import { runConnectivityCheck } from './run-check.js';

/** The check arguments the conversation core collects (structurally its CheckArgs). */
export interface LocalCheckArgs {
  hosts: string[];
  dnsServers: string[];
  resolver?: string;
  edge?: string;
  sentry: boolean;
  agent?: string;
  timeoutMs?: number;
}

/**
 * Runs checks from this machine for the conversation core (terminal chat, `check` typed in a chat):
 * the conversation's CheckRunner port, with progress as one line per finished probe.
 */
export class LocalCheckRunner {
  constructor(
    private readonly kb: KnowledgeBase | null,
    private readonly probes: ProbeRunner = runProbe,
  ) {}

  async run(args: LocalCheckArgs, hooks: { onProgress?: (text: string) => void } = {}): Promise<Reply> {
    if (args.agent) {
      return reply({
        kind: 'error',
        title: 'No probe agents here',
        summary: `This instance runs checks from the machine it is on and has no agent "${args.agent}"; leave out "on ${args.agent}".`,
      });
    }
    let input;
    try {
      input = parseCheckInput({
        hosts: args.hosts,
        dnsServers: args.dnsServers,
        ...(args.resolver ? { resolver: args.resolver } : {}),
        ...(args.edge ? { edge: args.edge } : {}),
        sentry: args.sentry,
        ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}),
      });
    } catch (err) {
      if (!(err instanceof CheckInputError)) throw err;
      return reply({ kind: 'error', title: 'Cannot run this check', summary: err.message });
    }
    const report = await runConnectivityCheck(input, {
      probes: this.probes,
      knowledge: this.kb,
      onProgress: (p) =>
        hooks.onProgress?.(`[${p.completed}/${p.planned}] ${probeLabel(p.result, input)} ${p.result.target}: ${p.line}`),
    });
    return checkReply(report, { input, kb: this.kb });
  }
}
