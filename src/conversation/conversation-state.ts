/**
 * What a conversation has learnt so far, beyond its current topic: the hosts named and what they are (a
 * cloud DNS server, a front-end, a cloud database, an on-premises system), the vendor, the IKE version,
 * the symptom and its timing. Later answers use it: a host named earlier decides which ping topic applies,
 * a stated vendor picks the snippets, an IKE version qualifies the hourly-drop advice.
 *
 * Kept beside the Session (a WeakMap keyed by it) so the session record other modules share stays as is.
 */
import type { Entities } from '../nlu/types.js';
import type { Session } from './session.js';
import type { TimingClue } from './clues.js';

export type HostRole = 'cloud-dns' | 'front-end' | 'cloud-database' | 'on-premises' | 'unknown';

export interface HostNote {
  address: string;
  role: HostRole;
}

/** What the user is trying to do with a host, as far as the words say. */
export type Symptom = 'ping' | 'connect' | 'resolve' | 'drop' | null;

export interface ConversationFacts {
  hosts: HostNote[];
  vendor: string | null;
  ikeVersion: 1 | 2 | null;
  symptom: Symptom;
  timing: TimingClue | null;
  /** Each fact as the user stated it, newest last, for replies that say what they relied on. */
  stated: string[];
  /** The fact question the last turn answered directly ("phase 1 lifetime?"), for "what about phase 2?". */
  lastFactQuestion: string | null;
}

const facts = new WeakMap<Session, ConversationFacts>();

export function learnt(session: Session): ConversationFacts {
  let f = facts.get(session);
  if (!f) {
    f = { hosts: [], vendor: null, ikeVersion: null, symptom: null, timing: null, stated: [], lastFactQuestion: null };
    facts.set(session, f);
  }
  return f;
}

const HUMAN_ROLE: Record<HostRole, string> = {
  'cloud-dns': 'an OutSystems Cloud DNS server',
  'front-end': 'a front-end in the cloud',
  'cloud-database': 'a database in the cloud',
  'on-premises': 'an on-premises system',
  unknown: 'a host',
};

export function describeRole(role: HostRole): string {
  return HUMAN_ROLE[role];
}

const CLOUD_SIDE_RE = /\b(?:cloud|outsystems|os\s+(?:dns|side|cloud|servers?)|your\s+(?:side|end)|on\s+your\s+side|in\s+the\s+cloud)\b/i;
const ON_PREM_RE =
  /\b(?:on[\s-]?prem(?:ises?)?|our\s+(?:side|dc|datacenter|data\s+center|network|lan)|internal|in\s+our\s+(?:dc|datacenter|data\s+center|network|office))\b/i;
const DNS_RE = /\b(?:dns|resolvers?|name\s*servers?)\b/i;
const FRONT_END_RE = /\b(?:front[\s-]?ends?|fe|app(?:lication)?\s+servers?|web\s+servers?|load\s+balancers?)\b/i;
const DATABASE_RE = /\b(?:db|dbs|database|databases|sql(?:\s+server)?|oracle|mssql|mysql|postgres\w*)\b/i;
const ON_PREM_SYSTEM_RE = /\b(?:file\s+share|erp|sap|api|ldap|ad|domain\s+controller|smtp|mail\s+server)\b/i;

/** The role a message gives a host it mentions ("that's our db server in the cloud"), if it says one. */
export function roleIn(text: string): HostRole | null {
  const cloud = CLOUD_SIDE_RE.test(text);
  const onPrem = ON_PREM_RE.test(text) && !/\bin\s+the\s+cloud\b/i.test(text);
  // DNS servers pinged over the VPN are the cloud's, unless the words put them on the user's side.
  if (DNS_RE.test(text) && (cloud || !onPrem)) return 'cloud-dns';
  if (DATABASE_RE.test(text)) return cloud && !onPrem ? 'cloud-database' : onPrem ? 'on-premises' : null;
  if (FRONT_END_RE.test(text)) return onPrem && !cloud ? 'on-premises' : 'front-end';
  if (ON_PREM_SYSTEM_RE.test(text) && (onPrem || !cloud)) return 'on-premises';
  return null;
}

