import { isIP } from 'node:net';
import type { CheckArgs } from './commands.js';

/**
 * What a free-text message says a check should use: environment host names, and IP addresses only when a
 * word next to them says what they are ("dns server 10.0.0.2", "our resolver is 192.168.1.1"). An address
 * with no role (a peer, a database) is never guessed into a probe target.
 */
export function checkHints(text: string, fqdns: string[]): Partial<CheckArgs> {
  const hints: Partial<CheckArgs> = {};
  const hosts = fqdns.filter((h) => h.toLowerCase().endsWith('.outsystemsenterprise.com'));
  if (hosts.length > 0) hints.hosts = hosts;

  const dns: string[] = [];
  const words = text.split(/[\s,;()]+/).filter(Boolean);
  let role: 'dns' | 'resolver' | 'edge' | null = null;
  let sinceRole = 0;
  for (const raw of words) {
    const word = raw.replace(/[.:!?]+$/, '');
    const lower = word.toLowerCase();
    if (isIP(word) === 4) {
      if (role === 'dns') dns.push(word);
      else if (role === 'resolver') hints.resolver ??= word;
      else if (role === 'edge') hints.edge ??= word;
      sinceRole = 0; // "dns 10.0.0.2 and 10.0.0.3": the role carries over a list
      continue;
    }
    // The role word nearest before the address decides; a resolver is a DNS server of ours, so it wins.
    if (/^(resolver|resolvers)$/.test(lower) || /^(internal|corporate|local|onprem|on-prem)$/.test(lower)) role = 'resolver';
    else if (/^(dns|nameserver|nameservers)$/.test(lower) && role !== 'resolver') role = 'dns';
    else if (/^(edge|firewall|fw|gateway|gw)$/.test(lower)) role = 'edge';
    else if (role && ++sinceRole > 4) role = null;
  }
  if (dns.length > 0) hints.dnsServers = [...new Set(dns)].slice(0, 4);
  // "we're on Sentry": Sentry environments accept HTTPS only, so the check must not expect port 80.
  if (/\bsentry\b/i.test(text)) hints.sentry = true;
  return hints;
}
