/**
 * The lab's addressing plan. Every address here exists only inside namespaces the lab creates; the
 * namespaces have no link to the machine's own network, so nothing the lab or the check sends can leave.
 *
 *   lan 10.250.1.10 ── core 10.250.1.1 | 10.250.2.1 ── gw 10.250.2.2 | 198.18.0.1 ══ transit ══ 198.18.0.2 cloud
 *   (runs the check)   (internal router)              (VPN edge device,                     (VPN responder, DNS
 *                                                      corporate resolver)                   servers, front-end)
 *
 * The IPsec tunnel (traffic selectors customer range <-> cloud VPC) runs between the gw and the cloud over
 * the 198.18.0.0/24 "internet" (RFC 2544 benchmarking range). The core router sits between the LAN host and
 * the edge device so that a broken internal route shows up in traceroute as the guide describes: the trace
 * stops at an address of the customer's own network.
 */
export const PREFIX = 'vdlab-';

/** Namespace names carry the owning process id so a crashed run's leftovers can be told from a live lab's. */
export const NS_NAME_RE = /^vdlab-(\d+)-([a-z]+)$/;

export const ROLES = ['lan', 'core', 'gw', 'cloud'] as const;
export type Role = (typeof ROLES)[number];

export const ENV_HOST = 'acme-dev.outsystemsenterprise.com';
export const ENV_DOMAIN = 'outsystemsenterprise.com';

export const PLAN = {
  customerRange: '10.250.0.0/16',
  cloudVpc: '10.251.0.0/16',
  lan: { addr: '10.250.1.10', prefix: 24, via: '10.250.1.1' },
  core: { lanSide: '10.250.1.1', gwSide: '10.250.2.1', prefix: 24 },
  gw: { inside: '10.250.2.2', outside: '198.18.0.1', prefix: 24 },
  cloud: {
    outside: '198.18.0.2',
    prefix: 24,
    dns: ['10.251.0.2', '10.251.0.3'] as const,
    frontEnd: '10.251.1.10',
    /**
     * The environment's public address, as public DNS would give it. It too lives in the cloud namespace
     * (reachable over the transit, not the tunnel) so a check that follows a wrong answer still only
     * touches lab addresses.
     */
    publicFrontEnd: '203.0.113.10',
  },
} as const;

/** The edge device's inside address and the corporate resolver: both on the gw, as in many small sites. */
export const EDGE_IP = PLAN.gw.inside;
export const RESOLVER_IP = PLAN.gw.inside;

export const IKE_PSK = 'vdlab-correct-horse-battery-staple';
export const WRONG_PSK = 'vdlab-this-is-not-the-key';
