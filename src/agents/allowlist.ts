import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { isHostname } from '../probes/target.js';

/**
 * The agent's own allowlist: what it may contact, whatever the hub asks. Without it an agent is an internal
 * network scanner driven from a chat message, so it is enforced on the agent, from its own command line or
 * config file, and checked against the address a probe will ACTUALLY contact (after DNS resolution), so a
 * name cannot smuggle in an address the rules do not allow (DNS rebinding, a poisoned record).
 *
 * Rules (one per --allow):
 *   10.0.0.0/8   192.168.1.10   2001:db8::/32        an address or a CIDR block
 *   .outsystemsenterprise.com   *.example.com        every name under a suffix (not the apex itself)
 *   dns.example.com                                  exactly one name
 *   RULE:PORTS  e.g. 10.0.0.0/8:53  .outsystemsenterprise.com:443,80  10.1.2.3:8000-8100  [2001:db8::/32]:443
 * A rule with ports only allows those TCP/UDP ports, so it never allows ICMP (ping, traceroute).
 * A route lookup (the route probe) sends nothing: it is allowed for any address some rule covers, at any port,
 * so the rules that let a check reach the cloud DNS also let it ask which way this machine routes to them.
 *
 * Protected addresses (loopback, link-local, unspecified, multicast, broadcast and the agent's own addresses)
 * are refused unless an ADDRESS rule lists them explicitly: a block at least as narrow as the protected block
 * (127.0.0.0/8 unlocks loopback; 0.0.0.0/0 or 10.0.0.0/8 do not unlock 127.0.0.1 or the agent's 10.1.2.3).
 * A name rule never unlocks a protected address: a name can be made to point anywhere.
 */

export class AllowlistError extends Error {
  override name = 'AllowlistError';
}

interface PortRange {
  from: number;
  to: number;
}

type Family = 'ipv4' | 'ipv6';

export type AllowRule =
  | { kind: 'cidr'; text: string; address: string; prefix: number; family: Family; ports: PortRange[] | null; list: BlockList }
  | { kind: 'suffix'; text: string; suffix: string; ports: PortRange[] | null }
  | { kind: 'host'; text: string; name: string; ports: PortRange[] | null };

/** One address (and port) a probe is about to contact, and the name it came from, if any. */
export interface Contact {
  address: string;
  /**
   * null/undefined for ICMP and traceroute. 'any' for a route lookup (it sends nothing, only reads this
   * machine's routing table): any rule covering the address allows it, whatever ports the rule names.
   */
  port?: number | null | 'any';
  /** The host name as requested, when the address was resolved from it. */
  host?: string | null;
}

/** A refusal names the narrowest rule that would allow the contact (`allow`), for the operator to add. */
export type Decision = { allowed: true; rule: string } | { allowed: false; reason: string; allow?: string };

const PROTECTED: { label: string; network: string; prefix: number; family: Family }[] = [
  { label: 'a loopback address', network: '127.0.0.0', prefix: 8, family: 'ipv4' },
  { label: 'a link-local address', network: '169.254.0.0', prefix: 16, family: 'ipv4' },
  { label: 'an unspecified address', network: '0.0.0.0', prefix: 8, family: 'ipv4' },
  { label: 'a multicast address', network: '224.0.0.0', prefix: 4, family: 'ipv4' },
  { label: 'the broadcast address', network: '255.255.255.255', prefix: 32, family: 'ipv4' },
  { label: 'a loopback address', network: '::1', prefix: 128, family: 'ipv6' },
  { label: 'an unspecified address', network: '::', prefix: 128, family: 'ipv6' },
  { label: 'a link-local address', network: 'fe80::', prefix: 10, family: 'ipv6' },
  { label: 'a multicast address', network: 'ff00::', prefix: 8, family: 'ipv6' },
  // Cloud platform endpoints outside link-local that hand out credentials or host config when the agent
  // itself runs in a cloud VM: never a diagnosis target unless listed on purpose.
  { label: "Azure's platform endpoint (WireServer)", network: '168.63.129.16', prefix: 32, family: 'ipv4' },
  { label: "AWS's IPv6 instance metadata endpoint", network: 'fd00:ec2::254', prefix: 128, family: 'ipv6' },
];

/**
 * The canonical form of an address: IPv4-mapped IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`) becomes the IPv4
 * it stands for, since that is what the kernel contacts; zone ids are refused. Returns null for non-addresses.
 */
export function canonicalAddress(input: string): { address: string; family: Family } | null {
  if (input.includes('%')) return null;
  const v = isIP(input);
  if (v === 4) return { address: input, family: 'ipv4' };
  if (v !== 6) return null;
  const compact = new URL(`http://[${input}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compact);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return { address: `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, family: 'ipv4' };
  }
  return { address: compact, family: 'ipv6' };
}

function parsePorts(text: string, rule: string): PortRange[] {
  return text.split(',').map((part) => {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part.trim());
    const from = m ? Number(m[1]) : NaN;
    const to = m?.[2] ? Number(m[2]) : from;
    if (!m || from < 1 || to > 65535 || to < from)
      throw new AllowlistError(`allow rule "${rule}": bad port "${part}" (use 443, 80,443 or 8000-8100)`);
    return { from, to };
  });
}

