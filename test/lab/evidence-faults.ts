/**
 * IKE/IPsec faults for the log analyser (issue 12): each one changes the edge device's (gw) strongSwan
 * configuration or the network the way a customer's mistake would, tries to bring the tunnel up and leaves
 * the real charon log behind for `vpn-doctor analyze`. Every config text here is built from lab constants.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, TOOL_ENV, waitFor } from './exec.js';
import type { Lab } from './lab.js';
import { CHILD, CONN, initiate, loadConfig, readLog, swanctlConf, terminate, type Charon } from './strongswan.js';

export interface ConfigChange {
  /** Phase-1 proposals of the gw (strongSwan syntax). */
  proposals?: string;
  /** Phase-2 proposals of the gw. */
  espProposals?: string;
  /** The gw's local traffic selector. */
  localTs?: string;
  /** The gw's IKE identity. */
  localId?: string;
}

/** The gw's swanctl.conf with some values changed: the lab template, edited the way an admin would. */
export function editedConf(c: Charon, change: ConfigChange): string {
  let conf = swanctlConf(c.peer);
  if (change.proposals) conf = conf.replace(/^(\s*)proposals = .*$/m, `$1proposals = ${change.proposals}`);
  if (change.espProposals) conf = conf.replace(/^(\s*)esp_proposals = .*$/m, `$1esp_proposals = ${change.espProposals}`);
  if (change.localTs) conf = conf.replace(/^(\s*)local_ts = .*$/m, `$1local_ts = ${change.localTs}`);
  if (change.localId) {
    // The first `id =` is the local one; the shared secret must name the new identity too.
    conf = conf.replace(/^(\s*)id = .*$/m, `$1id = ${change.localId}`).replace(/^(\s*)id-1 = .*$/m, `$1id-1 = ${change.localId}`);
  }
  return conf;
}

async function reconfigure(c: Charon, change: ConfigChange): Promise<void> {
  writeFileSync(c.swanctlConf, editedConf(c, change));
  await loadConfig(c);
}

async function swanctl(c: Charon, args: readonly string[]) {
  return run('swanctl', [...args, '--uri', c.uri], {
    timeoutMs: 30_000,
    env: { ...TOOL_ENV, STRONGSWAN_CONF: join(c.peer.dir, 'strongswan.conf') },
  });
}

/** The gw's charon log from the byte offset where the fault starts, so an excerpt holds the fault only. */
export function logSince(c: Charon, offset: number): string {
  return readLog(c).slice(offset);
}

export class EvidenceFaults {
  constructor(private readonly lab: Lab) {}

  private get gw(): Charon {
    return this.lab.charons!.gw;
  }

  /** Tears the tunnel down, applies a change, initiates again; returns the log offset before the change. */
  private async retry(change: ConfigChange, timeoutS = 8): Promise<{ ok: boolean; from: number }> {
    const from = readLog(this.gw).length;
    await terminate(this.gw);
    await reconfigure(this.gw, change);
    const r = await initiate(this.gw, timeoutS);
    return { ok: r.ok, from };
  }

  /** Phase 1: the gw proposes 3DES/SHA-1/MODP-1024 only; the cloud accepts AES-256/SHA-256/MODP-2048. */
  async weakIkeProposal(): Promise<number> {
    const r = await this.retry({ proposals: '3des-sha1-modp1024' });
    if (r.ok) throw new Error('the tunnel came up with a phase-1 proposal the cloud does not accept');
    return r.from;
  }

  /** Phase 2: the gw's local traffic selector is a range the cloud has not configured. */
  async wrongTrafficSelector(): Promise<number> {
    const r = await this.retry({ localTs: '10.99.0.0/16' });
    if (r.ok) throw new Error('the CHILD_SA came up with a traffic selector the cloud does not know');
    return r.from;
  }

  /**
   * PFS on the cloud only: the gw's ESP proposal has no DH group. IKEv2 builds the first CHILD_SA with the
   * IKE_SA's keys, so the difference shows at the first CHILD_SA rekey (CREATE_CHILD_SA with or without KE).
   */
  async pfsOnOneSide(): Promise<number> {
    const r = await this.retry({ espProposals: 'aes256-sha256' });
    if (!r.ok) throw new Error('the first CHILD_SA did not come up; PFS should only matter at the rekey');
    const before = readLog(this.gw).length;
    await swanctl(this.gw, ['--rekey', '--child', CHILD]);
    await waitFor(
      'the CHILD_SA rekey to fail',
      () => /NO_PROPOSAL_CHOSEN|rekeying failed|no CHILD_SA built/.test(readLog(this.gw).slice(before)),
      15_000,
      100,
    );
    return r.from;
  }

