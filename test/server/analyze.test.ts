import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANALYZE_TEXT_BYTES } from '../../src/evidence/index.js';
import { ANALYZE_BODY_LIMIT } from '../../src/server/analyze-route.js';
import type { RunningServer } from '../../src/server/start.js';
import { api, startTestServer } from './helpers.js';

// Real lines from the lab's charon log (test/fixtures/evidence/logs/lab-strongswan.yaml) and a real
// configuration fixture; the server holds every response to its declared schema (checkResponses).
const PSK_LOG = [
  'Dec  8 00:06:58 09[IKE] initiating IKE_SA vdlab[1] to 198.18.0.2',
  'Dec  8 00:06:58 09[ENC] generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]',
  'Dec  8 00:06:58 11[ENC] parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]',
  'Dec  8 00:06:58 11[IKE] received AUTHENTICATION_FAILED notify error',
].join('\n');
const FORTIGATE = readFileSync(new URL('../fixtures/evidence/configs/fortigate-aws.txt', import.meta.url), 'utf8');

let server: RunningServer & { lines: Record<string, unknown>[] };
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('POST /api/v1/analyze', () => {
  it('reads a pasted log: root cause, section and the lines it relied on', async () => {
    const res = await api(server, '/api/v1/analyze', { method: 'POST', json: { text: PSK_LOG } });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      kind: string;
      family: string;
      verdict: string;
      findings: { code: string; section: string; lines: { n: number }[] }[];
    };
    expect(doc).toMatchObject({ kind: 'log', family: 'strongswan', verdict: 'fault' });
    expect(doc.findings[0]).toMatchObject({
      code: 'psk-mismatch',
      section: 'Typical reasons for the VPN tunnel phase 1 IKE negotiation to fail',
    });
    expect(doc.findings[0]!.lines.map((l) => l.n)).toContain(4);
  });

  it('reads a configuration: every parameter judged, and a key in it never comes back nor reaches the log', async () => {
    const withKey = FORTIGATE.replace(/set psksecret .*/g, 'set psksecret Sup3rSecretKey!');
    const res = await api(server, '/api/v1/analyze', { method: 'POST', json: { text: withKey } });
    expect(res.status).toBe(200);
    const body = await res.text();
    const doc = JSON.parse(body) as { kind: string; vendor: string; parameters: { name: string; verdict: string }[] };
    expect(doc).toMatchObject({ kind: 'config', vendor: 'fortigate' });
    expect(doc.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['p1-encryption', 'p2-lifetime', 'pfs']));
    expect(body).not.toContain('Sup3rSecretKey');
    expect(JSON.stringify(server.lines)).not.toContain('Sup3rSecretKey');
  });

  it('says what is wrong with a bad request, and 413 beyond the documented limit', async () => {
    const empty = await api(server, '/api/v1/analyze', { method: 'POST', json: { text: '' } });
    expect(empty.status).toBe(400);
    const extra = await api(server, '/api/v1/analyze', { method: 'POST', json: { text: 'x', file: 'y' } });
    expect(extra.status).toBe(400);
    const tooLong = await api(server, '/api/v1/analyze', { method: 'POST', json: { text: 'a'.repeat(MAX_ANALYZE_TEXT_BYTES + 1) } });
    expect(tooLong.status).toBe(400);
    const tooBig = await api(server, '/api/v1/analyze', { method: 'POST', json: { text: '\n'.repeat(ANALYZE_BODY_LIMIT / 2 + 10) } });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('payload-too-large');
  });

  it('needs the API token and is in the OpenAPI document with its body limit', async () => {
    const res = await api(server, '/api/v1/analyze', { method: 'POST', json: { text: PSK_LOG }, token: null });
    expect(res.status).toBe(401);
    const doc = (await (await api(server, '/api/v1/openapi.json')).json()) as {
      paths: Record<string, { post?: { responses: Record<string, unknown>; description?: string } }>;
    };
    const op = doc.paths['/api/v1/analyze']?.post;
    expect(op).toBeDefined();
    expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '413']));
    expect(op!.description).toContain(String(ANALYZE_BODY_LIMIT));
  });
});