const PING_RE = /\b(?:ping|pings|pinging|icmp|echo\s+(?:request|reply)|request\s+timed?\s*out)\b/i;
const CONNECT_RE = /\b(?:connect\w*|reach\w*|telnet|time[sd]?\s*out|timing\s+out|refused|cannot\s+open|can'?t\s+open)\b/i;
const RESOLVE_RE = /\b(?:nslookup|dig|resolv\w*|dns\s+lookup)\b/i;
const DROP_RE = /\b(?:drops?|dropp\w+|flap\w*|goes\s+down|went\s+down|disconnect\w*|bounc\w*)\b/i;

// A symptom is something failing: "pings to your dns ok" reports a check that works.
const FAILING_RE =
  /\b(?:cannot|can'?t|not|no|fail\w*|time[sd]?\s*out|timing\s+out|unreachable|doesn'?t|don'?t|won'?t|dead|down|drops?|red|nothing|never|lost|refused|stuck|broken|hangs?)\b/i;

/**
 * The part of the message that says what fails: "rest api not reachable from the cloud app, tunnel is up
 * and pings to dns work" fails at the API, not at the ping.
 */
function failingClause(text: string): string | null {
  for (const clause of text.split(/[,;!?]+|\.(?!\d)|\b(?:but|and|while|although|though)\b/i)) if (FAILING_RE.test(clause)) return clause;
  return null;
}

function symptomIn(clause: string | null): Symptom {
  if (clause === null) return null;
  const text = clause;
  if (PING_RE.test(text)) return 'ping';
  if (RESOLVE_RE.test(text)) return 'resolve';
  if (DROP_RE.test(text)) return 'drop';
  if (CONNECT_RE.test(text)) return 'connect';
  return null;
}

export interface Learned {
  /** Something new that can change which topic applies (a host's role, a symptom). */
  changesPicture: boolean;
  /** A role given to a host named now or earlier. */
  role: HostRole | null;
}

/**
 * Records what one message says. A role with no address in the same message belongs to the last host
 * named ("can't ping 10.0.3.15" ... "that's our db server in the cloud btw").
 */
export function learn(state: ConversationFacts, text: string, entities: Entities, clue: TimingClue | null): Learned {
  let changesPicture = false;
  const role = roleIn(text);
  const addresses = [...entities.ipv4, ...entities.fqdns.filter((f) => !f.endsWith('outsystemsenterprise.com'))];
  for (const address of addresses) {
    const known = state.hosts.find((h) => h.address === address);
    if (known) {
      if (role && known.role !== role) {
        known.role = role;
        changesPicture = true;
      }
    } else state.hosts.push({ address, role: role ?? 'unknown' });
  }
  // A role with no host to attach it to ("pings to your dns ok") describes nothing we can route on.
  let attached = addresses.length > 0 ? role : null;
  if (addresses.length === 0 && role) {
    const last = state.hosts.at(-1);
    if (last && last.role !== role && last.role === 'unknown') {
      last.role = role;
      state.stated.push(`${last.address} is ${describeRole(role)}`);
      changesPicture = true;
      attached = role;
    }
  }
  const failing = failingClause(text);
  const symptom = symptomIn(failing);
  // "the cloud db server doesn't answer ping": the role is the subject of the failure stated with it.
  const failingRole = failing ? roleIn(failing) : null;
  if (!attached && failingRole && symptom) attached = failingRole;
  const vendor = entities.vendors[0];
  if (vendor && vendor !== state.vendor) {
    state.vendor = vendor;
    state.stated.push(`the gateway is a ${vendor}`);
  }
  if (entities.ikeVersion && entities.ikeVersion !== state.ikeVersion) {
    state.ikeVersion = entities.ikeVersion;
    state.stated.push(`the tunnel runs IKEv${entities.ikeVersion}`);
  }
  if (symptom && symptom !== state.symptom) state.symptom = symptom;
  if (clue) {
    state.timing = clue;
    state.stated.push(`it happens ${clue.said}`);
  }
  return { changesPicture, role: attached };
}

/**
 * The topic a host's role implies for the symptom at hand: pinging a cloud DNS server and pinging a
 * front-end are different sections of the guide; an on-premises system the cloud cannot reach is the
 * external-system one.
 */
export function topicForRole(role: HostRole, symptom: Symptom): string | null {
  if (symptom === 'ping') {
    if (role === 'cloud-dns') return 'ping-cloud-dns';
    if (role === 'front-end' || role === 'cloud-database') return 'ping-front-ends-blocked';
  }
  if (role === 'on-premises' && (symptom === 'connect' || symptom === 'ping')) return 'external-database-access';
  return null;
}
