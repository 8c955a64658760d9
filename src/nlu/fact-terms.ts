/**
 * Terms for matching a fact question ("ipsec sa lifetime in seconds?") against the requirement tables and
 * topic facts ("Phase 2 (IPsec SA) lifetime: 3600 s"). Both sides go through the same function, so a
 * synonym only has to map to one canonical term: "ipsec sa", "child sa", "phase2" and "p2" all become `p2`.
 *
 * This is vocabulary of the field (what the guide and the fact sheet call things and what engineers type
 * instead), not a list of questions: it carries no answers.
 */
import { stem } from './normalize.js';

/** Phrases first (longest wins by order), each replaced by one canonical term. */
const PHRASES: [RegExp, string][] = [
  // "fase 2" (Portuguese, Spanish, Italian), "life time", "re-key": spellings of people who write the terms
  // from memory or in another language.
  [/\bfase\b/g, ' phase '],
  // "at the same time" / "simultaneously": both at once, which the question's other words already say.
  [/\b(?:at\s+the\s+same\s+time|simultaneously|concurrently|in\s+parallel)\b/g, ' '],
  [/\blife[\s-]+times?\b/g, ' lifetime '],
  [/\bre-?key(?:ing|s)?(?:[\s-]+(?:timer|time|interval))?\b/g, ' lifetime '],
  [/\bphase[\s-]*(?:2|two|ii)\b|\bp2\b|\bipsec[\s-]+sas?\b|\bchild[\s_-]*sas?\b|\bquick[\s-]+mode\b/g, ' p2 '],
  [/\bphase[\s-]*(?:1|one|i)\b|\bp1\b|\bike[\s_-]+sas?\b|\bisakmp\b/g, ' p1 '],
  [/\bdead[\s-]+peer(?:[\s-]+detection)?\b|\br-u-there\b/g, ' dpd '],
  [/\bnat[\s-]*traversal\b|\bnat-?t\b|\bnatt\b|\bnatted\b/g, ' natt '],
  [/\bperfect[\s-]+forward[\s-]+secrecy\b/g, ' pfs '],
  [/\bdiffie[\s-]*hellman\b|\bdh[\s-]*gro?u?ps?\b|\bgrps?\b|\bdh\b/g, ' dh '],
  [/\bfront[\s-]*ends?\b|\bfes\b/g, ' frontend '],
  [/\bload[\s-]+balancers?\b/g, ' loadbalancer '],
  [/\bpre[\s-]*shared[\s-]+keys?\b|\bpsks?\b/g, ' psk '],
  [/\bcertificates?\b|\bcerts?\b|\bx\.?509\b/g, ' certificate '],
  [/\baggressive[\s-]+mode\b/g, ' aggressive '],
  [/\bmain[\s-]+mode\b/g, ' mainmode '],
  [/\btransport[\s-]+mode\b/g, ' transportmode '],
  [/\btunnel[\s-]+mode\b/g, ' tunnelmode '],
  [/\bconditional[\s-]+forwarders?\b|\bforward[\s-]+zones?\b|\bforwarders?\b/g, ' forwarder '],
  [/\bkeep[\s-]*alives?\b|\b(?:continuous|nonstop|non-stop|constant)[\s-]+pings?\b|\bip\s+sla\b|\bsla\s+monitor\b/g, ' keepalive '],
  [/\bas[\s-]?numbers?\b|\basns?\b/g, ' asn '],
  [/\bpublic[\s-]+ips?\b|\bpublic[\s-]+(?:ip\s+)?address(?:es)?\b|\bpeer[\s-]+ips?\b/g, ' publicip '],
  [/\bip[\s-]*ranges?\b|\binternal[\s-]+ranges?\b|\bsubnets?\b|\bencryption[\s-]+domains?\b/g, ' range '],
  [/\bsql[\s-]+server\b|\bmssql\b/g, ' sqlserver '],
  [/\bip[\s-]+protocol\b|\bprotocol[\s-]+number\b/g, ' ipproto '],
  [/\bsecurity[\s-]+associations?\b|\bsas\b/g, ' sa '],
  [/\bdns[\s-]+servers?\b|\bresolvers?\b|\bname[\s-]?servers?\b/g, ' dns '],
  // "how long should the SA live / last": a lifetime.
  [/(?<=\bhow\s+long\b.*)\b(?:live|last|stay\s+valid)\b/g, ' lifetime '],
  [/\bbrings?\s+(?:the\s+)?(?:tunnels?\s+|vpn\s+|it\s+)?up\b|\bwho\s+starts\b/g, ' initiate '],
  [/\bevery\s+how\s+(?:many|much|often)\b|\bhow\s+often\b|\bintervals?\b|\bfrequency\b/g, ' interval '],
  [/\b(?:active|both)[\s/-]+(?:active|tunnels?)\b/g, ' both active '],
];