/** Parses one rule; throws AllowlistError with the rule and what is wrong with it. */
export function parseRule(input: string): AllowRule {
  const text = input.trim();
  if (text === '') throw new AllowlistError('empty allow rule');
  let body = text;
  let portText: string | null = null;
  if (text.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(.+))?$/.exec(text);
    if (!m) throw new AllowlistError(`allow rule "${text}": use [IPv6/prefix]:port for IPv6 with ports`);
    body = m[1]!;
    portText = m[2] ?? null;
  } else if ((text.match(/:/g) ?? []).length === 1) {
    const at = text.lastIndexOf(':');
    body = text.slice(0, at);
    portText = text.slice(at + 1);
  }
  const ports = portText === null ? null : parsePorts(portText, text);

  const cidr = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(body);
  const addr = cidr ? canonicalAddress(cidr[1]!) : null;
  if (cidr && addr) {
    const max = addr.family === 'ipv4' ? 32 : 128;
    const prefix = cidr[2] === undefined ? max : Number(cidr[2]);
    if (prefix > max) throw new AllowlistError(`allow rule "${text}": prefix /${prefix} is longer than /${max}`);
    const list = new BlockList();
    list.addSubnet(addr.address, prefix, addr.family);
    return { kind: 'cidr', text, address: addr.address, prefix, family: addr.family, ports, list };
  }
  const lower = body.toLowerCase();
  const suffix = lower.startsWith('*.') ? lower.slice(1) : lower.startsWith('.') ? lower : null;
  if (suffix !== null) {
    if (!isHostname(suffix.slice(1)) || !suffix.slice(1).includes('.')) {
      throw new AllowlistError(
        `allow rule "${text}": a suffix rule needs a domain with at least two labels, like .outsystemsenterprise.com`,
      );
    }
    return { kind: 'suffix', text, suffix, ports };
  }
  if (isHostname(lower)) return { kind: 'host', text, name: lower, ports };
  throw new AllowlistError(`allow rule "${text}": not an address, CIDR block, .domain suffix or host name`);
}

function portAllowed(ports: PortRange[] | null, port: number | null | undefined | 'any'): boolean {
  if (ports === null || port === 'any') return true;
  if (port === null || port === undefined) return false;
  return ports.some((r) => port >= r.from && port <= r.to);
}

function nameMatches(rule: AllowRule, host: string): boolean {
  if (rule.kind === 'suffix') return host.endsWith(rule.suffix) && host.length > rule.suffix.length;
  if (rule.kind === 'host') return host === rule.name;
  return false;
}

/** The addresses of this machine's interfaces (what "its own addresses" means). */
export function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address.split('%')[0]!] : []));
}

export class Allowlist {
  readonly rules: readonly AllowRule[];
  private readonly protectedBlocks: { label: string; prefix: number; family: Family; list: BlockList }[];

  constructor(rules: readonly AllowRule[], options: { ownAddresses?: readonly string[] } = {}) {
    this.rules = rules;
    const block = (p: { label: string; network: string; prefix: number; family: Family }) => {
      const list = new BlockList();
      list.addSubnet(p.network, p.prefix, p.family);
      return { label: p.label, prefix: p.prefix, family: p.family, list };
    };
    const fixed = PROTECTED.map(block);
    // Own addresses inside a fixed block (127.0.0.1, fe80::...) are governed by that block, so that
    // --allow 127.0.0.0/8 is enough to probe a loopback test server.
    const own = (options.ownAddresses ?? localAddresses()).flatMap((a) => {
      const c = canonicalAddress(a);
      if (!c || fixed.some((f) => f.family === c.family && f.list.check(c.address, c.family))) return [];
      return [block({ label: "this agent's own address", network: c.address, prefix: c.family === 'ipv4' ? 32 : 128, family: c.family })];
    });
    this.protectedBlocks = [...fixed, ...own];
  }

  static parse(texts: readonly string[], options: { ownAddresses?: readonly string[] } = {}): Allowlist {
    return new Allowlist(texts.map(parseRule), options);
  }

  get texts(): string[] {
    return this.rules.map((r) => r.text);
  }

  check(contact: Contact): Decision {
    const where = describe(contact);
    const addr = canonicalAddress(contact.address);
    if (!addr) return { allowed: false, reason: `${where}: not an IP address` };
    const port = contact.port ?? null;
    const allow = ruleFor(addr, port === 'any' ? null : port);

    // The most specific protection that applies; an address rule must be at least that narrow to unlock it.
    const protection = this.protectedBlocks
      .filter((p) => p.family === addr.family && p.list.check(addr.address, addr.family))
      .sort((a, b) => b.prefix - a.prefix)[0];

    for (const rule of this.rules) {
      if (rule.kind !== 'cidr' || rule.family !== addr.family) continue;
      if (!rule.list.check(addr.address, addr.family) || !portAllowed(rule.ports, port)) continue;
      if (protection && rule.prefix < protection.prefix) continue;
      return { allowed: true, rule: rule.text };
    }
    if (protection) {
      return { allowed: false, reason: `${where} is ${protection.label}; allow it explicitly (e.g. --allow ${allow}) to probe it`, allow };
    }
    const host = contact.host?.toLowerCase().replace(/\.$/, '');
    if (host) {
      const rule = this.rules.find((r) => nameMatches(r, host) && portAllowed(r.ports, port));
      if (rule) return { allowed: true, rule: rule.text };
    }
    return {
      allowed: false,
      reason: `${where} is outside this agent's allowlist (${this.rules.length ? this.texts.join(' ') : 'empty: the agent was started without --allow'})`,
      allow,
    };
  }
}

/** The narrowest rule that allows one address (and port): "10.0.0.2:53", "10.0.0.2", "[2001:db8::1]:443". */
export function ruleFor(addr: { address: string; family: Family }, port: number | null): string {
  if (port === null) return addr.address;
  return addr.family === 'ipv6' ? `[${addr.address}]:${port}` : `${addr.address}:${port}`;
}

function describe(c: Contact): string {
  const addr = isIP(c.address) === 6 ? `[${c.address}]` : c.address;
  const target = typeof c.port === 'number' ? `${addr}:${c.port}` : addr;
  return c.host && c.host !== c.address ? `${c.host} (${target})` : target;
}
