import type { AnyProbeResult } from '../probes/catalogue.js';
import type { DnsDetail } from '../probes/dns.js';
import type { IcmpDetail } from '../probes/icmp.js';
import type { RouteDetail } from '../probes/route.js';
import type { TcpDetail } from '../probes/tcp.js';
import type { TlsDetail } from '../probes/tls.js';
import type { TracerouteDetail } from '../probes/traceroute.js';

/**
 * One line saying what a probe observed, in the words an engineer would use in a ticket. Shared by the
 * findings' evidence, the CLI's progress lines and the Reply's evidence table, so they always agree.
 */
export function describeResult(r: AnyProbeResult): string {
  if (r.error && r.backend === 'none') return r.error;
  switch (r.kind) {
    case 'icmp':
      return describeIcmp(r.detail);
    case 'traceroute':
      return describeTrace(r.detail);
    case 'dns':
      return describeDns(r.detail);
    case 'tcp':
      return describeTcp(r.detail);
    case 'tls':
      return describeTls(r.detail);
    case 'route':
      return describeRoute(r.detail);
  }
}

/** "via 10.250.1.1 dev eth0, source 10.250.1.10", as `ip route get` says it. */
export function describeRoute(d: RouteDetail): string {
  const dev = d.device ? ` dev ${d.device}` : '';
  const src = d.source ? `, source ${d.source}` : '';
  const table = d.table && d.table !== 'main' ? ` (table ${d.table})` : '';
  switch (d.status) {
    case 'routed':
      return `${d.gateway ? `via ${d.gateway}` : 'on-link'}${dev}${src}${table}`;
    case 'local':
      return 'an address of this machine';
    case 'no-route':
      return 'no route on this machine (Network is unreachable)';
    case 'unreachable':
      return 'an "unreachable" route on this machine (No route to host)';
    case 'prohibited':
      return 'a "prohibit" route on this machine (Permission denied)';
    case 'blackhole':
      return 'a "blackhole" route on this machine: packets are discarded';
    case 'unavailable':
    case 'error':
      return d.message ?? d.status;
  }
}

const ms = (n: number): string => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;

export function describeIcmp(d: IcmpDetail): string {
  switch (d.status) {
    case 'replied': {
      const loss = d.received < d.transmitted ? ` (${d.lossPercent}% loss)` : '';
      return `${d.received}/${d.transmitted} replies${loss}${d.rttMs ? `, avg ${ms(d.rttMs.avg)}` : ''}`;
    }
    case 'no-reply':
      return `no reply to ${d.transmitted} echo request${d.transmitted === 1 ? '' : 's'}`;
    case 'unreachable':
      if (d.reason === 'no-route') return 'no route from this machine (Network is unreachable)';
      return d.icmpErrors[0] ? `${d.icmpErrors[0].from} answered "${d.icmpErrors[0].message}"` : 'unreachable';
    case 'not-permitted':
      return 'ICMP not permitted on this machine (needs root or CAP_NET_RAW)';
    case 'unavailable':
      return d.message ?? 'no ping tool installed';
    case 'error':
      return d.message ?? 'ping failed';
  }
}

export function describeTrace(d: TracerouteDetail): string {
  const answered = d.hops.filter((h) => h.address);
  const path = answered.map((h) => h.address).join(' > ');
  switch (d.status) {
    case 'reached':
      return `reached in ${d.hops.length} hop${d.hops.length === 1 ? '' : 's'} (${path})`;
    case 'not-reached':
    case 'incomplete': {
      const tail = d.status === 'incomplete' ? ', stopped at the deadline' : '';
      if (!d.lastResponder) return `no hop answered${tail}`;
      const mark = d.hops.find((h) => h.hop === d.lastResponder!.hop)?.annotation;
      return `stops after hop ${d.lastResponder.hop} (${d.lastResponder.address}${mark ? ` ${mark}` : ''}); path: ${path}${tail}`;
    }
    case 'unreachable':
      return 'no route from this machine (Network is unreachable)';
    case 'not-permitted':
    case 'unavailable':
    case 'error':
      return d.message ?? d.status;
  }
}

export function describeDns(d: DnsDetail): string {
  if (d.status === 'timeout') return 'no answer (timed out)';
  if (d.status === 'error') return `failed: ${d.code ?? ''} ${d.message ?? ''}`.trim();
  const via = d.truncated && d.transport === 'tcp' ? ' (truncated over UDP, answered over TCP)' : '';
  if (d.rcode === 'NXDOMAIN') return `NXDOMAIN (no such name)${via}`;
  if (d.rcode !== 'NOERROR') return `${d.rcode ?? 'no rcode'}${via}`;
  if (d.answers.length === 0) return `NOERROR, no A record${via}`;
  const list = d.answers.map((a) => `${a.address} (${a.scope}${a.ttl === null ? '' : `, TTL ${a.ttl}`})`).join(', ');
  return `${list}${via}`;
}

export function describeTcp(d: TcpDetail): string {
  if (d.status === 'open') return `connected${d.connectMs === null ? '' : ` in ${ms(d.connectMs)}`}`;
  return describeNoConnection(d.status, d);
}

/** A TCP connection that did not come up, as the tcp and tls probes both report it. */
function describeNoConnection(
  status: 'refused' | 'timeout' | 'unreachable' | 'error',
  d: { code?: string | undefined; message?: string | undefined },
): string {
  switch (status) {
    case 'refused':
      return 'refused (connection reset)';
    case 'timeout':
      return 'timed out (no answer)';
    case 'unreachable':
      return `unreachable (${d.code ?? 'no route'})`;
    case 'error':
      return `failed: ${d.code ?? ''} ${d.message ?? ''}`.trim();
  }
}

export function describeTls(d: TlsDetail): string {
  switch (d.status) {
    case 'handshake-ok': {
      const cert = d.certificate;
      const who = cert
        ? `, certificate ${cert.subject || '(no subject)'}${cert.validTo ? ` valid to ${cert.validTo.slice(0, 10)}` : ''}`
        : '';
      const trust = d.verified ? 'verified' : `not verified: ${[d.verifyError, d.hostnameError].filter(Boolean).join('; ')}`;
      return `${d.protocol ?? 'TLS'}${who}; ${trust}`;
    }
    case 'handshake-failed':
      return `TCP connected but the TLS handshake failed (${d.code ?? ''}${d.message ? `: ${d.message}` : ''})`;
    default:
      return describeNoConnection(d.status, d);
  }
}
