/**
 * Entity extraction: what a message names beyond its intent (addresses, names, durations, IKE version,
 * ports, vendors, log signatures). The values are canonical so probes can be prefilled from them, and the
 * classifier turns them into features (`entityFeatures`) so e.g. a pasted "NO_PROPOSAL_CHOSEN" counts even
 * when the words around it are noise.
 *
 * Pure regex over the raw text: no vocabulary, no model, microseconds per message.
 */
import type { Entities } from './types.js';

export function emptyEntities(): Entities {
  return {
    ipv4: [],
    cidrs: [],
    fqdns: [],
    durations: [],
    ikeVersion: null,
    ports: [],
    protocols: [],
    vendors: [],
    signatures: [],
  };
}

// ---------------------------------------------------------------------------------------------------
// Addresses

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
// Lookarounds instead of \b: "10.0.0.1." at the end of a sentence is an address, "1.2.3.4.5" is not.
const CIDR_RE = new RegExp(`(?<![\\d.])(${IPV4})\\/(3[0-2]|[12]?\\d)(?![\\d/])`, 'g');
const IPV4_RE = new RegExp(`(?<![\\d.])${IPV4}(?!\\.?\\d)(?!\\/\\d)`, 'g');

/** File extensions and abbreviations that look like domain names but are not ("config.yaml", "e.g"). */
const NOT_A_TLD = new Set([
  'txt',
  'log',
  'yaml',
  'yml',
  'json',
  'xml',
  'conf',
  'cfg',
  'ini',
  'exe',
  'msi',
  'dll',
  'js',
  'ts',
  'py',
  'sh',
  'pdf',
  'zip',
  'gz',
  'tar',
  'csv',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'html',
  'htm',
  'md',
  'bak',
  'pcap',
  'pcapng',
  'der',
  'pem',
  'crt',
  'key',
  'cer',
  'ps1',
  'bat',
  'g',
  'e',
  'x',
  'i',
]);
// A label starts and ends alphanumeric; the last label (TLD) is letters only. A leading "*." is kept.
const FQDN_RE = /(?<![\w.@-])(\*\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24}))(?![\w-]|\.[a-z0-9])/gi;

// ---------------------------------------------------------------------------------------------------
// Durations

const UNIT_SECONDS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  mn: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};
const NUM_UNIT_RE = /(?<![\w.])(\d{1,6}(?:[.,]\d+)?)\s?(seconds?|secs?|s|minutes?|mins?|mn|m|hours?|hrs?|hr|h|days?|d)\b/gi;
// "59m58s", "1h 0m 2s", "7h59m": clock-like durations as timers and logs print them (two parts at least).
const COMPOUND_DURATION_RE = /(?<![\w.])(?:(\d{1,3})h\s?)?(\d{1,3})m\s?(\d{1,2})s\b|(?<![\w.])(\d{1,3})h\s?(\d{1,2})m(?:in)?\b/gi;
const WORD_DURATIONS: { re: RegExp; seconds: number }[] = [
  { re: /\b(?:hourly|every\s+(?:single\s+)?(?:hour|hr)|each\s+(?:hour|hr)|once\s+an?\s+hour|per\s+hour|an\s+hour)\b/gi, seconds: 3600 },
  { re: /\bhalf\s+an?\s+hour\b/gi, seconds: 1800 },
  { re: /\b(?:daily|every\s+day|each\s+day|once\s+a\s+day|per\s+day)\b/gi, seconds: 86400 },
  { re: /\b(?:every|each)\s+minute\b/gi, seconds: 60 },
];
/** A bare number right after "lifetime" is seconds in every vendor's syntax ("lifetime 28800"). */
const LIFETIME_RE = /\blifetime\b([^.;!?\n]{0,30})/gi;

// ---------------------------------------------------------------------------------------------------
// IKE version

const IKE_EXPLICIT_RE = /\bike\s?-?\s?v?(?:ersion\s*)?([12])\b|\bikev([12])\b/gi;
const IKE2_IMPLICIT_RE = /\b(?:ike_sa_init|ike_auth|child_sa|create_child_sa|ts_unacceptable|informational\s+exchange)\b/i;
const IKE1_IMPLICIT_RE = /\b(?:main\s+mode|aggressive\s+mode|mm_\w+|aggr?_\w+|qm_\w+|quick\s+mode|isakmp)\b/i;

// ---------------------------------------------------------------------------------------------------
// Ports and protocols

