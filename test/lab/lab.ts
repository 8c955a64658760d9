/**
 * The network lab: builds the healthy topology of plan.ts, injects one fault at a time and always tears
 * down. Usage: `const lab = await Lab.start(); try { await lab.faults.wrongPsk(); ... } finally { lab.stop(); }`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerTeardown } from './cleanup.js';
import { startDnsmasq, type DnsmasqSpec } from './dnsmasq.js';
import { killPidSync, mustIn, runIn, waitFor, type Daemon, type RunOptions, type RunResult } from './exec.js';
import { makeCertificate, startFrontEnd } from './frontend.js';
import { isListening } from './listen.js';
import {
  addAddress,
  addNamespace,
  addVeth,
  destroyNamespaceSync,
  enableForwarding,
  precleanLeftovers,
  route,
  writeResolvConf,
} from './netns.js';
import { ENV_DOMAIN, ENV_HOST, IKE_PSK, PLAN, PREFIX, ROLES, WRONG_PSK, type Role } from './plan.js';
import { childSaInstalled, initiate, setPsk, startCharon, terminate, type Charon } from './strongswan.js';

export type Namespaces = Record<Role, string>;

let current: Lab | undefined;

export class Lab {
  readonly daemons: Daemon[] = [];
  charons: { gw: Charon; cloud: Charon } | undefined;
  /** The lab CA that issued the front-end's certificate (PEM file): checks trust it via NODE_EXTRA_CA_CERTS. */
  caCert: string | undefined;
  private resolver: Daemon | undefined;
  private http: Daemon | undefined;
  private unregister: () => void;
  private stopped = false;
  readonly faults: Faults;

  private constructor(
    readonly ns: Namespaces,
    readonly dir: string,
  ) {
    // Registered before anything exists, so a setup that fails half-way is still torn down.
    this.unregister = registerTeardown(() => this.stop());
    this.faults = new Faults(this);
  }

  /** Builds the healthy lab: namespaces, links, routes, firewall baseline, tunnel up, DNS, front-end. */
  static async start(): Promise<Lab> {
    if (current) throw new Error('a lab is already running in this process; stop it first');
    precleanLeftovers();
    const base = `${PREFIX}${process.pid}-`;
    const ns = Object.fromEntries(ROLES.map((r) => [r, `${base}${r}`])) as Namespaces;
    const lab = new Lab(ns, mkdtempSync(join(tmpdir(), base)));
    current = lab;
    try {
      await lab.build();
      return lab;
    } catch (err) {
      lab.stop();
      throw err;
    }
  }

  private async build(): Promise<void> {
    const { ns } = this;
    const p = PLAN;
    for (const role of ROLES) await addNamespace(ns[role]);

    // Links: lan <-> core <-> gw <-> (transit) <-> cloud.
    await addVeth(ns.lan, 'eth0', ns.core, 'lan0');
    await addVeth(ns.core, 'core0', ns.gw, 'eth0');
    await addVeth(ns.gw, 'wan0', ns.cloud, 'wan0');
    await addAddress(ns.lan, `${p.lan.addr}/${p.lan.prefix}`, 'eth0');
    await addAddress(ns.core, `${p.core.lanSide}/${p.core.prefix}`, 'lan0');
    await addAddress(ns.core, `${p.core.gwSide}/${p.core.prefix}`, 'core0');
    await addAddress(ns.gw, `${p.gw.inside}/${p.gw.prefix}`, 'eth0');
    await addAddress(ns.gw, `${p.gw.outside}/${p.gw.prefix}`, 'wan0');
    await addAddress(ns.cloud, `${p.cloud.outside}/${p.cloud.prefix}`, 'wan0');
    for (const a of [...p.cloud.dns, p.cloud.frontEnd, p.cloud.publicFrontEnd]) await addAddress(ns.cloud, `${a}/32`, 'lo');

    // Routes. The gw's "internet" default route points at the cloud's outside address. With the tunnel
    // up, charon's route into ipsec0 (table 220, consulted before main) carries the cloud VPC.
    await route(ns.lan, 'add', ['default', 'via', p.lan.via]);
    await route(ns.core, 'add', ['default', 'via', p.gw.inside]);
    await route(ns.gw, 'add', [p.customerRange, 'via', p.core.gwSide]);
    await route(ns.gw, 'add', ['default', 'via', p.cloud.outside]);
    await enableForwarding(ns.core);
    await enableForwarding(ns.gw);

    // Stray lookups stay in the lab: the customer side asks its corporate resolver, the cloud its own DNS.
    for (const role of ['lan', 'core', 'gw'] as const) writeResolvConf(ns[role], p.gw.inside);
    writeResolvConf(ns.cloud, p.cloud.dns[0]);

    // Firewall baseline. gw: customer traffic to the internet leaves NATed behind the outside address.
    await this.iptables('gw', ['-t', 'nat', '-A', 'POSTROUTING', '-s', p.customerRange, '-o', 'wan0', '-j', 'MASQUERADE']);
    // gw: with no CHILD_SA, LAN traffic for the cloud VPC would follow the default route in clear; drop it
    // as a VPN device does. A filter rule, not a blackhole route: a route drop happens before the TTL
    // check, so the edge would vanish from traceroute, while a real edge still answers its hop. (The
    // resolver's own queries are left to the cloud's rule below: a local OUTPUT drop fails at once with
    // EPERM, where a real network times out.)
    await this.iptables('gw', ['-A', 'FORWARD', '-o', 'wan0', '-d', p.cloudVpc, '-j', 'DROP']);
    // cloud: the VPC is only reachable through the tunnel (decrypted traffic arrives on ipsec0), and the
    // front-end drops ICMP, as the guide says OutSystems front-ends do.
    await this.iptables('cloud', ['-A', 'INPUT', '-i', 'wan0', '-d', p.cloudVpc, '-j', 'DROP']);
    await this.iptables('cloud', ['-A', 'INPUT', '-d', p.cloud.frontEnd, '-p', 'icmp', '-j', 'DROP']);

    // IPsec: cloud is the responder (OutSystems only responds), gw initiates.
    const [cloud, gw] = await Promise.all([
      startCharon({
        ns: ns.cloud,
        dir: join(this.dir, 'cloud'),
        localAddr: p.cloud.outside,
        remoteAddr: p.gw.outside,
        localTs: p.cloudVpc,
        remoteTs: p.customerRange,
        psk: IKE_PSK,
      }),
      startCharon({
        ns: ns.gw,
        dir: join(this.dir, 'gw'),
        localAddr: p.gw.outside,
        remoteAddr: p.cloud.outside,
        localTs: p.customerRange,
        remoteTs: p.cloudVpc,
        psk: IKE_PSK,
      }),
    ]);
    this.charons = { gw, cloud };
    this.daemons.push(cloud.daemon, gw.daemon);
    await this.bringTunnelUp();

    // DNS and front-end, started side by side.
    const cloudDns = (addr: string, i: number): DnsmasqSpec => ({
      name: `cloud-dns-${i + 1}`,
      ns: ns.cloud,
      listen: addr,
      dir: this.dir,
      records: [[ENV_HOST, p.cloud.frontEnd]],
      localDomains: [ENV_DOMAIN],
    });
    const tls = await makeCertificate(this.dir, ENV_HOST);
    this.caCert = tls.ca;
    const started = await Promise.all([
      ...p.cloud.dns.map((a, i) => startDnsmasq(cloudDns(a, i))),
      startDnsmasq(this.resolverSpec(true)),
      startFrontEnd(ns.cloud, this.dir, [p.cloud.frontEnd, p.cloud.publicFrontEnd], 443, tls),
      startFrontEnd(ns.cloud, this.dir, [p.cloud.frontEnd, p.cloud.publicFrontEnd], 80),
    ]);
    this.daemons.push(...started);
    this.resolver = started[2];
    this.http = started[4];
  }

  /** The corporate resolver, with the guide's conditional forwarder or, without it, answering the public address. */
  resolverSpec(conditionalForwarder: boolean): DnsmasqSpec {
    return {
      name: 'corporate-resolver',
      ns: this.ns.gw,
      listen: PLAN.gw.inside,
      dir: this.dir,
      ...(conditionalForwarder
        ? { forwarders: [[ENV_DOMAIN, PLAN.cloud.dns]] as const }
        : { fixedAnswers: [[ENV_DOMAIN, PLAN.cloud.publicFrontEnd]] as const }),
    };
  }

  async bringTunnelUp(): Promise<void> {
    const gw = this.charons!.gw;
    const r = await initiate(gw);
    if (!r.ok) throw new Error(`IPsec tunnel did not come up:\n${r.output.slice(-2000)}`);
    // The route into ipsec0 (table 220) is what actually carries traffic; wait for it, not just the SA.
    await waitFor('the tunnel route in table 220', async () =>
      (await this.ip('gw', ['route', 'show', 'table', '220'])).stdout.includes('ipsec0'),
    );
  }

  async tunnelUp(): Promise<boolean> {
    return childSaInstalled(this.charons!.gw);
  }

  /** Runs a command inside one of the lab's namespaces (argument array, no shell). */
  exec(role: Role, cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return runIn(this.ns[role], cmd, args, { timeoutMs: 30_000, ...opts });
  }

  ip(role: Role, args: readonly string[]): Promise<RunResult> {
    return mustIn(this.ns[role], 'ip', args);
  }

  iptables(role: Role, args: readonly string[]): Promise<RunResult> {
    // -w: wait for the xtables lock instead of failing when another iptables runs at the same moment.
    return mustIn(this.ns[role], 'iptables', ['-w', ...args]);
  }

  /** A daemon a scenario started in the lab (the hub and agent of the agent scenario): stopped with the lab. */
  adopt(d: Daemon): void {
    this.daemons.push(d);
  }

  /** Internal to Faults: swap the resolver or drop the port-80 listener. */
  async replaceResolver(spec: DnsmasqSpec): Promise<void> {
    if (this.resolver) this.stopDaemon(this.resolver);
    this.resolver = await startDnsmasq(spec);
    this.daemons.push(this.resolver);
  }

  async closeHttp(): Promise<void> {
    if (this.http) this.stopDaemon(this.http);
    this.http = undefined;
    await waitFor('port 80 to close', async () => !(await isListening(this.ns.cloud, 'tcp', PLAN.cloud.frontEnd, 80)));
  }

  private stopDaemon(d: Daemon): void {
    killPidSync(d.pid);
    const i = this.daemons.indexOf(d);
    if (i >= 0) this.daemons.splice(i, 1);
  }

  /**
   * Synchronous and idempotent so that the exit handlers can call it too: stops the daemons (charon
   * first, so it can still send its IKE delete), removes the namespaces and the temp folder.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unregister();
    for (const d of [...this.daemons].reverse()) killPidSync(d.pid);
    for (const role of ROLES) destroyNamespaceSync(this.ns[role]);
    if (process.env.VDLAB_KEEP_LOGS !== '1') rmSync(this.dir, { recursive: true, force: true });
    if (current === this) current = undefined;
  }
}

/**
 * Packets from this size (bytes, IP) up are dropped by the MTU black hole: below the front-end's TLS flight
 * (an ECDSA certificate: about 800 bytes with an X25519 key share), above ping, DNS and TCP handshakes.
 */
