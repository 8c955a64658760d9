import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_DOWNLOAD_INFO, isTeamsFileUrl } from '../../../adapters/teams/files.js';
import type { Inbound } from '../../../src/chat/core.js';
import { CHARON_TS_UNACCEPTABLE_LOG, PDF_BYTES } from '../helpers/shared-file-samples.js';
import { personalMessage, startHarness, type Harness } from './harness.js';
import { guardNetwork, type NetworkGuard } from './network-guard.js';

const TEMPAUTH = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.tempauth-secret-0123456789';
const LIMITS = { maxBytes: 64 * 1024, maxFiles: 3, timeoutMs: 400 };

/**
 * Stands in for SharePoint/OneDrive on loopback: serves files at download.aspx-style URLs that carry
 * their access token in the query (as Teams' downloadUrl does), and records what was asked.
 */
class FakeFileHost {
  readonly requests: string[] = [];
  readonly files = new Map<string, { body: Buffer | string; status?: number; delayMs?: number }>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      this.requests.push(url.pathname);
      const file = this.files.get(url.pathname);
      if (!file || url.searchParams.get('tempauth') !== TEMPAUTH) return void res.writeHead(401).end();
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(file.status ?? 200, { 'content-type': 'application/octet-stream' }).end(file.body);
      }, file.delayMs ?? 0);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Serves a file and returns the Teams attachment for it. */
  attachment(name: string, file: { body: Buffer | string; status?: number; delayMs?: number }): Record<string, unknown> {
    const path = `/personal/ana_contoso_com/_layouts/15/download.aspx/${encodeURIComponent(name)}`;
    this.files.set(path, file);
    return downloadInfo(name, `${this.url}${path}?UniqueId=3f1c9b2e-0000-4000-8000-000000000001&tempauth=${TEMPAUTH}`);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function downloadInfo(name: string, downloadUrl: string): Record<string, unknown> {
  return {
    contentType: FILE_DOWNLOAD_INFO,
    contentUrl: `https://contoso-my.sharepoint.com/personal/ana_contoso_com/Documents/Microsoft Teams Chat Files/${name}`,
    name,
    content: { downloadUrl, uniqueId: '3f1c9b2e-0000-4000-8000-000000000001', fileType: name.split('.').pop() },
  };
}

/** The HTML copy of the message body Teams attaches to every message: not a file. */
const HTML_BODY = { contentType: 'text/html', content: '<p>see the attached log</p>' };

describe('Teams: files attached in a personal chat reach the conversation core', () => {
  let h: Harness;
  let host: FakeFileHost;
  let guard: NetworkGuard;

  beforeAll(async () => {
    guard = guardNetwork();
    host = await new FakeFileHost().start();
    h = await startHarness({ options: { files: LIMITS } });
  });

  afterAll(async () => {
    await h.close();
    await host.close();
    guard.restore();
  });

  const send = async (text: string, attachments: unknown[]): Promise<Inbound> => {
    const before = h.inbounds.length;
    const res = await h.post(personalMessage(h.connector.url, text, { attachments }));
    expect(res.status).toBe(200);
    expect(h.inbounds.length).toBe(before + 1);
    return h.inbounds.at(-1)!;
  };

  it('a .log file arrives on Inbound.files with its text, and the question is answered as before', async () => {
    const calls = h.connector.calls.length;
    const inbound = await send('the tunnel is up but nothing passes', [
      host.attachment('charon.log', { body: CHARON_TS_UNACCEPTABLE_LOG }),
      HTML_BODY,
    ]);
    expect(inbound.text).toBe('the tunnel is up but nothing passes');
    expect(inbound.files).toEqual([
      { name: 'charon.log', text: CHARON_TS_UNACCEPTABLE_LOG, bytes: Buffer.byteLength(CHARON_TS_UNACCEPTABLE_LOG), truncated: false },
    ]);
    expect(inbound.skippedFiles).toBeUndefined();
    expect(h.connector.calls.length).toBeGreaterThan(calls);
  });

  it('a text/plain attachment with a contentUrl is read too; a UTF-16 export is decoded', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('crypto ikev2 proposal AZURE\r\n', 'utf16le')]);
    const info = host.attachment('show-run.txt', { body: utf16 });
    const path = new URL(String((info.content as { downloadUrl: string }).downloadUrl));
    const inbound = await send('', [{ contentType: 'text/plain', contentUrl: path.href, name: 'show-run.txt' }]);
    expect(inbound.files?.map((f) => [f.name, f.text])).toEqual([['show-run.txt', 'crypto ikev2 proposal AZURE\r\n']]);
  });

  it('a file past the size limit is cut at a line end and marked truncated (Teams gives no size up front)', async () => {
    const line = 'Jun 23 14:13:17 charon[4996]: 11[IKE] <PEER|1> failed to establish CHILD_SA, keeping IKE_SA\n';
    const body = line.repeat(Math.ceil((LIMITS.maxBytes * 1.5) / line.length));
    const inbound = await send('', [host.attachment('big.log', { body })]);
    const file = inbound.files![0]!;
    expect(file.truncated).toBe(true);
    expect(file.bytes).toBe(LIMITS.maxBytes);
    expect(file.text.endsWith('\n')).toBe(true);
    expect(file.text.length % line.length).toBe(0);
    expect(body.startsWith(file.text)).toBe(true);
  });

  it('not text, binary content, a failing download, a slow one and a 4th file are skipped with reasons', async () => {
    const first = await send('', [
      host.attachment('report.pdf', { body: PDF_BYTES }),
      host.attachment('capture.log', { body: PDF_BYTES }),
      host.attachment('gone.conf', { body: 'x', status: 404 }),
      host.attachment('fourth.log', { body: 'never read\n' }),
    ]);
    expect(first.files).toBeUndefined();
    expect(first.skippedFiles).toEqual([
      { name: 'report.pdf', reason: 'not a text file' },
      { name: 'capture.log', reason: 'not a text file (it contains binary data)' },
      { name: 'gone.conf', reason: 'the download failed (HTTP 404)' },
      { name: 'fourth.log', reason: 'only the first 3 files of a message are read' },
    ]);
    expect(host.requests.some((p) => p.endsWith('report.pdf'))).toBe(false);
    expect(host.requests.some((p) => p.endsWith('fourth.log'))).toBe(false);

    const slow = await send('', [host.attachment('slow.log', { body: 'late\n', delayMs: 1500 })]);
    expect(slow.skippedFiles).toEqual([{ name: 'slow.log', reason: 'the download took longer than 400 ms' }]);
  });

  it('never downloads from a host that is not SharePoint/OneDrive (or loopback in dev mode)', async () => {
    const inbound = await send('', [
      downloadInfo('metadata.log', 'http://169.254.169.254/metadata/identity/oauth2/token?resource=https://management.azure.com/'),
      downloadInfo('intranet.log', 'https://intranet.contoso.local/secret.log'),
      { contentType: 'text/plain', contentUrl: 'file:///etc/passwd', name: 'passwd.txt' },
    ]);
    expect(inbound.files).toBeUndefined();
    expect(inbound.skippedFiles).toEqual([
      { name: 'metadata.log', reason: 'the file is not on a host the bot downloads from (169.254.169.254)' },
      { name: 'intranet.log', reason: 'the file is not on a host the bot downloads from (intranet.contoso.local)' },
      { name: 'passwd.txt', reason: 'the file link is not a web address' },
    ]);
    expect(guard.blocked).toEqual([]);
  });

  it('outside dev mode only https SharePoint/OneDrive hosts are accepted', () => {
    const ok = (u: string) => isTeamsFileUrl(new URL(u), false);
    expect(ok('https://contoso.sharepoint.com/sites/ops/_layouts/15/download.aspx?UniqueId=1&tempauth=x')).toBe(true);
    expect(ok('https://contoso-my.sharepoint.com/personal/ana/_layouts/15/download.aspx?UniqueId=1')).toBe(true);
    expect(ok('https://contoso.sharepoint.us/a.log')).toBe(true);
    expect(ok('http://contoso.sharepoint.com/a.log')).toBe(false);
    expect(ok('https://contoso.sharepoint.com:8443/a.log')).toBe(false);
    expect(ok('https://sharepoint.com.evil.example/a.log')).toBe(false);
    expect(ok('https://evilsharepoint.com/a.log')).toBe(false);
    expect(ok(`${host.url}/a.log`)).toBe(false);
    expect(isTeamsFileUrl(new URL(`${host.url}/a.log`), true)).toBe(true);
  });

  it('the download URL (its tempauth token) is in no log line', () => {
    const text = h.logs.map((l) => JSON.stringify(l));
    expect(text.some((l) => l.includes('shared file read'))).toBe(true);
    expect(text.filter((l) => l.includes('tempauth'))).toEqual([]);
    expect(text.filter((l) => l.includes(TEMPAUTH.slice(-20)))).toEqual([]);
  });
});
