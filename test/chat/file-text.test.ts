import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { decodeText, DEFAULT_FILE_LIMITS, refuseBeforeDownload } from '../../src/chat/file-text.js';
import { readSharedFiles } from '../../src/chat/inbound-files.js';
import { loadConfig } from '../../src/config/env.js';
import { CHARON_TS_UNACCEPTABLE_LOG, PDF_BYTES } from '../adapters/helpers/shared-file-samples.js';

const limits = { ...DEFAULT_FILE_LIMITS, maxBytes: 1024 };
const silent = pino({ level: 'silent' });

describe('which shared files are read', () => {
  it('takes text MIME types and the known text extensions, whatever the declared type', () => {
    expect(refuseBeforeDownload({ name: 'notes', mimetype: 'text/plain' }, limits)).toBeNull();
    expect(refuseBeforeDownload({ name: 'tunnel.json', mimetype: 'application/json; charset=utf-8' }, limits)).toBeNull();
    for (const ext of ['log', 'txt', 'conf', 'cfg', 'rsc', 'xml', 'json', 'yaml', 'yml', 'tf', 'ps1', 'sh', 'csv']) {
      expect(refuseBeforeDownload({ name: `export.${ext.toUpperCase()}`, mimetype: 'application/octet-stream' }, limits), ext).toBeNull();
    }
    expect(refuseBeforeDownload({ name: 'report.pdf', mimetype: 'application/pdf' }, limits)).toBe('not a text file');
    expect(refuseBeforeDownload({ name: 'capture.pcap' }, limits)).toBe('not a text file');
    expect(refuseBeforeDownload({ name: 'log.zip', mimetype: 'application/zip' }, limits)).toBe('not a text file');
  });

  it('refuses a declared size over the limit, naming both sizes', () => {
    expect(refuseBeforeDownload({ name: 'a.log', size: 1024 }, limits)).toBeNull();
    expect(refuseBeforeDownload({ name: 'a.log', size: 1025 }, limits)).toBe('too large (1.0 KB; the limit is 1 KB)');
    expect(refuseBeforeDownload({ name: 'a.log', size: 15 * 1024 * 1024 }, DEFAULT_FILE_LIMITS)).toBe(
      'too large (15 MB; the limit is 10 MB)',
    );
  });
});

describe('decoding', () => {
  const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

  it('reads UTF-8, UTF-16 with a byte-order mark, and falls back to Windows-1252', () => {
    expect(decodeText(bytes(CHARON_TS_UNACCEPTABLE_LOG))).toEqual({ text: CHARON_TS_UNACCEPTABLE_LOG });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('éa\n')]))).toEqual({ text: 'éa\n' });
    expect(decodeText(new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ISAKMP SA\r\n', 'utf16le')])))).toEqual({
      text: 'ISAKMP SA\r\n',
    });
    expect(decodeText(new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('AB', 'utf16le').swap16()])))).toEqual({
      text: 'AB',
    });
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toEqual({ text: 'café\n' });
  });

  it('calls NUL bytes and control-character soup binary', () => {
    expect(decodeText(new Uint8Array(PDF_BYTES))).toEqual({ reason: 'not a text file (it contains binary data)' });
    const soup = new Uint8Array(200).map((_, i) => (i % 3 === 0 ? 0x01 : 0x41));
    expect(decodeText(soup)).toEqual({ reason: 'not a text file (it contains binary data)' });
    // Tabs, CR/LF, form feeds and ANSI colour escapes are text.
    expect(decodeText(bytes('a\tb\r\n\x1b[31mred\x1b[0m\f\n'))).toEqual({ text: 'a\tb\r\n\x1b[31mred\x1b[0m\f\n' });
  });

  it('a cut-off file keeps only complete lines, even when cut inside a character', () => {
    const cut = bytes('line one\nline twö').subarray(0, 17); // ends inside "ö"
    expect(decodeText(cut, true)).toEqual({ text: 'line one\n' });
  });
});

describe('readSharedFiles', () => {
  it('a download that throws becomes a skipped file; files beyond the budget are not started', async () => {
    let started = 0;
    const read = await readSharedFiles(
      [
        {
          name: 'a.log',
          download: () => {
            started++;
            throw new Error('boom with https://files.example/secret');
          },
        },
        {
          name: 'b.log',
          download: async () => {
            started++;
            await new Promise((r) => setTimeout(r, 150));
            return { ok: true, bytes: bytes('b\n'), truncated: false };
          },
        },
        { name: 'c.log', download: async () => (started++, { ok: true, bytes: bytes('c\n'), truncated: false }) },
      ],
      limits,
      silent,
      { budgetMs: 120 },
    );
    expect(read.files).toEqual([{ name: 'b.log', text: 'b\n', bytes: 2, truncated: false }]);
    expect(read.skippedFiles).toEqual([
      { name: 'a.log', reason: 'the download failed' },
      { name: 'c.log', reason: 'there was no time left to download it' },
    ]);
    expect(started).toBe(2);
  });
  const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
});

describe('configuration', () => {
  it('VPN_DOCTOR_FILE_MAX_MB and VPN_DOCTOR_FILE_MAX_COUNT set the limits, with defaults of 10 MB and 3', () => {
    expect(loadConfig({}).files).toMatchObject({ maxBytes: 10 * 1024 * 1024, maxFiles: 3 });
    expect(loadConfig({ VPN_DOCTOR_FILE_MAX_MB: '0.5', VPN_DOCTOR_FILE_MAX_COUNT: '1' }).files).toMatchObject({
      maxBytes: 524288,
      maxFiles: 1,
    });
    expect(() => loadConfig({ VPN_DOCTOR_FILE_MAX_MB: 'ten' })).toThrow(/VPN_DOCTOR_FILE_MAX_MB/);
    expect(() => loadConfig({ VPN_DOCTOR_FILE_MAX_COUNT: '50' })).toThrow(/VPN_DOCTOR_FILE_MAX_COUNT/);
  });
});
