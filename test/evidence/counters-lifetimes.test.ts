import { describe, expect, it } from 'vitest';
import { analyzeLogText } from '../../src/evidence/analyze.js';
import { lifetimeSeconds } from '../../src/evidence/lifetimes.js';
import { SaCounters } from '../../src/evidence/sa-counters.js';
import type { LogDocument } from '../../src/evidence/types.js';

const root = (d: LogDocument) => d.findings.find((f) => f.severity !== 'info');
const idle = (d: LogDocument) => d.notices.find((n) => /idle/.test(n));

describe('lifetimes named in the log', () => {
  it('IOS: the proposed and the returned phase-1 lifetime differ -> lifetime-mismatch naming both and the cloud value', () => {
    // debug crypto isakmp of a responder with a shorter lifetime (public IOS debug notes).
    const d = analyzeLogText(
      [
        'ISAKMP:(0):Checking ISAKMP transform 1 against priority 10 policy',
        'ISAKMP:      encryption AES-CBC',
        'ISAKMP:      life type in seconds',
        'ISAKMP:      life duration (basic) of 1200',
        'ISAKMP:(0):atts are acceptable. Next payload is 0',
        'ISAKMP:(0):Acceptable atts:actual life: 600',
        'ISAKMP:(0):Acceptable atts:life: 0',
        'ISAKMP:(0):Returning Actual lifetime: 600',
        'ISAKMP:(0)::Started lifetime timer: 600.',
      ].join('\n'),
    );
    expect(d.verdict).toBe('fault');
    const f = root(d)!;
    expect(f).toMatchObject({ code: 'lifetime-mismatch', severity: 'warning', topic: 'phase1-ike-failure' });
    expect(f.summary).toMatch(/Phase 1 lifetime: 1200 s proposed, 600 s accepted/);
    expect(f.summary).toMatch(/the cloud expects 28800 s for phase 1/);
    expect(f.lines.map((l) => l.n)).toEqual([4, 8]);
  });

  it('IOS: the same lifetime on both sides (VPI bytes 0x0 0x1 0x51 0x80 = 86400) is no mismatch', () => {
    const d = analyzeLogText(
      [
        '*Oct 25 18:53:16.490: ISAKMP: (0):      life type in seconds',
        '*Oct 25 18:53:16.490: ISAKMP:      life duration (VPI) of  0x0 0x1 0x51 0x80 ',
        '*Oct 25 18:53:16.490: ISAKMP: (0):atts are acceptable. Next payload is 0',
        '*Oct 25 18:53:16.490: ISAKMP: (0):Acceptable atts:actual life: 0',
        '*Oct 25 18:53:16.490: ISAKMP: (0):Returning Actual lifetime: 86400',
      ].join('\n'),
    );
    expect(d.verdict).toBe('healthy');
    expect(d.findings).toEqual([]);
  });

  it('strongSwan quick mode and Openswan limits name both values in one line', () => {
    const s = analyzeLogText('Jan 10 10:00:01 gw charon: 12[IKE] received 28800s lifetime, configured 3600s');
    expect(root(s)).toMatchObject({ code: 'lifetime-mismatch' });
    expect(root(s)!.summary).toMatch(/Phase 2 lifetime: 28800 s proposed, 3600 s .*the cloud expects 3600 s for phase 2/);
    const o = analyzeLogText(
      'Jan 10 10:00:01 gw pluto[311]: "aws" #1: peer requested 86400 seconds which exceeds our limit 28800 seconds.  Attribute OAKLEY_LIFE_DURATION',
    );
    expect(root(o)).toMatchObject({ code: 'lifetime-mismatch' });
    expect(root(o)!.evidence).toMatchObject({ lifeProposed: ['86400 s'], lifeAccepted: ['28800 s'] });
  });

  it('a lifetime warning is not the root cause when the log also shows an error', () => {
    const d = analyzeLogText(
      [
        'ISAKMP:      life duration (basic) of 86400',
        'ISAKMP:(0):Returning Actual lifetime: 28800',
        '%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.7 failed its sanity check or is malformed',
      ].join('\n'),
    );
    expect(d.findings.map((f) => f.code)).toEqual(['psk-mismatch', 'lifetime-mismatch']);
  });

  it('reads seconds written plainly, with a unit, with thousands separators and as IOS VPI bytes', () => {
    expect(lifetimeSeconds('3600')).toBe(3600);
    expect(lifetimeSeconds('28,800s')).toBe(28800);
    expect(lifetimeSeconds('0x0 0x1 0x51 0x80')).toBe(86400);
    expect(lifetimeSeconds('0x0 0x0 0x70 0x80')).toBe(28800);
    expect(lifetimeSeconds('0xzz')).toBeUndefined();
  });
});

