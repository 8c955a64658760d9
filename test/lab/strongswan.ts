/**
 * strongSwan in a namespace. The kernel here has no ESP, so charon runs with the kernel-libipsec plugin:
 * a userspace data plane that carries ESP-in-UDP and hands clear traffic to a TUN device (ipsec0), with
 * routes in table 220. One charon per namespace, each with a private /run (pid files) and its own vici socket.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, startDaemon, waitFor, TOOL_ENV, type Daemon } from './exec.js';

export interface IkePeer {
  /** The namespace charon runs in. */
  ns: string;
  /** Folder for this instance's configs, socket and log. */
  dir: string;
  localAddr: string;
  remoteAddr: string;
  localTs: string;
  remoteTs: string;
  psk: string;
}

export const CONN = 'vdlab';
export const CHILD = 'vdlab-net';

export interface Charon {
  daemon: Daemon;
  uri: string;
  swanctlConf: string;
  logPath: string;
  peer: IkePeer;
}

function strongswanConf(dir: string): string {
  // Values later in the file win over the packaged defaults pulled in by the include.
  return `charon {
  load_modular = yes
  plugins {
    include /etc/strongswan.d/charon/*.conf
    kernel-libipsec {
      load = yes
    }
    bypass-lan {
      load = no
    }
    vici {
      socket = unix://${join(dir, 'charon.vici')}
    }
  }
  # flush_line: the tests read this log while charon is still running.
  filelog {
    lab {
      path = ${join(dir, 'charon.log')}
      time_format = %b %e %T
      default = 1
      ike = 2
      cfg = 2
      flush_line = yes
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
}
`;
}

/** A PSK in swanctl.conf is a quoted string; the lab only uses its own constants, but keep them sane anyway. */
function quotePsk(psk: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(psk)) throw new Error('lab PSKs are limited to [A-Za-z0-9._-]');
  return `"${psk}"`;
}

export function swanctlConf(p: IkePeer): string {
  // IKEv2, IDs are the outside addresses, one CHILD_SA for the whole customer range <-> cloud VPC (the
  // guide: a single pair of SAs). encap=yes because libipsec only speaks ESP-in-UDP.
  return `connections {
  ${CONN} {
    version = 2
    local_addrs = ${p.localAddr}
    remote_addrs = ${p.remoteAddr}
    proposals = aes256-sha256-modp2048
    encap = yes
    dpd_delay = 10s
    local {
      auth = psk
      id = ${p.localAddr}
    }
    remote {
      auth = psk
      id = ${p.remoteAddr}
    }
    children {
      ${CHILD} {
        local_ts = ${p.localTs}
        remote_ts = ${p.remoteTs}
        esp_proposals = aes256-sha256-modp2048
      }
    }
  }
}
secrets {
  ike-${CONN} {
    id-1 = ${p.localAddr}
    id-2 = ${p.remoteAddr}
    secret = ${quotePsk(p.psk)}
  }
}
`;
}

/** swanctl talks to charon over the unix socket only, so it runs from the machine's namespace. */
async function swanctl(c: Charon, args: readonly string[], timeoutMs = 15_000) {
  return run('swanctl', [...args, '--uri', c.uri], {
    timeoutMs,
    env: { ...TOOL_ENV, STRONGSWAN_CONF: join(c.peer.dir, 'strongswan.conf') },
  });
}

export async function startCharon(peer: IkePeer): Promise<Charon> {
  mkdirSync(peer.dir, { recursive: true });
  const conf = join(peer.dir, 'strongswan.conf');
  writeFileSync(conf, strongswanConf(peer.dir));
  const swanctlFile = join(peer.dir, 'swanctl.conf');
  writeFileSync(swanctlFile, swanctlConf(peer));
  const sock = join(peer.dir, 'charon.vici');
  // The mount namespace gives this charon a /run of its own: two charons would otherwise fight over
  // /run/charon.pid. The sh script is a constant; the charon path arrives as $0, never interpolated.
  const daemon = startDaemon(
    `charon@${peer.ns}`,
    peer.ns,
    'unshare',
    ['-m', 'sh', '-c', 'mount -t tmpfs tmpfs /run && exec "$0"', '/usr/lib/ipsec/charon'],
    { logPath: join(peer.dir, 'charon.stdout'), env: { ...TOOL_ENV, STRONGSWAN_CONF: conf } },
  );
  const charon: Charon = { daemon, uri: `unix://${sock}`, swanctlConf: swanctlFile, logPath: join(peer.dir, 'charon.log'), peer };
  await waitFor(
    `charon in ${peer.ns} to open its vici socket`,
    async () => {
      if (daemon.exit) throw new Error(`charon in ${peer.ns} exited early: ${tail(join(peer.dir, 'charon.stdout'))}`);
      return existsSync(sock) && (await swanctl(charon, ['--stats'], 3000)).code === 0;
    },
    10_000,
  );
  await loadConfig(charon);
  return charon;
}

export async function loadConfig(c: Charon): Promise<void> {
  const r = await swanctl(c, ['--load-all', '--file', c.swanctlConf]);
  if (r.code !== 0) throw new Error(`swanctl --load-all failed in ${c.peer.ns}: ${r.stdout}${r.stderr}`.slice(0, 2000));
}

/** Rewrites the config with another pre-shared key and reloads it: what an admin changing the PSK does. */
export async function setPsk(c: Charon, psk: string): Promise<void> {
  c.peer.psk = psk;
  writeFileSync(c.swanctlConf, swanctlConf(c.peer));
  await loadConfig(c);
}

/** Brings the CHILD_SA up from the initiator; resolves false (not throwing) when IKE fails, e.g. a wrong PSK. */
export async function initiate(c: Charon, timeoutS = 10): Promise<{ ok: boolean; output: string }> {
  const r = await swanctl(c, ['--initiate', '--child', CHILD, '--timeout', String(timeoutS)], (timeoutS + 5) * 1000);
  return { ok: r.code === 0, output: r.stdout + r.stderr };
}

export async function terminate(c: Charon): Promise<void> {
  await swanctl(c, ['--terminate', '--ike', CONN, '--timeout', '5'], 10_000);
}

/** Whether an installed CHILD_SA exists, from `swanctl --list-sas`. */
export async function childSaInstalled(c: Charon): Promise<boolean> {
  const r = await swanctl(c, ['--list-sas']);
  return r.code === 0 && new RegExp(`${CHILD}: #\\d+, reqid \\d+, INSTALLED`).test(r.stdout);
}

export function readLog(c: Charon): string {
  return existsSync(c.logPath) ? readFileSync(c.logPath, 'utf8') : '';
}

function tail(path: string, chars = 1500): string {
  return existsSync(path) ? readFileSync(path, 'utf8').slice(-chars) : '(no output)';
}
