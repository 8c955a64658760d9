import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ProbeAgent } from '../../src/agents/agent.js';
import { Allowlist } from '../../src/agents/allowlist.js';
import { CatalogueExecutor } from '../../src/agents/catalogue-executor.js';
import type { ExecContext, JobExecutor } from '../../src/agents/executor.js';
import { CheckError, CheckService, httpStatusOf, parseCheckRequest, type CheckRequestDraft } from '../../src/checks/index.js';
import { checkErrorReply } from '../../src/conversation/check-error-reply.js';
import { checkReply } from '../../src/conversation/check-reply.js';
import { runProbe, type ProbeRunner } from '../../src/probes/catalogue.js';
import { PROTOCOL_VERSION } from '../../src/agents/protocol.js';
import { HUB_RESULT_GRACE_MS, RUNNER_OVERRUN_MS } from '../../src/probes/deadlines.js';
import { FakeExecutor, registerAgent, startAgent, startHub, waitFor, type TestHub } from '../agents/helpers.js';
import { startDnsServer, type TestDnsServer } from '../probes/dns-server.js';

/**
 * The check service end to end: the same request run on this machine and on a real agent connected to a
 * real hub over loopback WebSocket, with real probes against a loopback "cloud" (a DNS server and TCP
 * listeners on test ports; the port mapping below stands in for ports 53/443/80, which need root). Every
 * way a check on an agent can fail is then checked for its code, its HTTP status and its chat Reply.
 */
const LOOP = '127.0.0.1';
const HOST = 'acme-dev.outsystemsenterprise.com';
const requestedBy = { user: 'tester', platform: 'test', channel: 'c1' };

/** The CheckError a check failed with (a check that succeeds fails the test). */
const rejection = (run: Promise<unknown>): Promise<CheckError> =>
  run.then(
    () => Promise.reject(new Error('expected the check to fail')),
    (e: unknown) => e as CheckError,
  );

interface Ports {
  dns: number;
  https: number;
  http: number;
}

/** Sends the guide's well-known ports on 127.0.0.1 to the test servers' ports; everything else unchanged. */
function mapPorts(ports: Ports, kind: string, params: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'dns' && params.server === LOOP) return { ...params, port: ports.dns };
  if ((kind === 'tcp' || kind === 'tls') && params.target === LOOP) {
    const port = params.port === 443 ? ports.https : params.port === 80 ? ports.http : params.port;
    return { ...params, port };
  }
  return params;
}

/** The agent's real executor (catalogue + allowlist), behind the same port mapping. */
class MappedExecutor implements JobExecutor {
  readonly kinds: readonly string[];
  constructor(
    private readonly inner: CatalogueExecutor,
    private readonly ports: Ports,
  ) {
    this.kinds = inner.kinds;
  }
  execute(job: { probe: string; params: Record<string, unknown> }, ctx: ExecContext) {
    return this.inner.execute({ probe: job.probe, params: mapPorts(this.ports, job.probe, job.params) }, ctx);
  }
}

