/**
 * The lab's own eyes: plain system tools (ping, dig, nc, traceroute) run inside a namespace. They prove a
 * scenario's fault is real independently of vpn-doctor, so a failing check test means the check is wrong,
 * not the lab.
 */
import type { Lab } from './lab.js';
import type { Role } from './plan.js';

export async function pingOk(lab: Lab, from: Role, addr: string): Promise<boolean> {
  const r = await lab.exec(from, 'ping', ['-n', '-c', '2', '-i', '0.2', '-W', '1', '--', addr]);
  return r.code === 0;
}

/** A records from `server` for `name`, or null when no answer came at all (timeout, unreachable). */
export async function dig(lab: Lab, from: Role, server: string, name: string, opts: { tcp?: boolean } = {}): Promise<string[] | null> {
  const args = ['+short', '+time=1', '+tries=1', ...(opts.tcp ? ['+tcp'] : []), `@${server}`, name, 'A'];
  const r = await lab.exec(from, 'dig', args);
  if (r.code !== 0) return null;
  // dig +short prints ";; ..." comments for errors like SERVFAIL; addresses are the only bare lines we want.
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l));
}

export async function tcpOpen(lab: Lab, from: Role, addr: string, port: number): Promise<boolean> {
  const r = await lab.exec(from, 'nc', ['-z', '-n', '-w', '2', addr, String(port)]);
  return r.code === 0;
}

/** Addresses of the hops that answered, in order (a "*" hop is left out). */
export async function traceHops(lab: Lab, from: Role, addr: string): Promise<string[]> {
  const r = await lab.exec(from, 'traceroute', ['-n', '-q', '1', '-w', '1', '-m', '6', addr]);
  const hops: string[] = [];
  for (const line of r.stdout.split('\n').slice(1)) {
    const m = /^\s*\d+\s+(\d+\.\d+\.\d+\.\d+)/.exec(line);
    if (m) hops.push(m[1]!);
  }
  return hops;
}

/** Whether a TLS handshake with `addr:443` (SNI `name`) completes, by openssl s_client (stdin closed: it quits after). */
export async function tlsHandshakes(lab: Lab, from: Role, addr: string, name: string): Promise<boolean> {
  const r = await lab.exec(from, 'openssl', ['s_client', '-brief', '-connect', `${addr}:443`, '-servername', name], { timeoutMs: 4000 });
  return r.code === 0 && /CONNECTION ESTABLISHED|Protocol version/i.test(r.stdout + r.stderr);
}

/** Bytes a ping of `size` payload carries back when it gets through: proves the black hole is size-bound. */
export async function pingSizeOk(lab: Lab, from: Role, addr: string, size: number): Promise<boolean> {
  const r = await lab.exec(from, 'ping', ['-n', '-c', '2', '-i', '0.2', '-W', '1', '-M', 'do', '-s', String(size), '--', addr]);
  return r.code === 0;
}