const PROTO_WORD = '(tcp|udp)';
const PORT = '(\\d{1,5})';
const PORT_PATTERNS: { re: RegExp; proto: number | null; ports: number }[] = [
  // "udp 500", "udp/500", "udp port 500", "udp ports 500 and 4500", "tcp 80, 443"
  {
    re: new RegExp(`\\b${PROTO_WORD}\\s*(?:\\/|\\s)?\\s*(?:ports?\\s*)?${PORT}((?:\\s*(?:,|and|&|\\/|or)\\s*\\d{1,5}\\b)*)`, 'gi'),
    proto: 1,
    ports: 2,
  },
  // "500/udp", "4500 udp"
  { re: new RegExp(`\\b${PORT}\\s*\\/\\s*${PROTO_WORD}\\b`, 'gi'), proto: 2, ports: 1 },
  // "port 443", "ports 80 and 443", "-Port 443"
  { re: new RegExp(`\\bports?\\s*(?:number\\s*)?[:=]?\\s*${PORT}((?:\\s*(?:,|and|&|\\/|or)\\s*\\d{1,5}\\b)*)`, 'gi'), proto: 0, ports: 1 },
];
/** "host:443", "10.1.2.3:1433" */
const HOST_PORT_RE = /(?<=[a-z0-9]):(\d{2,5})\b(?![:.]\d)/gi;
/** "telnet host 443", "nc -vz host 443" */
const TELNET_RE = /\b(?:telnet|nc(?:\s+-\w+)*|ncat|test-netconnection)\s+\S+\s+(?:-port\s+)?(\d{1,5})\b/gi;
/** Ports whose transport is fixed by the standard (IKE and NAT-T are always UDP). */
const IMPLIED_PROTO: Record<number, 'udp'> = { 500: 'udp', 4500: 'udp' };

const PROTOCOLS: { name: string; re: RegExp }[] = [
  { name: 'udp', re: /\budp\b/i },
  { name: 'tcp', re: /\btcp\b/i },
  { name: 'icmp', re: /\b(?:icmp|ping(?:s|ed|ing|able)?|echo[\s-](?:request|reply))\b/i },
  { name: 'esp', re: /\b(?:esp|encapsulating\s+security\s+payload|(?:ip\s+)?proto(?:col)?\s*50)\b/i },
  // Case-sensitive: "AH" is the protocol, "ah" is usually an interjection.
  { name: 'ah', re: /\bAH\b|\b(?:ip\s+)?proto(?:col)?\s*51\b/ },
  { name: 'ike', re: /\b(?:ike(?:v[12])?|isakmp|internet\s+key\s+exchange)\b/i },
  { name: 'nat-t', re: /\b(?:nat-?t|nat[\s-]traversal|natt|udp[\s-]encap\w*)\b/i },
  { name: 'bgp', re: /\bbgp\b/i },
  { name: 'dns', re: /\b(?:dns|nslookup|dig)\b/i },
  { name: 'https', re: /\bhttps\b/i },
  { name: 'http', re: /\bhttp\b/i },
  { name: 'gre', re: /\bgre\b/i },
  { name: 'ssh', re: /\bssh\b/i },
];

// ---------------------------------------------------------------------------------------------------
// Vendors (canonical names as in the issue)

