import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, closeReason, decodeAgentMessage, decodeHubMessage, encode } from '../../src/agents/protocol.js';

const caps = {
  icmp: 'system',
  traceroute: true,
  probes: ['icmp', 'tcp'],
  allow: ['10.0.0.0/8'],
  maxConcurrency: 4,
  keepalive: null,
  platform: 'linux-x64',
};

describe('protocol', () => {
  it('round-trips every agent message', () => {
    const messages = [
      { type: 'hello', protocol: 1, name: 'lan-1', version: '0.1.0', bootId: 'abc-123', capabilities: caps },
      { type: 'heartbeat', running: 2, monitor: 'up' },
      { type: 'ack', jobId: 'j-1' },
      { type: 'progress', jobId: 'j-1', text: 'half way' },
      { type: 'result', jobId: 'j-1', status: 'ok', result: { kind: 'icmp' }, durationMs: 3 },
      { type: 'result', jobId: 'j-1', status: 'refused', error: { code: 'not-allowed', message: 'no' }, durationMs: 0, late: true },
      {
        type: 'monitor',
        events: [{ id: 'e-1', kind: 'down', target: '10.0.0.2', at: 1, sent: 12, received: 0, loss: 1, rttMs: null, idleBeforeMs: null }],
      },
      { type: 'bye', reason: 'SIGTERM' },
    ] as const;
    for (const m of messages) expect(decodeAgentMessage(Buffer.from(encode(m as never)))).toEqual({ ok: true, message: m });
  });

  it('round-trips every hub message', () => {
    for (const m of [
      { type: 'welcome', protocol: 1, name: 'lan-1', heartbeatMs: 15000, serverTime: 1, hubVersion: '0.1.0' },
      { type: 'job', jobId: 'j-1', probe: 'tcp', params: { target: '10.0.0.1', port: 443 }, deadlineMs: 3000 },
      { type: 'cancel', jobId: 'j-1', reason: 'deadline exceeded' },
      { type: 'monitor-control', action: 'start' },
    ] as const) {
      expect(decodeHubMessage(Buffer.from(JSON.stringify(m)))).toEqual({ ok: true, message: m });
    }
  });

  it('says what is wrong with a malformed message', () => {
    expect(decodeAgentMessage(Buffer.from('{not json'))).toEqual({ ok: false, reason: 'malformed message: not JSON' });
    expect(decodeAgentMessage(Buffer.from('{"type":"launch-missiles"}'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('malformed message: type'),
    });
    expect(decodeAgentMessage(Buffer.from('{"type":"ack","jobId":"$(id)"}'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('jobId'),
    });
    expect(decodeAgentMessage(Buffer.from('{}'), true)).toMatchObject({ ok: false, reason: expect.stringContaining('binary') });
    expect(decodeAgentMessage(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('larger'),
    });
  });

  it('bounds what a hub may ask: probe names, deadlines, job ids', () => {
    const job = { type: 'job', jobId: 'j-1', probe: 'tcp', params: {}, deadlineMs: 3000 };
    expect(decodeHubMessage(JSON.stringify({ ...job, probe: 'sh -c id' })).ok).toBe(false);
    expect(decodeHubMessage(JSON.stringify({ ...job, deadlineMs: 86_400_000 })).ok).toBe(false);
    expect(decodeHubMessage(JSON.stringify({ ...job, jobId: 'x'.repeat(65) })).ok).toBe(false);
    expect(decodeHubMessage(JSON.stringify({ ...job, params: 'rm -rf /' })).ok).toBe(false);
  });

  it('keeps close reasons within the 123 bytes WebSocket allows', () => {
    expect(Buffer.byteLength(closeReason('é'.repeat(200)))).toBeLessThanOrEqual(123);
  });
});
