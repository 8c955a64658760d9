/** dnsmasq instances: the two cloud DNS servers and the customer's corporate resolver. */
import { join } from 'node:path';
import { startDaemon, type Daemon } from './exec.js';
import { waitForListener } from './listen.js';

export interface DnsmasqSpec {
  name: string;
  ns: string;
  /** The one address it binds to (bind-interfaces), so several instances can share a namespace. */
  listen: string;
  dir: string;
  /** Authoritative records: host -> address. */
  records?: ReadonlyArray<readonly [string, string]>;
  /** Answer NXDOMAIN for anything else under these domains instead of forwarding. */
  localDomains?: readonly string[];
  /** Conditional forwarders: domain -> upstream servers (the guide's outsystemsenterprise.com forwarder). */
  forwarders?: ReadonlyArray<readonly [string, readonly string[]]>;
  /** Fixed answers for a whole domain: stands in for "resolved through the internet" (a public address). */
  fixedAnswers?: ReadonlyArray<readonly [string, string]>;
}

export function dnsmasqArgs(s: DnsmasqSpec): string[] {
  const args = [
    '--keep-in-foreground',
    // No config file, no /etc/hosts, no upstreams from resolv.conf: the instance is exactly its arguments.
    '--conf-file=/dev/null',
    '--no-hosts',
    '--no-resolv',
    '--no-poll',
    '--bind-interfaces',
    `--listen-address=${s.listen}`,
    '--pid-file=',
    '--user=root',
    '--group=root',
    '--cache-size=0', // every query reaches the upstream, so a fault applied mid-run shows at once
    '--log-queries',
    `--log-facility=${join(s.dir, `${s.name}.log`)}`,
  ];
  for (const [host, addr] of s.records ?? []) args.push(`--host-record=${host},${addr}`);
  for (const d of s.localDomains ?? []) args.push(`--local=/${d}/`);
  for (const [domain, servers] of s.forwarders ?? []) for (const server of servers) args.push(`--server=/${domain}/${server}`);
  for (const [domain, addr] of s.fixedAnswers ?? []) args.push(`--address=/${domain}/${addr}`);
  return args;
}

export async function startDnsmasq(s: DnsmasqSpec): Promise<Daemon> {
  const d = startDaemon(`dnsmasq ${s.name}@${s.ns}`, s.ns, 'dnsmasq', dnsmasqArgs(s), {
    logPath: join(s.dir, `${s.name}.stdout`),
  });
  await waitForListener(s.ns, 'udp', s.listen, 53, d);
  return d;
}