const VENDORS: { name: string; re: RegExp }[] = [
  { name: 'Cisco FTD', re: /\b(?:ftd|firepower|fmc|fdm)\b/i },
  { name: 'Cisco ASA', re: /\b(?:asa(?:v|\s?5\d{3}\w*)?|adaptive\s+security\s+appliance)\b|%asa-\d/i },
  { name: 'Cisco IOS', re: /\b(?:cisco\s+ios|ios[\s-]?xe|ios[\s-]?xr|isr\s?\d*|csr\s?1000v|cisco\s+router)\b/i },
  { name: 'Cisco Meraki', re: /\bmeraki\b/i },
  { name: 'Palo Alto', re: /\b(?:palo\s?alto|paloalto|pan-?os|panorama|pa-\d{3,4})\b/i },
  { name: 'FortiGate', re: /\b(?:forti\s?gate|fortinet|forti\s?os|fgt)\b/i },
  { name: 'Juniper SRX', re: /\b(?:juniper|srx\s?\d*|junos|kmd)\b/i },
  { name: 'Check Point', re: /\b(?:check\s?point|gaia|smart\s?console|vpnd)\b/i },
  { name: 'SonicWall', re: /\b(?:sonic\s?wall|sonicos)\b/i },
  { name: 'pfSense', re: /\bpf\s?sense\b/i },
  { name: 'OPNsense', re: /\bopn\s?sense\b/i },
  { name: 'strongSwan', re: /\b(?:strong\s?swan|charon|swanctl|ipsec\.conf)\b/i },
  { name: 'Libreswan', re: /\b(?:libreswan|openswan|pluto)\b/i },
  { name: 'MikroTik', re: /\b(?:mikrotik|routeros)\b/i },
  { name: 'Azure', re: /\bazure\b/i },
  { name: 'AWS', re: /\b(?:aws|amazon\s+vpc|virtual\s+private\s+gateway)\b/i },
  { name: 'Sophos', re: /\bsophos\b/i },
  { name: 'WatchGuard', re: /\bwatch\s?guard\b/i },
  { name: 'Ubiquiti', re: /\b(?:ubiquiti|unifi|edgerouter|usg)\b/i },
  { name: 'Windows RRAS', re: /\brras\b/i },
];

// ---------------------------------------------------------------------------------------------------
// Log signatures: the notify names and vendor messages people paste, canonicalised

const SIGNATURES: { name: string; re: RegExp }[] = [
  { name: 'NO_PROPOSAL_CHOSEN', re: /\bno[_\s-]proposal[_\s-]chosen\b|\bno proposal chosen\b/i },
  {
    name: 'AUTHENTICATION_FAILED',
    re: /\bauthentication[_\s-]failed\b|\bauthentication of .{1,40}? failed\b|\bauth(?:entication)? fail(?:ed|ure)?\b|\bpre-?shared key mismatch\b|\bpsk mismatch\b/i,
  },
  { name: 'TS_UNACCEPTABLE', re: /\bts[_\s-]unacceptable\b|\btraffic selectors? (?:are |is )?unacceptable\b/i },
  { name: 'INVALID_KE_PAYLOAD', re: /\binvalid[_\s-]ke[_\s-]payload\b/i },
  { name: 'INVALID_ID_INFORMATION', re: /\binvalid[_\s-]id[_\s-]info(?:rmation)?\b/i },
  { name: 'INVALID_SPI', re: /\binvalid[_\s-]spi\b/i },
  { name: 'NO_ADDITIONAL_SAS', re: /\bno[_\s-]additional[_\s-]sas\b/i },
  { name: 'CHILD_SA_NOT_FOUND', re: /\bchild[_\s-]sa[_\s-]not[_\s-]found\b/i },
  { name: 'MM_NO_STATE', re: /\bmm[_\s-]no[_\s-]state\b/i },
  {
    name: 'IPSEC_PROPOSALS_UNACCEPTABLE',
    re: /\ball ipsec sa proposals found unacceptable\b|\bno acceptable proposal found for child_sa\b/i,
  },
  { name: 'PROXY_ID_MISMATCH', re: /\bproxy[\s-]?ids?\s+mismatch\b|\bmismatch(?:ed)?\s+proxy[\s-]?ids?\b/i },
  {
    name: 'DPD',
    re: /\b(?:dpd|dead[\s-]peer[\s-]detection|r_u_there(?:_ack)?|peer (?:is |was )?(?:declared |considered |detected )?dead|dear peer detection)\b/i,
  },
  { name: 'RETRANSMIT_TIMEOUT', re: /\bgiving up after \d+ retransmits?\b|\bretransmit(?:ting|ted|s)?\b|\bretransmission\b/i },
  {
    name: 'PHASE1_TIMEOUT',
    re: /\bphase[\s-]?1 negotiation (?:is )?failed due to time up\b|\bphase-?1 negotiation is failed .{0,30}timeout\b/i,
  },
  { name: 'REVERSE_PATH_CHECK_FAIL', re: /\breverse path check fail\w*\b|\brpf (?:check )?fail\w*\b/i },
];
/**
 * One combined pattern per family: most texts mention no vendor or signature at all, and one failed test
 * is much cheaper than twenty. The per-entry patterns run only when the family matched somewhere.
 */