export const BLACK_HOLE_BYTES = 600;

/** An address on the LAN subnet that no host uses: a next hop that never answers ARP. */
export const WRONG_NEXT_HOP = '10.250.1.99';

/** The faults the scenarios inject into a healthy lab; each states what it breaks and where. */
export class Faults {
  constructor(private readonly lab: Lab) {}

  /** Tunnel down: the edge device gets a pre-shared key the cloud does not know; IKE_AUTH fails. */
  async wrongPsk(): Promise<{ initiateOutput: string }> {
    const gw = this.lab.charons!.gw;
    await setPsk(gw, WRONG_PSK);
    await terminate(gw);
    const r = await initiate(gw, 5);
    if (r.ok) throw new Error('the tunnel came up with a wrong pre-shared key');
    await waitFor(
      'the tunnel route to disappear',
      async () => !(await this.lab.ip('gw', ['route', 'show', 'table', '220'])).stdout.includes('ipsec0'),
    );
    return { initiateOutput: r.output };
  }

  /** No conditional forwarder: the corporate resolver answers the environment's public address. */
  async noConditionalForwarder(): Promise<void> {
    await this.lab.replaceResolver(this.lab.resolverSpec(false));
  }

  /**
   * UDP 53 from the customer range never reaches the cloud DNS; ping and TCP still do. Dropped where the
   * tunnel ends in the cloud, silently: from the LAN this is what a customer firewall dropping it looks like,
   * and it catches the corporate resolver's forwarded queries too (a drop on the gw itself would fail the
   * resolver's own sends at once with EPERM instead of timing out).
   */
  async blockDnsUdp(): Promise<void> {
    await this.lab.iptables('cloud', ['-I', 'INPUT', '-i', 'ipsec0', '-s', PLAN.customerRange, '-p', 'udp', '--dport', '53', '-j', 'DROP']);
  }

