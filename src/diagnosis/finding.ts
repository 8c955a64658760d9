import type { AnyProbeResult } from '../probes/catalogue.js';
import { describeResult } from './describe.js';
import type { Evidence, FindingCode, Severity, Undecided } from './report.js';

/** A rule's conclusion before the knowledge base adds its section and steps. */
export interface RawFinding {
  code: FindingCode;
  severity: Severity;
  topic: string;
  summary: string;
  evidence: Evidence[];
  undecided?: Undecided;
}

/** Which knowledge topic explains each finding. */
export const TOPIC_OF: Record<FindingCode, string> = {
  'tunnel-down': 'phase1-ike-failure',
  'internal-routing': 'testing-connectivity',
  'vpn-device': 'testing-connectivity',
  'dns-forwarder-missing': 'connect-from-internal-network',
  'dns-unreachable': 'dns-conditional-forwarder',
  'port-blocked': 'full-cloud-ip-range',
  'dns-ping-blocked': 'ping-cloud-dns',
  'dns-public-answer': 'testing-connectivity',
  'host-not-found': 'testing-connectivity',
  'icmp-not-permitted': 'testing-connectivity',
  'tls-handshake-failed': 'testing-connectivity',
  'tls-certificate': 'testing-connectivity',
  'path-undecided': 'testing-connectivity',
};

export function finding(code: FindingCode, severity: Severity, summary: string, evidence: Evidence[]): RawFinding {
  return { code, severity, topic: TOPIC_OF[code], summary, evidence };
}

/** One evidence row per probe that ran. */
export function ev(r: AnyProbeResult | undefined): Evidence[] {
  return r ? [{ kind: r.kind, target: r.target, fact: describeResult(r) }] : [];
}

export const list = (xs: string[]): string => xs.join(', ');