function anyOf(list: { re: RegExp }[]): RegExp {
  return new RegExp(list.map((x) => `(?:${x.re.source})`).join('|'), 'i');
}
const ANY_VENDOR = anyOf(VENDORS);
const ANY_SIGNATURE = anyOf(SIGNATURES);
// "ah" is matched case-sensitively (see PROTOCOLS), so it stays out of the case-insensitive gate.
const ANY_PROTOCOL = anyOf(PROTOCOLS.filter((p) => p.name !== 'ah'));
const ANY_WORD_DURATION = anyOf(WORD_DURATIONS);

// MM_WAIT_MSG2..6 and friends keep their own number: it tells which message went unanswered.
const MM_WAIT_RE = /\b(mm|ag|aggr)[_\s-]wait[_\s-]msg[_\s-]?(\d)\b/gi;

// ---------------------------------------------------------------------------------------------------

export function extractEntities(text: string): Entities {
  const e = emptyEntities();
  const cidrSpans: [number, number][] = [];

  // Addresses, numeric durations and ports all need a digit: most texts have none, so skip them cheaply.
  const digits = /\d/.test(text);
  if (digits)
    for (const m of text.matchAll(CIDR_RE)) {
      pushUnique(e.cidrs, `${m[1]}/${m[2]}`);
      cidrSpans.push([m.index, m.index + m[0].length]);
    }
  if (digits)
    for (const m of text.matchAll(IPV4_RE)) {
      if (!cidrSpans.some(([a, b]) => m.index >= a && m.index < b)) pushUnique(e.ipv4, m[0]);
    }
  if (text.includes('.'))
    for (const m of text.matchAll(FQDN_RE)) {
      const tld = m[3]!.toLowerCase();
      if (NOT_A_TLD.has(tld)) continue;
      const name = m[2]!.toLowerCase();
      // A version number like "v7.4" or "ikev2.0" never reaches here (TLD must be letters), but "e.g" would.
      if (name.split('.').length < 2) continue;
      pushUnique(e.fqdns, (m[1] ?? '') + name);
    }

  extractDurations(text, e, digits);
  e.ikeVersion = extractIkeVersion(text);
  if (digits) extractPorts(text, e);

  const anyProtocol = ANY_PROTOCOL.test(text);
  for (const p of PROTOCOLS) if ((anyProtocol || p.name === 'ah') && p.re.test(text)) e.protocols.push(p.name);
  for (const p of e.ports) if (p.protocol && !e.protocols.includes(p.protocol)) e.protocols.push(p.protocol);
  if (ANY_VENDOR.test(text)) for (const v of VENDORS) if (v.re.test(text)) e.vendors.push(v.name);
  if (ANY_SIGNATURE.test(text)) for (const s of SIGNATURES) if (s.re.test(text)) e.signatures.push(s.name);
  for (const m of text.matchAll(MM_WAIT_RE)) {
    const prefix = m[1]!.toLowerCase() === 'mm' ? 'MM' : 'AG';
    pushUnique(e.signatures, `${prefix}_WAIT_MSG${m[2]}`);
  }
  return e;
}

function extractDurations(text: string, e: Entities, digits: boolean): void {
  const taken: [number, number][] = [];
  const add = (t: string, seconds: number, at: number) => {
    if (!(seconds > 0) || taken.some(([a, b]) => at >= a && at < b)) return;
    taken.push([at, at + t.length]);
    if (!e.durations.some((d) => d.seconds === seconds && d.text === t)) e.durations.push({ text: t, seconds });
  };
  if (digits)
    for (const m of text.matchAll(COMPOUND_DURATION_RE)) {
      const [h, mins, secs] = m[4] !== undefined ? [m[4], m[5], '0'] : [m[1] ?? '0', m[2], m[3]];
      add(m[0], Number(h) * 3600 + Number(mins) * 60 + Number(secs), m.index);
    }
  if (digits)
    for (const m of text.matchAll(NUM_UNIT_RE)) {
      const unit = m[2]!.toLowerCase();
      // "m" alone is too often metres/minutes ambiguity-free in this field, but "5 m" rarely appears; "s" after a
      // number ("3600s") is seconds. Single letters only count when glued or separated by one space.
      const n = Number(m[1]!.replace(',', '.'));
      const factor = UNIT_SECONDS[unit];
      if (factor === undefined || !Number.isFinite(n)) continue;
      add(m[0], Math.round(n * factor), m.index);
    }
  if (ANY_WORD_DURATION.test(text)) {
    for (const { re, seconds } of WORD_DURATIONS) for (const m of text.matchAll(re)) add(m[0], seconds, m.index);
  }
  if (digits)
    for (const m of text.matchAll(LIFETIME_RE)) {
      const tail = m[1]!;
      const offset = m.index + m[0].length - tail.length;
      for (const n of tail.matchAll(
        /(?<![\w.])(\d{2,6})(?![\w.%:/])(?!\s?(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|kb|mb|gb)\b)/gi,
      )) {
        add(n[1]!, Number(n[1]), offset + n.index);
      }
    }
}

