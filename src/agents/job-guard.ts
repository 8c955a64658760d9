import { getServers } from 'node:dns';
import type { ParsedProbeRequest } from '../probes/catalogue.js';
import { resolveTarget } from '../probes/resolve.js';
import { isIpLiteral } from '../probes/target.js';
import type { Allowlist } from './allowlist.js';

/**
 * Applies the agent's allowlist to one validated probe request. Names are resolved HERE, the result is
 * checked, and the request is rewritten to contact exactly that address, so the probe never resolves the
 * name again (a second lookup could answer differently: DNS rebinding). The original name is kept where
 * the protocol needs it (TLS SNI).
 */

export interface GuardDeps {
  resolve?: (name: string, deadline: number) => Promise<string>;
  /** The system resolver's servers, for a DNS probe without a server (it contacts those). */
  systemResolvers?: () => string[];
}

export type GuardResult =
  | { ok: true; request: ParsedProbeRequest; contacted: string[] }
  | { ok: false; code: 'not-allowed' | 'resolve-failed'; reason: string; allow?: string };

export async function guardRequest(
  request: ParsedProbeRequest,
  allowlist: Allowlist,
  deadline: number,
  deps: GuardDeps = {},
): Promise<GuardResult> {
  const resolve = deps.resolve ?? resolveTarget;

  /** Resolves (if needed) and checks one target; returns the address to contact. */
  const pin = async (target: string, port: number | null): Promise<{ address: string } | Extract<GuardResult, { ok: false }>> => {
    let address = target;
    if (!isIpLiteral(target)) {
      try {
        address = await resolve(target, deadline);
      } catch (err) {
        return { ok: false, code: 'resolve-failed', reason: `could not resolve ${target}: ${(err as Error).message}` };
      }
    }
    const decision = allowlist.check({ address, port, host: isIpLiteral(target) ? null : target });
    if (decision.allowed) return { address };
    return {
      ok: false,
      code: 'not-allowed',
      reason: `refused by the agent's allowlist: ${decision.reason}`,
      ...(decision.allow ? { allow: decision.allow } : {}),
    };
  };

  switch (request.kind) {
    case 'icmp':
    case 'traceroute': {
      const p = await pin(request.params.target, null);
      if (!('address' in p)) return p;
      return {
        ok: true,
        request: { ...request, params: { ...request.params, target: p.address } } as ParsedProbeRequest,
        contacted: [p.address],
      };
    }
    case 'tcp': {
      const p = await pin(request.params.target, request.params.port);
      if (!('address' in p)) return p;
      return { ok: true, request: { ...request, params: { ...request.params, target: p.address } }, contacted: [p.address] };
    }
    case 'tls': {
      const { target, port } = request.params;
      const p = await pin(target, port);
      if (!('address' in p)) return p;
      const servername = request.params.servername ?? (isIpLiteral(target) ? undefined : target);
      return {
        ok: true,
        request: { ...request, params: { ...request.params, target: p.address, ...(servername ? { servername } : {}) } },
        contacted: [p.address],
      };
    }
    case 'route': {
      // Reads the local routing table only (nothing is sent): any rule covering the address will do.
      const decision = allowlist.check({ address: request.params.target, port: 'any' });
      if (!decision.allowed) {
        return {
          ok: false,
          code: 'not-allowed',
          reason: `refused by the agent's allowlist: ${decision.reason}`,
          ...(decision.allow ? { allow: decision.allow } : {}),
        };
      }
      return { ok: true, request, contacted: [] };
    }
    case 'dns': {
      const { server, port } = request.params;
      const servers = server ? [{ address: server, port }] : (deps.systemResolvers ?? getServers)().map(parseServer);
      if (servers.length === 0) return { ok: false, code: 'not-allowed', reason: 'this machine has no DNS resolver configured' };
      for (const s of servers) {
        const decision = allowlist.check({ address: s.address, port: s.port });
        if (!decision.allowed) {
          const which = server ? 'DNS server' : 'system resolver';
          return {
            ok: false,
            code: 'not-allowed',
            reason: `refused by the agent's allowlist: ${which} ${decision.reason}`,
            ...(decision.allow ? { allow: decision.allow } : {}),
          };
        }
      }
      return { ok: true, request, contacted: servers.map((s) => s.address) };
    }
  }
}

/** dns.getServers() gives "10.0.0.2", "10.0.0.2:5353" or "[::1]:5353". */
function parseServer(text: string): { address: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) return { address: v6[1]!, port: v6[2] ? Number(v6[2]) : 53 };
  const v4 = /^([\d.]+):(\d+)$/.exec(text);
  if (v4) return { address: v4[1]!, port: Number(v4[2]) };
  return { address: text, port: 53 };
}
