import { catalogue } from '../probes/catalogue.js';
import type { Pinger } from './keepalive-monitor.js';

/**
 * The keep-alive monitor's ping: one ICMP echo through the probe catalogue's ICMP probe (raw socket or the
 * system ping, whichever works here). "Could not send" is reported as an error, never as a tunnel drop.
 */
export const icmpPinger: Pinger = async (target, { signal, timeoutMs }) => {
  const params = catalogue.icmp.paramsSchema.parse({ target, count: 1, timeoutMs: Math.max(50, timeoutMs) });
  const result = await catalogue.icmp.run(params, { signal, deadline: Date.now() + timeoutMs });
  const { status, rttMs, message } = result.detail;
  if (status === 'not-permitted' || status === 'unavailable' || status === 'error') {
    return { ok: false, rttMs: null, error: message ?? status };
  }
  return { ok: status === 'replied', rttMs: rttMs?.avg ?? null };
};
