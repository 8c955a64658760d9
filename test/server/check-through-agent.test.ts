import { createServer, type Server, type Socket } from 'node:net';
import DNS, { Packet } from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeAgent } from '../../src/agents/agent.js';
import { CheckReportSchema } from '../../src/diagnosis/report.js';
import { runConnectivityCheck } from '../../src/diagnosis/run-check.js';
import type { RunningServer } from '../../src/server/start.js';
import { FakeExecutor, registerAgent, startAgent } from '../agents/helpers.js';
import { api, bodyOf, connectAgent, kb, startTestServer } from './helpers.js';

/**
 * A whole check requested through the API and run by a real agent (catalogue executor, allowlist
 * 127.0.0.0/8) against a loopback "cloud": a dns2 server on port 53 and TCP listeners on 443/80 of
 * 127.77.x.y addresses. Ports below 1024 need root (as in CI); elsewhere the test is skipped.
 */
const isRoot = process.getuid?.() === 0;
const net = `127.77.${1 + Math.floor(Math.random() * 250)}`;
const DNS_IP = `${net}.2`;
const APP_IP = `${net}.10`;
const HOST = 'acme-dev.outsystemsenterprise.com';

describe.skipIf(!isRoot)('POST /api/v1/checks through a real agent on loopback', () => {
  let server: RunningServer;
  let agent: ProbeAgent;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const handle = (request: DNS.Packet, send: (r: DNS.Packet) => void) => {
      const response = Packet.createResponseFromRequest(request);
      const q = request.questions[0]!;
      if (q.name.toLowerCase() === HOST) {
        response.answers.push({
          name: q.name,
          type: Packet.TYPE.A,
          class: Packet.CLASS.IN,
          ttl: 60,
          address: APP_IP,
        } as DNS.Packet.Resource);
      } else {
        response.header.rcode = Packet.RCODE.NXDOMAIN;
      }
      send(response);
    };
    const udp = DNS.createUDPServer(handle);
    await udp.listen(53, DNS_IP);
    closers.push(() => new Promise<void>((r) => udp.close(() => r())));
    const tcpDns = DNS.createTCPServer(handle);
    await new Promise<void>((r) => tcpDns.listen(53, DNS_IP, () => r()));
    closers.push(() => new Promise<void>((r) => tcpDns.close(() => r())));
    for (const port of [443, 80]) {
      const sockets = new Set<Socket>();
      const s: Server = createServer((sock) => {
        sockets.add(sock);
        sock.on('error', () => {});
        sock.end();
      });
      await new Promise<void>((r) => s.listen(port, APP_IP, () => r()));
      closers.push(
        () =>
          new Promise<void>((r) => {
            for (const sock of sockets) sock.destroy();
            s.close(() => r());
          }),
      );
    }
    server = await startTestServer();
    agent = await connectAgent(server, 'lab-agent');
  });

  afterAll(async () => {
    await agent?.stop({ timeoutMs: 500 });
    await server?.close();
    for (const c of closers.reverse()) await c();
  });

  it('returns the same JSON as `check --json` run locally, and audits every probe', async () => {
    const input = { hosts: [HOST], dnsServers: [DNS_IP], resolver: DNS_IP, sentry: false, timeoutMs: 5000 };
    const res = await api(server, '/api/v1/checks', { json: { agent: 'lab-agent', host: HOST, dnsServers: [DNS_IP], resolver: DNS_IP } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-vpn-doctor-agent')).toBe('lab-agent');
    const remote = CheckReportSchema.parse(await bodyOf(res));
    const local = await runConnectivityCheck(input, { knowledge: kb });

    expect(remote.verdict).toBe(local.verdict);
    expect(remote.findings.map((f) => f.code)).toEqual(local.findings.map((f) => f.code));
    const shape = (r: typeof local) => r.probes.map((p) => [p.kind, p.target, p.ok]);
    expect(shape(remote)).toEqual(shape(local));
    // The loopback cloud answered: DNS gave the private address, both ports connected.
    const dns = remote.probes.find((p) => p.kind === 'dns' && p.target.endsWith(`@${DNS_IP}`));
    expect(dns?.ok).toBe(true);
    expect(remote.probes.filter((p) => p.kind === 'tcp').map((p) => [p.target, p.ok])).toEqual([
      [`${APP_IP}:443`, true],
      [`${APP_IP}:80`, true],
    ]);

    const checkId = res.headers.get('x-vpn-doctor-check-id');
    const jobs = (await server.store.audit.recent()).filter((j) => j.checkId === checkId);
    expect(jobs).toHaveLength(remote.probes.length);
    expect(jobs.every((j) => j.agent === 'lab-agent' && j.requestedBy === 'api' && j.platform === 'api' && j.status === 'ok')).toBe(true);
  });

  it('the same check from the chat (conversation core) runs on the agent and returns a check reply', async () => {
    const progress: string[] = [];
    const reply = await server.assistant.handle(
      { text: `check ${HOST} dns ${DNS_IP} resolver ${DNS_IP} on lab-agent`, user: 'u1', channel: 'C1', platform: 'slack' },
      { progress: (r) => void progress.push(r.summary) },
    );
    expect(reply.kind).toBe('check');
    expect(reply.evidence.length).toBeGreaterThan(5);
    expect(progress.some((p) => p.includes('lab-agent'))).toBe(true);
    expect((await server.store.audit.recent({ limit: 1 }))[0]).toMatchObject({ platform: 'slack', channel: 'C1', requestedBy: 'u1' });
  });

  it('a DNS server outside the agent allowlist: 200, its probes marked not run with the rule, the rest diagnosed', async () => {
    const res = await api(server, '/api/v1/checks', {
      json: { agent: 'lab-agent', host: HOST, dnsServers: ['10.255.255.1'], resolver: DNS_IP, timeoutMs: 2000 },
    });
    expect(res.status).toBe(200);
    const report = CheckReportSchema.parse(await bodyOf(res));
    expect(report.probes.filter((p) => p.notRun).map((p) => `${p.kind} ${p.notRun!.allow}`)).toEqual([
      'icmp 10.255.255.1',
      'traceroute 10.255.255.1',
      'route 10.255.255.1',
      'dns 10.255.255.1:53',
    ]);
    // A refused probe says nothing about the network: "tunnel down" here would be a false diagnosis. The
    // resolver answered and both ports connected, and that is what was judged.
    expect(report.verdict).not.toBe('down');
    expect(report.probes.filter((p) => p.kind === 'tcp').map((p) => p.ok)).toEqual([true, true]);
    expect(report.notConcluded!.flatMap((g) => g.codes)).toContain('dns-unreachable');
    expect((await server.store.audit.recent()).some((j) => j.status === 'refused' && j.target.includes('10.255.255.1'))).toBe(true);
  });

  it('an allowlist of 53 and 443 only: TCP 80 and the pings are not run, 443 is judged, no port-blocked for 80', async () => {
    const narrow = await connectAgent(server, 'narrow-agent', [`${net}.0/24:53,443`]);
    try {
      const res = await api(server, '/api/v1/checks', {
        json: { agent: 'narrow-agent', host: HOST, dnsServers: [DNS_IP], resolver: DNS_IP, timeoutMs: 2000 },
      });
      expect(res.status).toBe(200);
      const report = CheckReportSchema.parse(await bodyOf(res));
      expect(report.probes.filter((p) => p.notRun).map((p) => `${p.kind} ${p.target} -> ${p.notRun!.allow}`)).toEqual([
        `icmp ${DNS_IP} -> ${DNS_IP}`,
        `traceroute ${DNS_IP} -> ${DNS_IP}`,
        `tcp ${APP_IP}:80 -> ${APP_IP}:80`,
      ]);
      expect(report.probes.find((p) => p.kind === 'tcp' && p.target === `${APP_IP}:443`)?.ok).toBe(true);
      expect(report.findings.map((f) => f.code)).not.toContain('port-blocked');
      expect(report.notConcluded!.map((g) => g.question)).toContain(`whether TCP 80 to ${HOST} connects`);
    } finally {
      await narrow.stop({ timeoutMs: 500 });
    }
  });

  it('every target outside the allowlist: 422 with the rules that would allow them; the chat says the same', async () => {
    const res = await api(server, '/api/v1/checks', {
      json: { agent: 'lab-agent', host: HOST, dnsServers: ['10.255.255.1'], resolver: '10.255.255.2', timeoutMs: 2000 },
    });
    expect(res.status).toBe(422);
    const body = (await bodyOf(res)) as { error: { code: string; details: { agent: string; failures: string[]; allow: string[] } } };
    expect(body.error.code).toBe('agent-refused');
    expect(body.error.details.agent).toBe('lab-agent');
    expect(body.error.details.allow).toEqual(['10.255.255.1', '10.255.255.1:53', '10.255.255.2:53']);
    const r = await server.assistant.handle({
      text: `check ${HOST} dns 10.255.255.1 resolver 10.255.255.2 on lab-agent timeout 2000`,
      user: 'u',
      channel: 'c',
      platform: 'test',
    });
    expect(r.kind).toBe('error');
    expect(r.title).toBe('Agent lab-agent refused every probe of the check');
    expect(r.findings).toEqual([]);
  });

  it('the chat marks a partial check and names the rules to add', async () => {
    const r = await server.assistant.handle({
      text: `check ${HOST} dns 10.255.255.1 resolver ${DNS_IP} on lab-agent timeout 2000`,
      user: 'u',
      channel: 'c',
      platform: 'test',
    });
    expect(r.kind).toBe('check');
    expect(r.notices?.[0]).toMatch(/^Partial check: 4 of \d+ probes were not run/);
    expect(r.notices?.[1]).toBe('To run them, add to the agent: --allow 10.255.255.1 --allow 10.255.255.1:53');
  });
});