async function listen(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.end();
  });
  await new Promise<void>((r) => server.listen(0, LOOP, () => r()));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('check service: here and on a real agent over loopback', () => {
  let dns: TestDnsServer;
  let https: Awaited<ReturnType<typeof listen>>;
  let http: Awaited<ReturnType<typeof listen>>;
  let h: TestHub;
  let ports: Ports;
  const agents: ProbeAgent[] = [];
  let service: CheckService;
  const draft: CheckRequestDraft = { host: HOST, dnsServers: [LOOP], resolver: LOOP, timeoutMs: 3000 };

  beforeAll(async () => {
    dns = await startDnsServer({ [HOST]: { addresses: [LOOP] } });
    https = await listen();
    http = await listen();
    ports = { dns: dns.port, https: https.port, http: http.port };
    h = await startHub();
    const allowlist = Allowlist.parse(['127.0.0.0/8']);
    const lan = startAgent(h.url, await registerAgent(h.store, 'lan-1'), 'lan-1', {
      allowlist,
      executor: new MappedExecutor(new CatalogueExecutor(allowlist), ports),
    });
    // An agent that takes jobs and never finishes them: its own deadline answers "timeout".
    const slow = startAgent(h.url, await registerAgent(h.store, 'slow-1'), 'slow-1', { executor: new FakeExecutor({ hang: true }) });
    // An agent from before the route probe: it does not advertise (or run) it.
    const current = new MappedExecutor(new CatalogueExecutor(allowlist), ports);
    const older: JobExecutor = { kinds: current.kinds.filter((k) => k !== 'route'), execute: (job, ctx) => current.execute(job, ctx) };
    const old = startAgent(h.url, await registerAgent(h.store, 'old-1'), 'old-1', { allowlist, executor: older });
    agents.push(lan.agent, slow.agent, old.agent);
    await registerAgent(h.store, 'gone-1'); // registered, never connected
    await Promise.all(agents.map((a) => a.whenOnline()));
    service = new CheckService({
      hub: h.hub,
      knowledge: null,
      localProbes: (req, ctx) =>
        runProbe({ kind: req.kind, params: mapPorts(ports, req.kind, req.params) } as Parameters<ProbeRunner>[0], ctx),
    });
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop({ timeoutMs: 200 })));
    await h?.close();
    await Promise.all([dns?.close(), https?.close(), http?.close()]);
  });

  const failure = (raw: CheckRequestDraft, where: Parameters<CheckService['run']>[1]) =>
    rejection(service.run(parseCheckRequest(raw), where, { requestedBy }));

  it('runs the same check here and on the agent, with the same plan, rules and report; the agent audits every probe', async () => {
    const request = parseCheckRequest(draft);
    const progress: number[] = [];
    const here = await service.run(request, { on: 'local' }, { requestedBy });
    const there = await service.run(
      request,
      { on: 'agent', agent: 'lan-1' },
      { requestedBy, onProgress: (p) => progress.push(p.completed) },
    );

    expect(here.agent).toBeNull();
    expect(there.agent).toBe('lan-1');
    expect(there.report.verdict).toBe(here.report.verdict);
    expect(there.report.findings.map((f) => f.code)).toEqual(here.report.findings.map((f) => f.code));
    const shape = (r: typeof here) => r.report.probes.map((p) => [p.kind, p.target, p.ok]);
    expect(shape(there)).toEqual(shape(here));
    // The loopback cloud answered: DNS gave the (private) address and both ports connected.
    expect(there.report.probes.filter((p) => p.kind === 'dns').every((p) => p.ok)).toBe(true);
    expect(there.report.probes.filter((p) => p.kind === 'tcp').map((p) => p.ok)).toEqual([true, true]);
    expect(there.report.probes.every((p) => p.backend !== 'none')).toBe(true);
    expect(progress).toEqual(there.report.probes.map((_, i) => i + 1));

    const jobs = (await h.store.audit.recent()).filter((j) => j.checkId === there.checkId);
    expect(jobs).toHaveLength(there.report.probes.length);
    expect(jobs.every((j) => j.agent === 'lan-1' && j.requestedBy === 'tester' && j.status === 'ok')).toBe(true);
  });

  it('an agent that is registered but not connected: agent-offline, 503, "cannot run checks now"', async () => {
    const err = await failure(draft, { on: 'agent', agent: 'gone-1' });
    expect(err).toBeInstanceOf(CheckError);
    expect(err.code).toBe('agent-offline');
    expect(httpStatusOf(err.code)).toBe(503);
    expect(checkErrorReply(err)).toMatchObject({
      kind: 'error',
      title: 'That agent cannot run checks now',
      summary: expect.stringContaining('"gone-1" is offline'),
    });
    const unknown = await failure(draft, { on: 'agent', agent: 'nobody' });
    expect([unknown.code, httpStatusOf(unknown.code)]).toEqual(['agent-unknown', 404]);
  });

  it("a cloud DNS server outside the agent's allowlist: the check runs the rest, marks the refused probes and says what it could not conclude", async () => {
    const { report, checkId } = await service.run(
      parseCheckRequest({ ...draft, dnsServers: ['10.255.255.1'], timeoutMs: 2000 }),
      { on: 'agent', agent: 'lan-1' },
      { requestedBy },
    );
    const notRun = report.probes.filter((p) => p.notRun);
    expect(notRun.map((p) => [p.kind, p.notRun!.allow])).toEqual([
      ['icmp', '10.255.255.1'],
      ['traceroute', '10.255.255.1'],
      // The route lookup sends nothing, but the agent still tells only about addresses its rules cover.
      ['route', '10.255.255.1'],
      ['dns', '10.255.255.1:53'],
    ]);
    expect(notRun.every((p) => p.notRun!.message.includes("outside this agent's allowlist"))).toBe(true);
    // What did run was judged: the resolver gave the address, the ports connected, so nothing says "down";
    // and the silence of probes that never ran is not read as a fault.
    expect(report.probes.filter((p) => p.kind === 'tcp').map((p) => p.ok)).toEqual([true, true]);
    expect(report.verdict).not.toBe('down');
    expect(report.findings.map((f) => f.code)).not.toContain('dns-unreachable');
    expect(report.notConcluded!.map((g) => g.question)).toEqual([
      'whether cloud DNS server 10.255.255.1 answers ping',
      'where the path to 10.255.255.1 stops (your network or the VPN device)',
      'which next hop this machine uses for 10.255.255.1 (your network or the VPN device)',
      `whether cloud DNS server 10.255.255.1 answers for ${HOST}`,
    ]);
    const jobs = (await h.store.audit.recent()).filter((j) => j.checkId === checkId);
    expect(jobs.filter((j) => j.status === 'refused')).toHaveLength(4);
    // The chat says the same: a notice first, the refused rows marked "not run" with their rule.
    const r = checkReply(report, { agent: 'lan-1' });
    expect(r.notices![0]).toMatch(/^Partial check: 4 of \d+ probes were not run \(refused by agent lan-1's allowlist\)/);
    expect(r.notices![1]).toBe('To run them, add to the agent: --allow 10.255.255.1 --allow 10.255.255.1:53');
    expect(r.evidence.filter((e) => e.outcome.startsWith('not run')).map((e) => e.ok)).toEqual([null, null, null, null]);
  });

  it('an agent older than the route probe: the check runs the rest (200), the route rows are not run, "update the agent"', async () => {
    const { report } = await service.run(parseCheckRequest(draft), { on: 'agent', agent: 'old-1' }, { requestedBy });
    const notRun = report.probes.filter((p) => p.notRun);
    expect(notRun.map((p) => [p.kind, p.notRun!.reason])).toEqual([['route', 'unsupported']]);
    expect(notRun[0]!.notRun!.message).toContain('does not run route probes');
    // The rest is judged as a current agent judges it: the same verdict and findings.
    const current = await service.run(parseCheckRequest(draft), { on: 'agent', agent: 'lan-1' }, { requestedBy });
    expect([report.verdict, report.findings.map((f) => f.code)]).toEqual([
      current.report.verdict,
      current.report.findings.map((f) => f.code),
    ]);
    const r = checkReply(report, { agent: 'old-1' });
    expect(r.notices![0]).toMatch(/^Partial check: 1 of \d+ probes were not run \(1 this agent's version does not run: update it\)/);
    expect(r.evidence.find((e) => e.outcome.startsWith('not run'))!.outcome).toBe('not run: this agent does not run it (update the agent)');
  });

  it("every target outside the agent's allowlist: agent-refused, 422, the rules to add, no diagnosis in the Reply, and the refusals audited", async () => {
    const err = await failure(
      { ...draft, dnsServers: ['10.255.255.1'], resolver: '10.255.255.2', timeoutMs: 2000 },
      { on: 'agent', agent: 'lan-1' },
    );
    expect(err.code).toBe('agent-refused');
    expect(httpStatusOf(err.code)).toBe(422);
    expect(err.details.failures!.some((f) => f.includes('10.255.255.1') && f.includes('allowlist'))).toBe(true);
    expect(err.details.allow).toEqual(['10.255.255.1', '10.255.255.1:53', '10.255.255.2:53']);
    const r = checkErrorReply(err);
    expect(r).toMatchObject({ kind: 'error', title: 'Agent lan-1 refused every probe of the check', findings: [] });
    expect(r.summary).toContain('--allow 10.255.255.1 --allow 10.255.255.1:53 --allow 10.255.255.2:53');
    expect(r.items.map((i) => i.label)).toEqual(err.details.failures!.slice(0, 10));
    expect(
      (await h.store.audit.recent()).some(
        (j) => j.checkId === err.details.checkId && j.status === 'refused' && j.target.includes('10.255.255.1'),
      ),
    ).toBe(true);
  });

  it('an agent that never finishes its jobs: timeout, 504, within the budget plus the margins', async () => {
    const started = Date.now();
    const err = await failure({ ...draft, timeoutMs: 600 }, { on: 'agent', agent: 'slow-1' });
    expect(Date.now() - started).toBeLessThan(600 + RUNNER_OVERRUN_MS + 500);
    expect(err.code).toBe('timeout');
    expect(httpStatusOf(err.code)).toBe(504);
    expect(checkErrorReply(err)).toMatchObject({ kind: 'error', title: 'Agent slow-1 did not answer in time' });
    expect((await h.store.audit.recent()).filter((j) => j.checkId === err.details.checkId).every((j) => j.status === 'timeout')).toBe(true);
  });

  it("an agent that ignores its jobs altogether: the hub's deadline says timeout before the check writes the probes off", async () => {
    // A raw client that says hello, keeps heartbeating and never acknowledges a job (an old or wedged agent).
    const token = await registerAgent(h.store, 'deaf-1');
    const ws = new WebSocket(h.url, { headers: { Authorization: `Bearer ${token}` } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const capabilities = {
      icmp: 'system',
      traceroute: true,
      probes: ['icmp', 'traceroute', 'dns', 'tcp', 'tls'],
      allow: [],
      maxConcurrency: 4,
      keepalive: null,
      platform: 'test',
    };
    ws.send(
      JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, name: 'deaf-1', version: 'test', bootId: 'boot-deaf', capabilities }),
    );
    const beat = setInterval(() => ws.send(JSON.stringify({ type: 'heartbeat', running: 0, monitor: 'off' })), 200);
    try {
      await new Promise<void>((resolve) => ws.once('message', () => resolve())); // welcome
      const started = Date.now();
      const err = await failure({ ...draft, timeoutMs: 600 }, { on: 'agent', agent: 'deaf-1' });
      const took = Date.now() - started;
      expect(err.code).toBe('timeout');
      // It predates the route probe: those are not run (the hub knows from its hello), the rest time out.
      const [route, others] = [
        err.details.failures!.filter((f) => f.startsWith('route ')),
        err.details.failures!.filter((f) => !f.startsWith('route ')),
      ];
      expect(route.length).toBeGreaterThan(0);
      expect(route.every((f) => f.includes('does not run route probes'))).toBe(true);
      expect(others.every((f) => f.includes('did not acknowledge'))).toBe(true);
      // The hub gave up at the probes' deadline plus its grace, before the check's own overrun.
      expect(took).toBeGreaterThanOrEqual(600 - 100 + HUB_RESULT_GRACE_MS - 50);
      expect(took).toBeLessThan(600 + RUNNER_OVERRUN_MS);
    } finally {
      clearInterval(beat);
      ws.terminate();
      await waitFor(() => !h.hub.isOnline('deaf-1'), 2000, 'deaf-1 gone');
    }
  });

  it('no agent named with several online: agent-required, 409, and one "Run on" button per agent', async () => {
    const request = parseCheckRequest(draft);
    const err = await rejection(service.run(request, { on: 'agent' }, { requestedBy }));
    expect(err.code).toBe('agent-required');
    expect(httpStatusOf(err.code)).toBe(409);
    expect(
      checkErrorReply(err, request)
        .actions.map((a) => a.command)
        .sort(),
    ).toEqual([
      `check ${HOST} dns ${LOOP} resolver ${LOOP} timeout 3000 on lan-1`,
      `check ${HOST} dns ${LOOP} resolver ${LOOP} timeout 3000 on old-1`,
      `check ${HOST} dns ${LOOP} resolver ${LOOP} timeout 3000 on slow-1`,
    ]);
  });

  it('a wrong request never reaches a probe: invalid-request, 400, one line per problem', () => {
    let err: CheckError | undefined;
    try {
      parseCheckRequest({ hosts: ['$(id)'], dnsServers: [] });
    } catch (e) {
      err = e as CheckError;
    }
    expect(err?.code).toBe('invalid-request');
    expect(httpStatusOf(err!.code)).toBe(400);
    expect(err!.details.problems).toEqual([
      'host: not a fully qualified host name: "$(id)"',
      'dns server: give at least one cloud DNS server IP',
    ]);
    expect(checkErrorReply(err!)).toMatchObject({ title: 'I could not run that check', summary: err!.details.problems!.join('; ') });
  });

  it('an instance without a hub asked for an agent: agents-unavailable, and the Reply says to leave out "on AGENT"', async () => {
    const request = parseCheckRequest({ ...draft, agent: 'lan-1' });
    const err = await rejection(new CheckService({ knowledge: null }).run(request, { on: 'agent', agent: 'lan-1' }, { requestedBy }));
    expect(err.code).toBe('agents-unavailable');
    expect(checkErrorReply(err, request)).toMatchObject({
      title: 'No probe agents here',
      summary: expect.stringContaining('leave out "on lan-1"'),
    });
  });
});
