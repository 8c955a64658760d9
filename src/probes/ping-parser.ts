/**
 * Parser for the output of iputils `ping -n` under LC_ALL=C. Pure and total: any text gives a result
 * (missing parts are null/empty), it never throws, so a surprising `ping` build degrades the evidence
 * instead of crashing a check.
 */

export interface PingReply {
  seq: number;
  ttl: number | null;
  timeMs: number;
  from: string;
  duplicate: boolean;
}

/** An ICMP error a router (or this host) sent back instead of a reply: "Destination Host Unreachable"... */
export interface PingIcmpError {
  from: string;
  seq: number | null;
  message: string;
}

export interface PingStats {
  transmitted: number;
  received: number;
  duplicates: number;
  errors: number;
  lossPercent: number;
  timeMs: number | null;
}

export interface PingRtt {
  min: number;
  avg: number;
  max: number;
  mdev: number;
}

export interface PingParse {
  /** The target as ping printed it, and the address it resolved to. */
  host: string | null;
  address: string | null;
  replies: PingReply[];
  icmpErrors: PingIcmpError[];
  stats: PingStats | null;
  rtt: PingRtt | null;
}

const NUM = String.raw`(\d+(?:\.\d+)?)`;
// "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data." / "PING ::1(::1) 56 data bytes"
const HEADER_RE = /^PING\s+(\S+?)\s*\(([^()\s]+)\)/;
// "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.030 ms (DUP!)"
const REPLY_RE = new RegExp(
  String.raw`^\d+\s+bytes\s+from\s+(\S+?):?\s+icmp_seq=(\d+)(?:\s+ttl=(\d+))?\s+time[=<]${NUM}\s*ms(\s+\(DUP!\))?`,
);
// "From 192.168.1.1 icmp_seq=1 Destination Host Unreachable"
const ICMP_ERROR_RE = /^From\s+(\S+?):?\s+(?:icmp_seq=(\d+)\s+)?(.+?)\s*$/;
// "3 packets transmitted, 3 received, +1 duplicates, +2 errors, 0% packet loss, time 407ms"
const STATS_RE = new RegExp(
  String.raw`^(\d+)\s+packets\s+transmitted,\s+(\d+)\s+(?:packets\s+)?received,(?:\s+\+(\d+)\s+duplicates,)?(?:\s+\+(\d+)\s+errors,)?\s+${NUM}%\s+packet\s+loss(?:,\s+time\s+${NUM}\s*ms)?`,
);
// "rtt min/avg/max/mdev = 0.030/0.043/0.066/0.016 ms" (older builds: "round-trip min/avg/max")
const RTT_RE = new RegExp(String.raw`^(?:rtt|round-trip)\s+min/avg/max(?:/mdev|/stddev)?\s+=\s+${NUM}/${NUM}/${NUM}(?:/${NUM})?\s*ms`);

export function parsePingOutput(stdout: string): PingParse {
  const result: PingParse = { host: null, address: null, replies: [], icmpErrors: [], stats: null, rtt: null };
  if (typeof stdout !== 'string') return result;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    let m: RegExpExecArray | null;
    if (result.address === null && (m = HEADER_RE.exec(line))) {
      result.host = m[1]!;
      result.address = m[2]!;
    } else if ((m = REPLY_RE.exec(line))) {
      result.replies.push({
        from: m[1]!,
        seq: Number(m[2]),
        ttl: m[3] === undefined ? null : Number(m[3]),
        timeMs: Number(m[4]),
        duplicate: m[5] !== undefined,
      });
    } else if ((m = STATS_RE.exec(line))) {
      result.stats = {
        transmitted: Number(m[1]),
        received: Number(m[2]),
        duplicates: m[3] === undefined ? 0 : Number(m[3]),
        errors: m[4] === undefined ? 0 : Number(m[4]),
        lossPercent: Number(m[5]),
        timeMs: m[6] === undefined ? null : Number(m[6]),
      };
    } else if ((m = RTT_RE.exec(line))) {
      const [min, avg, max, mdev] = [m[1], m[2], m[3], m[4]].map((v) => (v === undefined ? 0 : Number(v)));
      result.rtt = { min: min!, avg: avg!, max: max!, mdev: mdev! };
    } else if ((m = ICMP_ERROR_RE.exec(line))) {
      result.icmpErrors.push({ from: m[1]!, seq: m[2] === undefined ? null : Number(m[2]), message: m[3]! });
    }
  }
  return result;
}

/** What a failed `ping` said on stderr, reduced to the cases the probe reports differently. */
export type PingFailure = 'not-permitted' | 'no-route' | 'send-refused' | 'bad-target' | 'other';

export function classifyPingStderr(stderr: string): PingFailure | null {
  if (!stderr.trim()) return null;
  // "ping: socket: Operation not permitted" (no CAP_NET_RAW, datagram ICMP disabled), "Permission denied".
  if (/socket: (?:Operation not permitted|Permission denied)|missing cap_net_raw|must be root/i.test(stderr)) {
    return 'not-permitted';
  }
  if (/Network is unreachable|No route to host/i.test(stderr)) return 'no-route';
  // "ping: sendmsg: Operation not permitted": a local firewall (OUTPUT chain) refused the packet.
  if (/sendmsg: (?:Operation not permitted|Permission denied)/i.test(stderr)) return 'send-refused';
  if (/Name or service not known|Temporary failure in name resolution|unknown host|invalid argument/i.test(stderr)) {
    return 'bad-target';
  }
  return 'other';
}