function extractIkeVersion(text: string): 1 | 2 | null {
  // The last explicit mention wins: "moved from ikev1 to ikev2" means the tunnel runs v2 now.
  let last: 1 | 2 | null = null;
  for (const m of text.matchAll(IKE_EXPLICIT_RE)) last = (m[1] ?? m[2]) === '1' ? 1 : 2;
  if (last !== null) return last;
  if (IKE2_IMPLICIT_RE.test(text)) return 2;
  if (IKE1_IMPLICIT_RE.test(text)) return 1;
  return null;
}

function extractPorts(text: string, e: Entities): void {
  const add = (port: number, protocol: 'tcp' | 'udp' | null) => {
    if (!(port > 0 && port <= 65535)) return;
    const proto = protocol ?? IMPLIED_PROTO[port] ?? null;
    const existing = e.ports.find((p) => p.port === port);
    if (existing) {
      if (existing.protocol === null && proto) existing.protocol = proto;
      if (existing.protocol !== proto && proto && !e.ports.some((p) => p.port === port && p.protocol === proto)) {
        e.ports.push({ port, protocol: proto });
      }
      return;
    }
    e.ports.push({ port, protocol: proto });
  };
  for (const { re, proto, ports } of PORT_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const protocol = proto ? (m[proto]!.toLowerCase() as 'tcp' | 'udp') : null;
      add(Number(m[ports]), protocol);
      const more = m[ports + 1];
      if (more) for (const n of more.matchAll(/\d{1,5}/g)) add(Number(n[0]), protocol);
    }
  }
  // "ip proto 50" is a protocol number, not a port; the PORT_PATTERNS above require "port"/"tcp"/"udp".
  for (const m of text.matchAll(HOST_PORT_RE)) {
    // Clock times ("10:02:11") are not ports: two-digit "port" after a bare one- or two-digit number.
    const before = text.slice(Math.max(0, m.index - 3), m.index);
    if (m[1]!.length === 2 && /(?:^|[^\d.])\d{1,2}$/.test(before)) continue;
    add(Number(m[1]), null);
  }
  for (const m of text.matchAll(TELNET_RE)) add(Number(m[1]), 'tcp');
}

function pushUnique<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

/**
 * Entities as classifier features: tokens a linear model can learn from the training examples (a pasted
 * "NO_PROPOSAL_CHOSEN" in a phase 1 example teaches the model that signature; nothing is hard-coded here).
 */
export function entityFeatures(e: Entities): string[] {
  const f: string[] = [];
  if (e.ipv4.length) f.push('ent:ipv4');
  if (e.cidrs.length) f.push('ent:cidr');
  if (e.cidrs.length > 1) f.push('ent:cidr-multi');
  for (const c of e.cidrs) if (c.endsWith('/0')) f.push('ent:cidr-any');
  for (const d of e.fqdns) f.push(d.endsWith('outsystemsenterprise.com') ? 'ent:fqdn-os' : 'ent:fqdn-other');
  for (const d of e.durations) f.push(`ent:dur:${durationBucket(d.seconds)}`);
  if (e.ikeVersion) f.push(`ent:ike${e.ikeVersion}`);
  for (const p of e.ports) f.push(`ent:port:${p.port}`);
  for (const p of e.protocols) f.push(`ent:proto:${p}`);
  if (e.vendors.length) f.push('ent:vendor');
  for (const s of e.signatures) f.push(`ent:sig:${s.toLowerCase()}`);
  return f;
}

/** Coarse buckets: "3600 s", "60 min" and "hourly" must be the same feature; 3000-3660 s is "about an hour". */
function durationBucket(seconds: number): string {
  if (seconds >= 3000 && seconds <= 3660) return 'hour';
  if (seconds >= 28000 && seconds <= 29000) return '8h';
  if (seconds < 60) return 'seconds';
  if (seconds < 3000) return 'minutes';
  if (seconds < 86400) return 'hours';
  return 'days';
}