  /**
   * PFS on the cloud only, at the moment it bites: the tunnel comes up (IKEv2's first CHILD_SA uses the
   * IKE_SA's keys), then the CHILD_SA is gone (as when it expires after a failed rekey) and the gw builds a
   * new one with CREATE_CHILD_SA, without a DH group: the cloud answers NO_PROPOSAL_CHOSEN and no
   * CHILD_SA comes back, while the IKE_SA stays up. Returns the gw's log offset where the new child starts.
   */
  async pfsChildFails(): Promise<number> {
    const r = await this.retry({ espProposals: 'aes256-sha256' });
    if (!r.ok) throw new Error('the first CHILD_SA did not come up; PFS should only matter for a CHILD_SA of its own');
    await swanctl(this.gw, ['--terminate', '--child', CHILD, '--timeout', '5']);
    const from = readLog(this.gw).length;
    const again = await swanctl(this.gw, ['--initiate', '--child', CHILD, '--timeout', '5']);
    if (again.code === 0) throw new Error('a CHILD_SA without PFS came up against a cloud that requires it');
    await waitFor(
      'the tunnel route to disappear',
      async () => !(await this.lab.ip('gw', ['route', 'show', 'table', '220'])).stdout.includes('ipsec0'),
    );
    return from;
  }

  /** Phase 2: the gw proposes ESP 3DES/MD5 only; the cloud accepts AES-256/SHA-256. */
  async weakEspProposal(): Promise<number> {
    const r = await this.retry({ espProposals: '3des-md5' });
    if (r.ok) throw new Error('the CHILD_SA came up with an ESP proposal the cloud does not accept');
    return r.from;
  }

  /**
   * The gw sends an FQDN as its IKE identity where the cloud expects its address (what a NAT'ed gateway
   * sending its private address does). Returns the offset in the cloud's log, which names the identity.
   */
  async wrongIdentity(): Promise<number> {
    const cloud = this.lab.charons!.cloud;
    const from = readLog(cloud).length;
    const r = await this.retry({ localId: 'gw.customer.example' });
    if (r.ok) throw new Error('the tunnel came up with an identity the cloud does not expect');
    return from;
  }

  /** The cloud stops answering on an established tunnel (everything from the gw dropped): DPD gives up. */
  async deadPeer(): Promise<number> {
    await this.shortRetransmits();
    const from = readLog(this.gw).length;
    await terminate(this.gw);
    const r = await initiate(this.gw, 8);
    if (!r.ok) throw new Error('the tunnel did not come up before the peer went silent');
    await this.lab.iptables('cloud', ['-I', 'INPUT', '-s', this.gw.peer.localAddr, '-p', 'udp', '-j', 'DROP']);
    await waitFor('DPD to give up', () => /giving up after \d+ retransmits/.test(readLog(this.gw).slice(from)), 40_000, 200);
    return from;
  }

  private async shortRetransmits(): Promise<void> {
    const conf = join(this.gw.peer.dir, 'strongswan.conf');
    if (!readFileSync(conf, 'utf8').includes('retransmit_tries')) {
      appendFileSync(conf, 'charon {\n  retransmit_tries = 2\n  retransmit_timeout = 1.0\n  retransmit_base = 1.4\n}\n');
      await swanctl(this.gw, ['--reload-settings']);
    }
  }

  /** UDP 500 to the cloud dropped at the cloud (as a firewall would): IKE_SA_INIT gets no answer at all. */
  async blockIke(): Promise<number> {
    // Short retransmissions so the test does not wait strongSwan's default 165 s before it gives up.
    await this.shortRetransmits();
    await this.lab.iptables('cloud', ['-I', 'INPUT', '-p', 'udp', '--dport', '500', '-j', 'DROP']);
    const from = readLog(this.gw).length;
    await terminate(this.gw);
    const r = await initiate(this.gw, 12);
    if (r.ok) throw new Error('the tunnel came up with UDP 500 blocked');
    await waitFor('charon to give up', () => /giving up after \d+ retransmits/.test(readLog(this.gw).slice(from)), 15_000, 100);
    return from;
  }
}

export { CONN };
