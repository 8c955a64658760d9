import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyzeLogStream, analyzeLogText, analyzeText } from '../../src/evidence/analyze.js';
import type { LogDocument } from '../../src/evidence/types.js';

const root = (d: LogDocument) => d.findings.find((f) => f.severity !== 'info');
const stamp = (minutes: number) => {
  const t = new Date(Date.UTC(2026, 2, 1, 8, 0, 0) + minutes * 60_000);
  return `Mar  ${t.getUTCDate()} ${t.toISOString().slice(11, 19)}`;
};

describe('the log reader', () => {
  it('reads a strongSwan failure: family, verdict, root cause with section, quoted lines and the guide steps', () => {
    const d = analyzeLogText(
      [
        'Dec  7 23:23:32 03[IKE] initiating IKE_SA vdlab[2] to 198.18.0.2',
        'Dec  7 23:23:32 03[CFG] configured proposals: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024',
        'Dec  7 23:23:32 08[ENC] parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]',
        'Dec  7 23:23:32 08[IKE] received NO_PROPOSAL_CHOSEN notify error',
      ].join('\n'),
    );
    expect(d).toMatchObject({ kind: 'log', family: 'strongswan', verdict: 'fault' });
    const f = root(d)!;
    expect(f).toMatchObject({
      code: 'ike-proposal-mismatch',
      topic: 'phase1-ike-failure',
      section: 'Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail',
    });
    // Names the exact value outside the OutSystems table and what the cloud accepts.
    expect(f.summary).toMatch(/You propose 3DES; the cloud accepts AES-128\/256 with SHA-1\/256\/512 and DH 2, 14-18, 22-24/);
    expect(f.lines.map((l) => l.n)).toEqual([2, 4]);
    expect(f.steps.length).toBeGreaterThan(0);
    expect(d.timeline.some((t) => t.code === 'ike-proposal-mismatch')).toBe(true);
  });

  it('the root cause is the first fault in sequence, not the loudest or most repeated line', () => {
    const lines = ['Dec  7 10:00:00 09[IKE] received TS_UNACCEPTABLE notify, no CHILD_SA built'];
    for (let i = 1; i <= 20; i++)
      lines.push(`Dec  7 10:00:${String(i).padStart(2, '0')} 09[IKE] received AUTHENTICATION_FAILED notify error`);
    const d = analyzeLogText(lines.join('\n'));
    expect(d.findings.map((f) => f.code)).toEqual(['traffic-selector-mismatch', 'psk-mismatch']);
    // Repeats collapse into one timeline entry with a count.
    const auth = d.timeline.find((t) => t.code === 'psk-mismatch')!;
    expect(auth).toMatchObject({ count: 20, n: 2, lastN: 21 });
  });

  it('normal lines are normal: SAs up, rekeys done -> healthy, no findings', () => {
    const d = analyzeLogText(
      [
        'Mar  1 08:00:00 charon: 09[IKE] IKE_SA os[1] established between 203.0.113.5[203.0.113.5]...198.51.100.7[198.51.100.7]',
        'Mar  1 08:00:00 charon: 09[IKE] CHILD_SA os{1} established with SPIs c1_i c2_o and TS 10.20.0.0/16 === 10.0.0.0/16',
        'Mar  1 09:00:00 charon: 11[IKE] CHILD_SA os{2} established with SPIs c3_i c4_o and TS 10.20.0.0/16 === 10.0.0.0/16',
      ].join('\n'),
    );
    expect(d.verdict).toBe('healthy');
    expect(d.findings).toEqual([]);
  });

  it('a NAT-detected line alone (kernel-libipsec always says so) is no NAT problem', () => {
    const d = analyzeLogText('Dec  7 23:23:22 14[IKE] remote host is behind NAT');
    expect(d.verdict).toBe('unknown');
    expect(d.findings).toEqual([]);
  });

  it('says so when it does not know the lines, and guesses nothing', () => {
    const d = analyzeLogText('GET /index.html 200 512\nuser logged in from 10.0.0.5\n');
    expect(d).toMatchObject({ family: 'unknown', verdict: 'unknown', findings: [] });
    expect(d.notices[0]).toMatch(/do not recognise/);
  });

  it('drops about every 60 minutes -> the hourly IKEv2 drop (rekey-collision)', () => {
    const lines: string[] = [];
    for (let h = 0; h < 5; h++) {
      lines.push(`${stamp(h * 61)} charon: 09[IKE] IKE_SA os[${h}] established between 203.0.113.5[a]...198.51.100.7[b]`);
      lines.push(`${stamp(h * 61 + 60)} charon: 12[IKE] IKE_SA deleted`);
    }
    const d = analyzeLogText(lines.join('\n'));
    expect(root(d)).toMatchObject({ code: 'rekey-collision', section: 'Tunnel drop every 60 minutes while using IKEv2' });
    expect(root(d)!.summary).toMatch(/about every 6\d minutes/);
  });

  it('drops about every 8 hours -> phase 1 lifetime (lifetime-mismatch)', () => {
    const lines: string[] = [];
    for (let h = 0; h < 4; h++) lines.push(`${stamp(h * 480)} charon: 12[IKE] IKE_SA deleted`);
    expect(root(analyzeLogText(lines.join('\n')))?.code).toBe('lifetime-mismatch');
  });

  it('SA counters with packets sent and none decrypted -> esp-not-received (show crypto ipsec sa)', () => {
    const d = analyzeLogText(
      [
        '   #pkts encaps: 120, #pkts encrypt: 120, #pkts digest: 120',
        '   #pkts decaps: 0, #pkts decrypt: 0, #pkts verify: 0',
        'ISAKMP: crypto map tag: outside_map',
      ].join('\n'),
    );
    expect(root(d)?.code).toBe('esp-not-received');
    expect(root(d)!.lines.map((l) => l.n)).toEqual([1, 2]);
    const healthy = analyzeLogText(
      ['   #pkts encaps: 120, #pkts encrypt: 120', '   #pkts decaps: 118, #pkts decrypt: 118', 'crypto map tag: m'].join('\n'),
    );
    expect(healthy.verdict).toBe('healthy');
  });

  it('retransmissions that give up on an SA that was up are dead peer detection, not "no response"', () => {
    const d = analyzeLogText(
      [
        'Dec  7 10:00:00 09[IKE] IKE_SA os[1] established between 203.0.113.5[a]...198.51.100.7[b]',
        'Dec  7 10:05:00 09[IKE] retransmit 1 of request with message ID 7',
        'Dec  7 10:05:30 09[IKE] giving up after 5 retransmits',
      ].join('\n'),
    );
    expect(root(d)?.code).toBe('dpd-peer-dead');
  });

  it('redacts secrets in the quoted lines and says so', () => {
    const d = analyzeLogText('Mar  1 08:00:00 charon: 07[IKE] received AUTHENTICATION_FAILED notify error (psk = "hunter2-secret")');
    expect(JSON.stringify(d)).not.toContain('hunter2-secret');
    expect(d.notices.join(' ')).toMatch(/rotate/);
  });

  it('streaming gives the same document as reading the text, in chunks that cut lines anywhere', async () => {
    const text = [
      'Mar  1 08:00:00 charon: 09[IKE] initiating IKE_SA os[1] to 198.51.100.7',
      'Mar  1 08:00:10 charon: 09[IKE] giving up after 5 retransmits',
      'Mar  1 08:00:10 charon: 09[IKE] establishing IKE_SA failed, peer not responding',
    ].join('\n');
    const chunks: Buffer[] = [];
    for (let i = 0; i < text.length; i += 7) chunks.push(Buffer.from(text.slice(i, i + 7)));
    const streamed = await analyzeLogStream(Readable.from(chunks));
    expect(streamed).toEqual(analyzeLogText(text));
    expect(root(streamed)?.code).toBe('ike-no-response');
  });

  it('analyzeText sends logs to the log reader (the configuration reader is behind looksLikeConfig)', () => {
    expect(analyzeText('%ASA-6-713905: Group = 1.2.3.4, IP = 1.2.3.4, All IPSec SA proposals found unacceptable!').kind).toBe('log');
  });
});
