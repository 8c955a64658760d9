/**
 * Where a check's JSON places the fault, read from its findings AND the probe rows that back them, so a
 * scenario asserts not just the codes but that the evidence points at the right box:
 *   this-host         internal-routing, and this host's route for the cloud leaves by another next hop than its route to the edge
 *   internal-network  internal-routing, and the trace stops at the internal router before the edge
 *   edge              vpn-device, and the trace's last answering hop is the edge device (tunnel / IKE / IPsec side)
 *   undecided         path-undecided: the report names what would settle it instead of picking a side
 *   dns | firewall | https   the first error or warning is about names, ports, or the HTTPS handshake
 *   none              healthy
 */
import type { CheckReport } from './run-check.js';
import { EDGE_IP, PLAN } from './plan.js';

export type Stage = 'none' | 'this-host' | 'internal-network' | 'edge' | 'undecided' | 'dns' | 'firewall' | 'https';

interface RouteDetail {
  status?: string;
  gateway?: string | null;
  device?: string | null;
}
interface TraceDetail {
  lastResponder?: { address: string } | null;
}

export function stageOf(report: CheckReport): Stage | `unclear: ${string}` {
  if (report.verdict === 'healthy') return 'none';
  const codes = new Set(report.findings.filter((f) => f.severity !== 'info').map((f) => f.code));
  const traces = report.probes.filter((p) => p.kind === 'traceroute').map((p) => p.detail as TraceDetail);
  const lastHops = traces.map((t) => t.lastResponder?.address ?? null);
  if (codes.has('vpn-device')) return lastHops.includes(EDGE_IP) ? 'edge' : `unclear: vpn-device, trace stops at ${lastHops.join(',')}`;
  if (codes.has('internal-routing')) {
    const routes = report.probes.filter((p) => p.kind === 'route');
    const edge = routes.find((p) => p.target === EDGE_IP)?.detail as RouteDetail | undefined;
    const cloud = routes.filter((p) => p.target !== EDGE_IP).map((p) => p.detail as RouteDetail);
    const elsewhere =
      edge?.status === 'routed' && cloud.some((c) => c.status === 'routed' && (c.gateway !== edge.gateway || c.device !== edge.device));
    if (elsewhere) return 'this-host';
    if (lastHops.includes(PLAN.core.lanSide)) return 'internal-network';
    return `unclear: internal-routing, trace stops at ${lastHops.join(',')}`;
  }
  if (codes.has('path-undecided')) {
    const u = report.findings.find((f) => f.code === 'path-undecided') as { undecided?: { settleWith?: unknown[] } } | undefined;
    return (u?.undecided?.settleWith?.length ?? 0) > 0 ? 'undecided' : 'unclear: path-undecided without what would settle it';
  }
  if (codes.has('dns-forwarder-missing') || codes.has('dns-unreachable')) return 'dns';
  if (codes.has('port-blocked')) return 'firewall';
  if (codes.has('tls-handshake-failed') || codes.has('tls-certificate')) return 'https';
  return `unclear: ${[...codes].join(',')}`;
}
