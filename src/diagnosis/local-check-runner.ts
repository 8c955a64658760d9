import type { CheckArgs } from '../conversation/commands.js';
import type { KnowledgeBase } from '../knowledge/loader.js';
import { runProbe, type ProbeRunner } from '../probes/catalogue.js';
import { reply, type Reply } from '../reply/reply.js';
import { checkReply, probeLabel } from './check-reply.js';
import { CheckInputError, checkInputFromArgs } from './input.js';
import { runConnectivityCheck } from './run-check.js';

/**
 * Runs checks from this machine for the conversation core (terminal chat, `check` typed in a chat):
 * the conversation's CheckRunner port, with progress as one line per finished probe.
 */
export class LocalCheckRunner {
  constructor(
    private readonly kb: KnowledgeBase | null,
    private readonly probes: ProbeRunner = runProbe,
  ) {}

  async run(args: CheckArgs, hooks: { onProgress?: (text: string) => void } = {}): Promise<Reply> {
    if (args.agent) {
      return reply({
        kind: 'error',
        title: 'No probe agents here',
        summary: `This instance runs checks from the machine it is on and has no agent "${args.agent}"; leave out "on ${args.agent}".`,
      });
    }
    let input;
    try {
      input = checkInputFromArgs(args);
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