/** How check errors reach an API client: each code with its status (httpStatusOf), no root needed. */
describe('POST /api/v1/checks when the check cannot run on the agent', () => {
  let server: RunningServer;
  let slow: ProbeAgent;

  beforeAll(async () => {
    server = await startTestServer();
    // Takes jobs and never finishes them: the agent's own deadline answers "timeout".
    slow = startAgent(`${server.url.replace('http', 'ws')}/agents`, await registerAgent(server.store, 'slow-1'), 'slow-1', {
      executor: new FakeExecutor({ hang: true }),
    }).agent;
    await registerAgent(server.store, 'gone-1');
    await slow.whenOnline();
  });

  afterAll(async () => {
    await slow?.stop({ timeoutMs: 200 });
    await server?.close();
  });

  const body = { host: HOST, dnsServers: ['127.0.0.1'], resolver: '127.0.0.1' };

  it('an offline agent: 503 agent-offline; an unknown one: 404 agent-unknown', async () => {
    const offline = await api(server, '/api/v1/checks', { json: { ...body, agent: 'gone-1' } });
    expect(offline.status).toBe(503);
    expect((await bodyOf(offline)).error).toMatchObject({ code: 'agent-offline', details: { agent: 'gone-1' } });
    const unknown = await api(server, '/api/v1/checks', { json: { ...body, agent: 'nobody' } });
    expect(unknown.status).toBe(404);
    expect((await bodyOf(unknown)).error.code).toBe('agent-unknown');
  });

  it('an agent that does not answer in time: 504 timeout, with the check id of the audited jobs', async () => {
    const res = await api(server, '/api/v1/checks', { json: { ...body, agent: 'slow-1', timeoutMs: 600 } });
    expect(res.status).toBe(504);
    const error = (await bodyOf(res)).error as { code: string; details: { checkId: string; failures: string[] } };
    expect(error.code).toBe('timeout');
    const jobs = (await server.store.audit.recent()).filter((j) => j.checkId === error.details.checkId);
    expect(jobs.length).toBe(error.details.failures.length);
    expect(jobs.every((j) => j.status === 'timeout')).toBe(true);
  });

  it('the same request from the chat gets the timeout Reply, not a diagnosis', async () => {
    const r = await server.assistant.handle({
      text: `check ${HOST} dns 127.0.0.1 resolver 127.0.0.1 on slow-1 timeout 600`,
      user: 'u',
      channel: 'c',
      platform: 'test',
    });
    expect(r).toMatchObject({ kind: 'error', title: 'Agent slow-1 did not answer in time', findings: [] });
  });

  it('a request the schema refuses: 400 invalid-request before any agent is asked', async () => {
    const res = await api(server, '/api/v1/checks', { json: { dnsServers: ['127.0.0.1'], agent: 'slow-1' } });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error.code).toBe('invalid-request');
  });
});
