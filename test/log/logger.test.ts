import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LOGGER_OPTIONS } from '../../src/log/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ ...LOGGER_OPTIONS, level: 'debug' }, stream), lines };
}

describe('the logger redacts secrets whatever carries them', () => {
  it('in the message, in logged fields at depth, and in errors, keeping the error readable', () => {
    const { log, lines } = capture();
    log.info('pasted: crypto isakmp key S3cretKeyOne address 203.0.113.9');
    log.warn({ detail: { line: 'set psksecret ENC S3cretKeyTwo' }, list: ['secret = "S3cretKeyThree"'] }, 'odd line');
    log.error({ err: new Error('bad line: pre-shared-key S3cretKeyFour') }, 'failed');
    const all = lines.join('');
    for (const key of ['S3cretKeyOne', 'S3cretKeyTwo', 'S3cretKeyThree', 'S3cretKeyFour']) expect(all).not.toContain(key);
    const err = JSON.parse(lines[2]!) as { err: { type: string; message: string; stack: string } };
    expect(err.err.type).toBe('Error');
    expect(err.err.message).toMatch(/^bad line: pre-shared-key /);
    expect(err.err.stack).toContain('logger.test.ts');
  });

  it('leaves ordinary lines alone', () => {
    const { log, lines } = capture();
    log.info({ agent: 'lan-1', verdict: 'healthy', ms: 12 }, 'check through the API');
    expect(JSON.parse(lines[0]!)).toMatchObject({ agent: 'lan-1', verdict: 'healthy', ms: 12, msg: 'check through the API' });
  });
});
