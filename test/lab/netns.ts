/** Network namespace plumbing: namespaces, veth pairs, addresses, routes, sysctls, per-namespace resolv.conf. */
import { mkdirSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { must, mustIn, runSyncQuiet, killPidSync, isAlive } from './exec.js';
import { NS_NAME_RE, PREFIX } from './plan.js';

export async function addNamespace(name: string): Promise<void> {
  await must('ip', ['netns', 'add', name]);
  await must('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
}

/**
 * A veth pair created directly inside the two namespaces, so no interface ever appears in the machine's
 * own namespace (no name clashes with it, nothing to leak there if we crash).
 */
export async function addVeth(nsA: string, ifA: string, nsB: string, ifB: string): Promise<void> {
  await must('ip', ['link', 'add', ifA, 'netns', nsA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB]);
  await must('ip', ['-n', nsA, 'link', 'set', ifA, 'up']);
  await must('ip', ['-n', nsB, 'link', 'set', ifB, 'up']);
}

/** Adds an address; `dummy` links do not work on these kernels, so extra host addresses go on `lo`. */
export async function addAddress(ns: string, cidr: string, dev: string): Promise<void> {
  await must('ip', ['-n', ns, 'addr', 'add', cidr, 'dev', dev]);
}

/** `ip route <verb> <spec...>` in a namespace, e.g. route(ns, 'add', ['default', 'via', '10.0.0.1']). */
export async function route(ns: string, verb: 'add' | 'replace' | 'del', spec: readonly string[]): Promise<void> {
  await must('ip', ['-n', ns, 'route', verb, ...spec]);
}

export async function enableForwarding(ns: string): Promise<void> {
  await mustIn(ns, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
}

/**
 * `ip netns exec` bind-mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf. Giving every namespace
 * one that points at a lab resolver keeps any stray lookup (reverse DNS in traceroute, getaddrinfo in nc
 * or in the check) inside the lab instead of going to the machine's real resolver.
 */
export function writeResolvConf(ns: string, nameserver: string): void {
  const dir = join('/etc/netns', ns);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'resolv.conf'), `nameserver ${nameserver}\noptions timeout:2 attempts:1\n`);
}

export function listNamespaces(): string[] {
  const { stdout } = runSyncQuiet('ip', ['netns', 'list']);
  // Lines look like "name" or "name (id: 3)".
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.length > 0);
}

export function namespacePids(ns: string): number[] {
  const { stdout } = runSyncQuiet('ip', ['netns', 'pids', ns]);
  return stdout
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

/**
 * Removes one lab namespace: kills whatever still runs in it (only processes the lab started live
 * there), deletes it and its /etc/netns folder. Synchronous and never throwing: it runs from exit handlers.
 */
export function destroyNamespaceSync(ns: string): void {
  if (!ns.startsWith(PREFIX)) throw new Error(`refusing to touch a namespace the lab did not create: ${ns}`);
  for (const pid of namespacePids(ns)) killPidSync(pid, 1000);
  runSyncQuiet('ip', ['netns', 'del', ns]);
  rmSync(join('/etc/netns', ns), { recursive: true, force: true });
}

/**
 * Cleans up after lab runs that died without tearing down (SIGKILL, a crashed worker): namespaces and
 * temp folders named vdlab-<pid>-... whose pid no longer runs. A live lab of another process is left alone.
 */
export function precleanLeftovers(): string[] {
  const removed: string[] = [];
  for (const ns of listNamespaces()) {
    const m = NS_NAME_RE.exec(ns);
    if (!m || isOwnerAlive(Number(m[1]))) continue;
    destroyNamespaceSync(ns);
    removed.push(ns);
  }
  for (const entry of safeReaddir('/etc/netns')) {
    const m = NS_NAME_RE.exec(entry);
    if (m && !isOwnerAlive(Number(m[1]))) rmSync(join('/etc/netns', entry), { recursive: true, force: true });
  }
  for (const entry of safeReaddir(tmpdir())) {
    const m = /^vdlab-(\d+)-/.exec(entry);
    if (m && !isOwnerAlive(Number(m[1]))) {
      rmSync(join(tmpdir(), entry), { recursive: true, force: true });
      removed.push(join(tmpdir(), entry));
    }
  }
  return removed;
}

function isOwnerAlive(pid: number): boolean {
  return pid === process.pid || isAlive(pid);
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
