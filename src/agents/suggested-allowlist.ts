import { isIP } from 'node:net';
import { AllowlistError, parseRule } from './allowlist.js';

/**
 * The allowlist an agent needs for the connectivity check as the runbook plans it (src/diagnosis/plan.ts),
 * so the line `agents add` prints works the first time:
 *   each cloud DNS server   its address, every port: ping and traceroute (no port) and DNS on 53
 *   the cloud range         TCP 443 and 80: the check connects to the private ADDRESS a name resolves to,
 *                           so a name rule cannot cover it
 *   the resolver            DNS on 53 (the corporate resolver the check compares with the cloud DNS)
 *   the edge device         ping (its inside IP)
 *   the environment hosts   443 and 80 by name, for probes asked by name (the check itself uses addresses)
 * Every rule is parsed here, so a typo fails at `agents add`, not on the agent.
 */
export interface CheckTargets {
  dnsServers: readonly string[];
  cloudRange?: string | undefined;
  resolver?: string | undefined;
  edge?: string | undefined;
  hosts?: readonly string[];
}

export function allowRulesFor(t: CheckTargets): string[] {
  const address = (what: string, ip: string | undefined): void => {
    if (ip !== undefined && isIP(ip) === 0) throw new AllowlistError(`${what} "${ip}" is not an IP address`);
  };
  t.dnsServers.forEach((ip) => address('cloud DNS server', ip));
  address('resolver', t.resolver);
  address('edge device', t.edge);
  if (t.cloudRange !== undefined && parseRule(t.cloudRange).kind !== 'cidr')
    throw new AllowlistError(`cloud range "${t.cloudRange}" is not a CIDR block`);
  const rules: string[] = [];
  // An address rule without ports also allows ICMP, which ping and traceroute need.
  for (const ip of t.dnsServers) rules.push(ip);
  if (t.cloudRange) rules.push(`${portable(t.cloudRange)}:443,80`);
  if (t.resolver) rules.push(`${portable(t.resolver)}:53`);
  if (t.edge) rules.push(t.edge);
  for (const host of t.hosts ?? []) rules.push(`${host}:443,80`);
  const unique = [...new Set(rules)];
  for (const r of unique) parseRule(r);
  return unique;
}

/** IPv6 addresses and blocks take brackets before a port: [2001:db8::/32]:443. */
function portable(addressOrCidr: string): string {
  return isIP(addressOrCidr.split('/')[0] ?? '') === 6 ? `[${addressOrCidr}]` : addressOrCidr;
}

/** The `vpn-doctor agent` command line for a registered agent (the token goes in a file, never in argv). */
export function agentCommandLine(o: {
  hub: string;
  name: string;
  tokenFile: string;
  rules: readonly string[];
  keepalive?: string | undefined;
}): string {
  const parts = [`vpn-doctor agent --hub ${o.hub} --name ${o.name} --token-file ${o.tokenFile}`, ...o.rules.map((r) => `--allow ${r}`)];
  if (o.keepalive) parts.push(`--keepalive ${o.keepalive}`);
  return parts.join(' \\\n    ');
}