/** LifeTime is also the name of the OutSystems console: "in LifeTime", "LifeTime version/console 11.7". */
const LIFETIME_CONSOLE_RE = /\b(?:in|on|from|via|through)\s+lifetime\b|\blifetime(?:'s)?\s+(?:version|console|management|\d)/g;

const ALIASES: Record<string, string> = {
  lifetime: 'lifetime',
  lifetimes: 'lifetime',
  rekey: 'lifetime',
  rekeying: 'lifetime',
  renegotiation: 'lifetime',
  'life-time': 'lifetime',
  ping: 'icmp',
  pings: 'icmp',
  pinging: 'icmp',
  echo: 'icmp',
  icmp: 'icmp',
  aes256: 'aes256',
  aes128: 'aes128',
  tunnels: 'tunnel',
  routes: 'route',
  routing: 'route',
  connections: 'connection',
  vpns: 'connection',
  ports: 'port',
  // Opening a port on the firewall is allowing it.
  open: 'allow',
  opened: 'allow',
  permit: 'allow',
  // "can the same public IP be shared / reused by two VPNs"
  same: 'reuse',
  share: 'reuse',
  shared: 'reuse',
  reused: 'reuse',
  reusing: 'reuse',
  clamp: 'mss',
  mss: 'mss',
  mtu: 'mtu',
  initiates: 'initiate',
  initiator: 'initiate',
  initiating: 'initiate',
  starts: 'initiate',
  start: 'initiate',
  starting: 'initiate',
  started: 'initiate',
  reset: 'reset',
  bounce: 'reset',
  restart: 'reset',
  kick: 'reset',
  seconds: 'second',
  secs: 'second',
  sec: 'second',
  ipv6: 'ipv6',
  v6: 'ipv6',
  ipv4: 'ipv4',
  outbound: 'outbound',
  egress: 'outbound',
  inbound: 'inbound',
  ingress: 'inbound',
  filtered: 'filter',
  filtering: 'filter',
  blocked: 'filter',
  firewalled: 'filter',
  restricted: 'filter',
  answer: 'reply',
  answers: 'reply',
  respond: 'reply',
  responds: 'reply',
  replies: 'reply',
  supported: 'support',
  supports: 'support',
  allowed: 'allow',
  accepted: 'allow',
  accept: 'allow',
  permitted: 'allow',
  ok: 'allow',
  okay: 'allow',
  fine: 'allow',
  valid: 'allow',
  required: 'require',
  mandatory: 'require',
  needed: 'require',
  need: 'require',
  needs: 'require',
  must: 'require',
  databases: 'database',
  db: 'database',
  dbs: 'database',
  servers: 'server',
  unanswered: 'unanswer',
  missed: 'unanswer',
  misses: 'unanswer',
  requests: 'request',
  max: 'maximum',
  highest: 'maximum',
  most: 'maximum',
  limit: 'maximum',
  environments: 'environment',
  env: 'environment',
  envs: 'environment',
  domains: 'domain',
  versions: 'version',
};

const STOPWORDS = new Set(
  `a an the is are was were be been do does did can could should would will shall may might must we our us i my me you your
   they their it its this that these those of to in on at for from with by as or and but if then so what which who whom how
   when where why there here any some many much per into over via about up out than just also still get got use uses using used
   please pls tell know want like have has had yes no not set put go goes going guys team side cloud outsystems vpn
   inside within through once ever actually really even currently right now exactly anyway`
    .split(/\s+/)
    .filter(Boolean),
);

/** Terms that imply a broader one: an Oracle or SQL Server is a database, a FortiGate a gateway. */
const IMPLIES: Record<string, string> = {
  oracle: 'database',
  sqlserver: 'database',
  mysql: 'database',
  postgres: 'database',
  postgresql: 'database',
};

/** Canonical content terms of a text, in order (duplicates kept out). */
export function factTerms(text: string): string[] {
  let s = ` ${text.toLowerCase().replace(/[\u2018\u2019]/g, "'")} `;
  s = s.replace(LIFETIME_CONSOLE_RE, ' ltconsole ');
  s = s.replace(/\baes[\s-]?(128|192|256)\b/g, ' aes$1 ');
  s = s.replace(/\bsha[\s-]?(1|2|256|384|512)\b/g, ' sha$1 ');
  for (const [re, term] of PHRASES) s = s.replace(re, term);
  const out: string[] = [];
  for (const raw of s.split(/[^a-z0-9.]+/)) {
    const w = raw.replace(/^\.+|\.+$/g, '');
    if (!w || STOPWORDS.has(w)) continue;
    // Stemmed last, so an alias target and the words that reach it by stemming always meet.
    const canonical = ALIASES[w] ?? ALIASES[stem(w)] ?? w;
    for (const term of [canonical, IMPLIES[canonical]]) {
      if (term === undefined) continue;
      const t = stem(term);
      if (!out.includes(t)) out.push(t);
    }
  }
  return out;
}
