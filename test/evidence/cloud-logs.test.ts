import { describe, expect, it } from 'vitest';
import { analyzeLogText } from '../../src/evidence/analyze.js';
import type { LogDocument } from '../../src/evidence/types.js';

const root = (d: LogDocument) => d.findings.find((f) => f.severity !== 'info');

/**
 * An AWS tunnel activity record as CloudWatch stores it in JSON (fields of the AWS Site-to-Site VPN user
 * guide, "log contents"); `details` carries the messages the guide lists.
 */
const record = (t: number, details: string, p1: string, p2: string) =>
  JSON.stringify({ event_timestamp: t, details, dpd_enabled: true, nat_t_detected: false, ike_phase1_state: p1, ike_phase2_state: p2 });

describe('AWS Site-to-Site VPN tunnel logs', () => {
  it.each([
    ['AWS tunnel detected a pre-shared key mismatch with cgw: 198.51.100.7', 'psk-mismatch'],
    ['AWS tunnel is sending AUTHENTICATION_FAILED as the response', 'psk-mismatch'],
    ['AWS tunnel Phase 2 was unable to establish while keeping Phase 1', 'child-proposal-mismatch'],
    ['AWS tunnel (CHILD_SA) redundant SA is being deleted due to detected collision', 'rekey-collision'],
    ['AWS tunnel detected a (CHILD_REKEY) collision as CHILD_DELETE', 'rekey-collision'],
    ['AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: 198.51.100.7', 'ike-no-response'],
    ['AWS tunnel DPD timed out after 3 retransmits', 'dpd-peer-dead'],
    ['AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder', 'traffic-selector-mismatch'],
    ['No Proposal Match Found by AWS', 'ike-proposal-mismatch'],
  ])('%s -> %s (plain and as a JSON record)', (details, code) => {
    expect(root(analyzeLogText(details))?.code).toBe(code);
    const json = analyzeLogText(record(1733644800, details, 'down', 'down'));
    expect(json.family).toBe('aws');
    expect(root(json)?.code).toBe(code);
  });

  it('a "no proposal" while phase 1 is established is phase 2', () => {
    const d = analyzeLogText(record(1733644800, 'No Proposal Match Found by AWS', 'established', 'down'));
    expect(root(d)).toMatchObject({
      code: 'child-proposal-mismatch',
      section: 'VPN tunnel phase 2 internet protocol security (IPsec) fails to negotiate',
    });
  });

  it('a rekey exchange with both phases established is healthy; a DELETE alone names no cause', () => {
    const ok = analyzeLogText(
      [
        record(1733644800, 'AWS tunnel processed request (id=12) for CREATE_CHILD_SA', 'established', 'rekeying'),
        record(1733644801, 'AWS tunnel is sending response (id=12) for CREATE_CHILD_SA', 'established', 'established'),
      ].join('\n'),
    );
    expect(ok).toMatchObject({ family: 'aws', verdict: 'healthy', findings: [] });
    const del = analyzeLogText('AWS tunnel received DELETE for IKE_SA from CGW');
    expect(del.verdict).toBe('unknown');
  });
});

describe('Azure VPN gateway IKE diagnostic log', () => {
  // The message layout the Azure troubleshooting article parses: "SESSION_ID :{id} Remote IP:500: Local IP:500: [RECEIVED|SEND|LOCAL] ...".
  const line = (event: string) =>
    `SESSION_ID :{5f2c1a9e-0000-4000-8000-000000000001} Remote 198.51.100.1:500: Local 203.0.113.1:500: ${event}`;

  it('is recognised by its message layout and read for its IKEv2 notify', () => {
    const p2 = analyzeLogText(line('[RECEIVED] Received notify NO_PROPOSAL_CHOSEN for CREATE_CHILD_SA'));
    expect(p2.family).toBe('azure');
    expect(root(p2)?.code).toBe('child-proposal-mismatch');
    expect(root(analyzeLogText(line('[RECEIVED] Received notify INVALID_KE_PAYLOAD')))?.code).toBe('ike-proposal-mismatch');
    expect(root(analyzeLogText(line('[RECEIVED] Received notify NO_PROPOSAL_CHOSEN')))?.code).toBe('ike-proposal-mismatch');
    expect(root(analyzeLogText(line('[RECEIVED] Received notify TS_UNACCEPTABLE')))?.code).toBe('traffic-selector-mismatch');
  });
});
