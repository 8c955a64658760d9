import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSlackFileUrl } from '../../../adapters/slack/files.js';
import type { Inbound } from '../../../src/chat/core.js';
import { CHARON_TS_UNACCEPTABLE_LOG, PDF_BYTES } from '../helpers/shared-file-samples.js';
import { BOT_TOKEN, startHarness, type Harness } from './helpers/harness.js';
import { appMention, directMessage } from './helpers/payloads.js';

/** A Slack file object as a file_share message carries it. */
function slackFile(id: string, name: string, url: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    created: 1710000000,
    name,
    title: name,
    mimetype: 'text/plain',
    filetype: 'text',
    pretty_type: 'Plain Text',
    user: 'U0ONCALL01',
    mode: 'hosted',
    editable: false,
    is_external: false,
    size: 400,
    url_private: url,
    url_private_download: url,
    ...over,
  };
}

const LIMITS = { maxBytes: 64 * 1024, maxFiles: 3, timeoutMs: 400 };

describe('Slack: files shared with the bot reach the conversation core', () => {
  let h: Harness;
  const logLines: string[] = [];
  let foreign: Server;
  let foreignHits = 0;
  let foreignUrl = '';

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    h = await startHarness({ files: LIMITS, logger: pino({ level: 'trace' }, stream) });
    // Another server on loopback: a host that is not Slack's (different origin), which must never be asked.
    foreign = createServer((_req, res) => {
      foreignHits++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('secret intranet page');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await h.close();
    foreign.closeAllConnections();
    await new Promise<void>((resolve) => foreign.close(() => resolve()));
  });

  const lastHandled = async (ts: unknown): Promise<Inbound> => {
    // The files are read before the turn starts, so wait for the core to get the message, then for the answer.
    const found = await h.api.waitFor(() => h.handled.find((i) => i.thread === ts));
    await h.adapter.idle();
    expect(h.handled.filter((i) => i.thread === ts)).toHaveLength(1);
    return found;
  };

  it('a .log shared in a DM arrives on Inbound.files with its text, downloaded with the bot token', async () => {
    const url = h.api.serveFile('F0LOG00001', 'charon.log', { body: CHARON_TS_UNACCEPTABLE_LOG, contentType: 'text/plain' });
    const dm = directMessage('why does the tunnel come up without traffic?', {
      subtype: 'file_share',
      files: [slackFile('F0LOG00001', 'charon.log', url, { size: Buffer.byteLength(CHARON_TS_UNACCEPTABLE_LOG) })],
      upload: false,
    });
    expect((await h.event(dm)).status).toBe(200);
    const inbound = await lastHandled(dm.ts);
    expect(inbound.text).toBe('why does the tunnel come up without traffic?');
    expect(inbound.files).toEqual([
      { name: 'charon.log', text: CHARON_TS_UNACCEPTABLE_LOG, bytes: Buffer.byteLength(CHARON_TS_UNACCEPTABLE_LOG), truncated: false },
    ]);
    expect(inbound.skippedFiles).toBeUndefined();
    const download = h.api.fileDownloads.find((d) => d.path.includes('F0LOG00001'));
    expect(download?.token).toBe(BOT_TOKEN);
    // The core still answered the question as before.
    expect(h.api.callsOf('chat.postMessage').some((c) => c.params.thread_ts === dm.ts)).toBe(true);
  });

  it('a text snippet pasted with a mention is read like a file', async () => {
    const snippet = 'conn outsystems\n  keyexchange=ikev2\n  ike=aes256-sha256-modp2048!\n  esp=aes256-sha256!\n';
    const url = h.api.serveFile('F0SNIP0001', 'Untitled', { body: snippet, contentType: 'text/plain' });
    const mention = appMention('here is our ipsec.conf', {
      files: [slackFile('F0SNIP0001', 'Untitled', url, { mode: 'snippet', filetype: 'text', size: snippet.length })],
    });
    await h.event(mention);
    const inbound = await lastHandled(mention.ts);
    expect(inbound.files?.map((f) => [f.name, f.text])).toEqual([['Untitled', snippet]]);
  });

  it('too large, not text, binary content and a 4th file are skipped with reasons; the 4th is not downloaded', async () => {
    const big = h.api.serveFile('F0BIG00001', 'big.log', { body: 'x\n'.repeat(10), contentType: 'text/plain' });
    const pdf = h.api.serveFile('F0PDF00001', 'report.pdf', { body: PDF_BYTES, contentType: 'application/pdf' });
    const renamed = h.api.serveFile('F0BIN00001', 'capture.log', { body: PDF_BYTES, contentType: 'text/plain' });
    const fourth = h.api.serveFile('F0TXT00004', 'notes.txt', { body: 'fourth file\n', contentType: 'text/plain' });
    const dm = directMessage('', {
      subtype: 'file_share',
      files: [
        slackFile('F0BIG00001', 'big.log', big, { size: 20 * 1024 * 1024 }),
        slackFile('F0PDF00001', 'report.pdf', pdf, { mimetype: 'application/pdf', filetype: 'pdf', size: PDF_BYTES.length }),
        slackFile('F0BIN00001', 'capture.log', renamed, { size: PDF_BYTES.length }),
        slackFile('F0TXT00004', 'notes.txt', fourth, { size: 12 }),
      ],
    });
    await h.event(dm);
    const inbound = await lastHandled(dm.ts);
    expect(inbound.files).toBeUndefined();
    expect(inbound.skippedFiles).toEqual([
      { name: 'big.log', reason: 'too large (20 MB; the limit is 64 KB)' },
      { name: 'report.pdf', reason: 'not a text file' },
      { name: 'capture.log', reason: 'not a text file (it contains binary data)' },
      { name: 'notes.txt', reason: 'only the first 3 files of a message are read' },
    ]);
    // Neither the declared-too-large, the PDF nor the 4th file was fetched; the renamed binary was (and sniffed).
    const fetched = h.api.fileDownloads.map((d) => d.path);
    expect(fetched.some((p) => p.includes('F0BIG00001'))).toBe(false);
    expect(fetched.some((p) => p.includes('F0PDF00001'))).toBe(false);
    expect(fetched.some((p) => p.includes('F0TXT00004'))).toBe(false);
    expect(fetched.some((p) => p.includes('F0BIN00001'))).toBe(true);
  });

  it('failing and slow downloads are skipped with reasons, and the message is still answered', async () => {
    const failing = h.api.serveFile('F0ERR00001', 'ipsec.conf', { body: 'oops', status: 500 });
    const slow = h.api.serveFile('F0SLW00001', 'slow.log', { body: 'late\n', contentType: 'text/plain', delayMs: 1500 });
    const good = h.api.serveFile('F0OK000001', 'ok.txt', { body: 'fine\n', contentType: 'text/plain' });
    const dm = directMessage('phase 2 fails', {
      subtype: 'file_share',
      files: [
        slackFile('F0ERR00001', 'ipsec.conf', failing),
        slackFile('F0SLW00001', 'slow.log', slow),
        slackFile('F0OK000001', 'ok.txt', good),
      ],
    });
    await h.event(dm);
    const inbound = await lastHandled(dm.ts);
    expect(inbound.skippedFiles).toEqual([
      { name: 'ipsec.conf', reason: 'the download failed (HTTP 500)' },
      { name: 'slow.log', reason: 'the download took longer than 400 ms' },
    ]);
    expect(inbound.files?.map((f) => f.text)).toEqual(['fine\n']);
    expect(h.api.callsOf('chat.postMessage').some((c) => c.params.thread_ts === dm.ts)).toBe(true);
  });

  it('never downloads from another host (SSRF), directly or through a redirect, and never sends it the token', async () => {
    const redirect = h.api.serveFile('F0RED00001', 'moved.log', {
      body: '',
      status: 302,
      headers: { location: `${foreignUrl}/moved.log` },
    });
    const dm = directMessage('', {
      subtype: 'file_share',
      files: [
        slackFile('F0FOR00001', 'foreign.log', `${foreignUrl}/files-pri/T-F0FOR00001/download/foreign.log`),
        slackFile('F0MET00001', 'metadata.log', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'),
        slackFile('F0RED00001', 'moved.log', redirect),
      ],
    });
    await h.event(dm);
    const inbound = await lastHandled(dm.ts);
    expect(inbound.files).toBeUndefined();
    expect(inbound.skippedFiles).toEqual([
      { name: 'foreign.log', reason: 'the file is not on a host the bot downloads from (127.0.0.1)' },
      { name: 'metadata.log', reason: 'the file is not on a host the bot downloads from (169.254.169.254)' },
      { name: 'moved.log', reason: 'the file is not on a host the bot downloads from (127.0.0.1)' },
    ]);
    expect(foreignHits).toBe(0);
  });

  it('Slack-hosted files only: https on Slack hosts or the configured API origin', () => {
    const api = 'https://slack.com/api/';
    expect(isSlackFileUrl(new URL('https://files.slack.com/files-pri/T1-F1/download/a.log'), api)).toBe(true);
    expect(isSlackFileUrl(new URL('https://files.slack-gov.com/files-pri/T1-F1/a.log'), api)).toBe(true);
    expect(isSlackFileUrl(new URL('http://files.slack.com/files-pri/T1-F1/a.log'), api)).toBe(false);
    expect(isSlackFileUrl(new URL('https://files.slack.com:8443/a.log'), api)).toBe(false);
    expect(isSlackFileUrl(new URL('https://slack.com.evil.example/a.log'), api)).toBe(false);
    expect(isSlackFileUrl(new URL('https://evilslack.com/a.log'), api)).toBe(false);
  });

  it('the bot token is in no log line', () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.some((l) => l.includes('shared file read'))).toBe(true);
    expect(logLines.filter((l) => l.includes(BOT_TOKEN))).toEqual([]);
    expect(logLines.filter((l) => l.includes(BOT_TOKEN.slice(5, 20)))).toEqual([]);
  });
});
