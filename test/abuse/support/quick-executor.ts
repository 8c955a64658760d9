import type { ExecOutcome, JobExecutor } from '../../../src/agents/executor.js';
import * as synthetic from '../../diagnosis/synthetic.js';

/**
 * Answers every probe after `delayMs` with a well-formed healthy result (the rule tests' synthetic results):
 * the legitimate agent's work here is timing, not probing, but a whole check through the API must still
 * come back as a report.
 */
export class QuickExecutor implements JobExecutor {
  readonly kinds = ['icmp', 'traceroute', 'dns', 'tcp', 'tls'];
  constructor(private readonly delayMs = 20) {}
  execute(job: { probe: string; params: Record<string, unknown> }): Promise<ExecOutcome> {
    return new Promise((r) => setTimeout(() => r({ status: 'ok', result: healthyResult(job.probe, job.params) }), this.delayMs));
  }
}

function healthyResult(probe: string, params: Record<string, unknown>): unknown {
  const target = String(params.target ?? params.name ?? '127.0.0.1');
  switch (probe) {
    case 'icmp':
      return synthetic.icmp(target, 'replied');
    case 'traceroute':
      return synthetic.trace(target, [target]);
    case 'dns':
      return synthetic.dns(String(params.name), typeof params.server === 'string' ? params.server : null, ['10.251.1.10']);
    case 'tcp':
      return synthetic.tcp(target, Number(params.port ?? 443), 'open');
    default:
      return synthetic.tls(target, 'handshake-ok');
  }
}