describe('SA counters of status outputs', () => {
  it('PAN-OS show vpn flow: encap without decap -> esp-not-received with both counters named; both ways -> healthy', () => {
    const bad = analyzeLogText(
      [
        'show vpn flow tunnel-id 2',
        '        encap packets:    500',
        '        decap packets:    0',
        '        encap bytes:      54312',
        '        decap bytes:      0',
      ].join('\n'),
    );
    expect(bad.family).toBe('paloalto');
    expect(root(bad)).toMatchObject({
      code: 'esp-not-received',
      section: 'VPN tunnel phase 2 internet protocol security (IPsec) fails to negotiate',
    });
    expect(root(bad)!.summary).toMatch(/500 packets encrypted and sent, 0 packets decrypted/);
    const ok = analyzeLogText(
      [
        '        encap packets:    500',
        '        decap packets:    500',
        '        encap bytes:      54312',
        '        decap bytes:      54312',
      ].join('\n'),
    );
    expect(ok.verdict).toBe('healthy');
    expect(idle(ok)).toBeUndefined();
  });

  it('Junos show security ipsec statistics: encrypted without decrypted is a fault; all zero is idle, not a fault', () => {
    const stats = (enc: number, dec: number) =>
      [
        'ESP Statistics:',
        `  Encrypted bytes:   ${enc * 494}`,
        `  Decrypted bytes:   ${dec * 494}`,
        `  Encrypted packets: ${enc}`,
        `  Decrypted packets: ${dec}`,
      ].join('\n');
    expect(root(analyzeLogText(stats(39917, 0)))).toMatchObject({ code: 'esp-not-received' });
    const quiet = analyzeLogText(stats(0, 0));
    expect(quiet).toMatchObject({ family: 'juniper-srx', verdict: 'healthy', findings: [] });
    // Packets and bytes of the same statistics are one SA, not two.
    expect(idle(quiet)).toMatch(/^An SA shows no packet in either direction .* not a fault/);
  });

  it('ipsec statusall bytes_i/bytes_o and Libreswan trafficstatus are read in bytes when packets are not printed', () => {
    const sent = analyzeLogText(
      [
        '      gw{7}:  INSTALLED, TUNNEL, reqid 5, ESP in UDP SPIs: c760f45e_i c0f20ccc_o',
        '      gw{7}:  AES_CBC_128/HMAC_SHA1_96, 0 bytes_i, 5678 bytes_o (12 pkts, 5s ago), rekeying in 42 minutes',
      ].join('\n'),
    );
    expect(sent.family).toBe('strongswan');
    expect(root(sent)).toMatchObject({ code: 'esp-not-received' });
    const both = analyzeLogText(
      '      con1{1}:  AES_CBC_256/HMAC_SHA2_256_128, 1234 bytes_i (10 pkts, 5s ago), 5678 bytes_o (12 pkts, 5s ago), rekeying in 40 minutes',
    );
    expect(both.verdict).toBe('healthy');
    const quiet = analyzeLogText(`#2: "static", type=ESP, add_time=1234567890, inBytes=0, outBytes=0, maxBytes=2^63B, id='@east'`);
    expect(quiet.verdict).toBe('healthy');
    expect(idle(quiet)).toBeDefined();
  });

  it('pairs packets with packets and bytes with bytes, whatever order the lines come in', () => {
    const c = new SaCounters();
    const line = (n: number) => ({ n, text: `line ${n}` });
    expect(c.add({ outPkts: '10' }, line(1))).toBeUndefined();
    expect(c.add({ inBytes: '0' }, line(2))).toBeUndefined();
    expect(c.add({ inPkts: '0' }, line(3))).toMatchObject({ verdict: 'esp-not-received', unit: 'packets', in: 0, out: 10 });
    expect(c.add({ outBytes: '0' }, line(4))).toMatchObject({ verdict: 'idle', unit: 'bytes' });
    expect(c.add({ inPkts: '5', outPkts: '0' }, line(5))).toMatchObject({ verdict: 'inbound-only' });
  });
});
