import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Assistant, type Inbound } from '../../src/conversation/assistant.js';
import { loadKnowledgeBase } from '../../src/knowledge/loader.js';
import { LocalClassifier } from '../../src/nlu/local-classifier.js';

// Real evidence: the lab's charon log lines for a wrong pre-shared key and a real FortiGate configuration
// fixture (its source is in the fixture's label file).
const kb = loadKnowledgeBase();
const assistant = new Assistant({ kb, classifier: new LocalClassifier(kb) });
const PSK_LOG = [
  'Dec  8 00:06:58 09[IKE] initiating IKE_SA vdlab[1] to 198.18.0.2',
  'Dec  8 00:06:58 11[ENC] parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]',
  'Dec  8 00:06:58 11[IKE] received AUTHENTICATION_FAILED notify error',
].join('\n');
const FORTIGATE = readFileSync(new URL('../fixtures/evidence/configs/fortigate-aws.txt', import.meta.url), 'utf8');
const at = (over: Partial<Inbound>): Inbound => ({
  text: '',
  user: 'u1',
  channel: 'c1',
  thread: String(Math.random()),
  platform: 'test',
  ...over,
});
const file = (name: string, text: string) => ({ name, text, bytes: Buffer.byteLength(text), truncated: false });

describe('evidence in a conversation', () => {
  it('a pasted configuration is judged, not classified: the parameter table, problems first', async () => {
    const r = await assistant.handle(at({ text: FORTIGATE }));
    expect(r.kind).toBe('analysis');
    expect(r.table?.rows.length).toBeGreaterThan(5);
    const oks = r.table!.rows.map((row) => row.ok);
    expect(oks.indexOf(true)).toBeGreaterThanOrEqual(oks.lastIndexOf(false)); // no problem row after an ok row
  });

  it('a shared log file is read whatever the message says, and the answer names the file and quotes the lines', async () => {
    const r = await assistant.handle(at({ text: '@vpn-doctor can you look at this', files: [file('gw.log', PSK_LOG)] }));
    expect(r.kind).toBe('analysis');
    expect(r.title).toMatch(/^gw\.log: /);
    expect(r.findings[0]).toMatchObject({ code: 'psk-mismatch' });
    expect(r.findings[0]!.lines?.some((l) => l.text.includes('AUTHENTICATION_FAILED'))).toBe(true);
  });

  it('several files: the first is the answer, the others follow under their names; unreadable ones are named with the reason', async () => {
    const r = await assistant.handle(
      at({
        files: [file('gw.log', PSK_LOG), file('fortigate.conf', FORTIGATE)],
        skippedFiles: [{ name: 'diagram.pdf', reason: 'not a text file' }],
      }),
    );
    expect(r.title).toMatch(/^gw\.log: /);
    expect(r.notices).toEqual(
      expect.arrayContaining(['I could not read diagram.pdf: not a text file.', expect.stringMatching(/^fortigate\.conf: /)]),
    );
  });

  it('only unreadable files: says so and what to share instead', async () => {
    const r = await assistant.handle(at({ skippedFiles: [{ name: 'capture.pcap', reason: 'not a text file' }] }));
    expect(r.kind).toBe('error');
    expect(r.title).toBe('I could not read capture.pcap');
    expect(r.summary).toMatch(/text file/);
  });

  it('the support case draft carries the analysis of the shared file', async () => {
    const thread = 'support-1';
    await assistant.handle(at({ thread, files: [file('gw.log', PSK_LOG)] }));
    const draft = await assistant.handle(at({ thread, text: 'support case' }));
    expect(JSON.stringify(draft)).toContain('psk-mismatch');
  });
});