  /** The cloud's security group does not let the customer range reach the front-end on TCP 443. */
  async blockHttps(): Promise<void> {
    await this.lab.iptables('cloud', [
      '-I',
      'INPUT',
      '-p',
      'tcp',
      '-s',
      PLAN.customerRange,
      '-d',
      PLAN.cloud.frontEnd,
      '--dport',
      '443',
      '-j',
      'DROP',
    ]);
  }

  /**
   * The customer's internal router drops traffic for the cloud VPC, so it never reaches the edge device.
   * In FORWARD, after the TTL check: the router still answers its own traceroute hop and the trace
   * stops there, at an address of the customer's network, as the guide describes.
   */
  async breakInternalRoute(): Promise<void> {
    await this.lab.iptables('core', ['-I', 'FORWARD', '-d', PLAN.cloudVpc, '-j', 'DROP']);
  }

  /**
   * The LAN host's own route to the cloud VPC points at a next hop that does not exist on its subnet
   * (10.250.1.99): the kernel's neighbour lookup fails and it answers EHOSTUNREACH; everything else
   * (the default route to the resolver and the edge) is untouched.
   */
  async wrongNextHop(): Promise<void> {
    const r = await this.lab.ip('lan', ['route', 'replace', PLAN.cloudVpc, 'via', WRONG_NEXT_HOP]);
    if (r.code !== 0) throw new Error(`ip route replace failed: ${r.stderr}`);
  }

  /**
   * An MTU/MSS black hole: on the way back from the cloud, packets of BLACK_HOLE_BYTES or more are dropped and
   * no ICMP "fragmentation needed" comes back (a smaller MTU somewhere on the path, its ICMP filtered).
   * Small packets pass: ping, DNS and the TCP handshake work; the front-end's TLS flight (its certificate)
   * never arrives, so HTTPS hangs. Dropped where the tunnel ends in the cloud, after decryption.
   */
  async mtuBlackHole(): Promise<void> {
    await this.lab.iptables('cloud', [
      '-I',
      'OUTPUT',
      '-o',
      'ipsec0',
      '-d',
      PLAN.customerRange,
      '-m',
      'length',
      '--length',
      `${BLACK_HOLE_BYTES}:65535`,
      '-j',
      'DROP',
    ]);
  }

  /** Sentry: the front-end listens on 443 only. */
  async closePort80(): Promise<void> {
    await this.lab.closeHttp();
  }
}
