import { CheckError } from '../checks/errors.js';
import { parseCheckRequest, type CheckRequest } from '../checks/request.js';
import type { CheckPlacement, CheckService } from '../checks/service.js';
import type { KnowledgeBase } from '../knowledge/loader.js';
import type { Reply } from '../reply/reply.js';
import type { CheckRunner, Inbound } from './assistant.js';
import { checkErrorReply } from './check-error-reply.js';
import { checkReply, probeLabel } from './check-reply.js';
import type { CheckArgs } from './commands.js';

/**
 * The conversation's CheckRunner on top of the check service: a check named "on AGENT" runs there,
 * any other where this instance runs checks by default (a server: on the only agent online; the terminal
 * chat: this machine). Progress is one line per finished probe.
 */
export class ServiceCheckRunner implements CheckRunner {
  constructor(
    private readonly service: CheckService,
    private readonly kb: KnowledgeBase | null,
    private readonly byDefault: CheckPlacement['on'],
  ) {}

  async run(args: CheckArgs, hooks: { onProgress?: (text: string) => void; requestedBy: Inbound }): Promise<Reply> {
    let request: CheckRequest | undefined;
    try {
      request = parseCheckRequest(args);
      const input = request.input;
      const where: CheckPlacement = request.agent || this.byDefault === 'agent' ? { on: 'agent', agent: request.agent } : { on: 'local' };
      const { user, platform, channel } = hooks.requestedBy;
      const result = await this.service.run(request, where, {
        requestedBy: { user, platform, channel },
        onProgress: (p) => hooks.onProgress?.(`[${p.completed}/${p.planned}] ${probeLabel(p.result, input)} ${p.result.target}: ${p.line}`),
      });
      return checkReply(result.report, { input, kb: this.kb, ...(result.agent ? { agent: result.agent } : {}) });
    } catch (err) {
      if (err instanceof CheckError) return checkErrorReply(err, request);
      throw err;
    }
  }
}
