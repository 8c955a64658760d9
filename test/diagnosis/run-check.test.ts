import { describe, expect, it } from 'vitest';
import { CheckInputError } from '../../src/diagnosis/input.js';
import { CheckReportSchema } from '../../src/diagnosis/report.js';
import { runConnectivityCheck, type CheckProgress } from '../../src/diagnosis/run-check.js';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/loader.js';
import { ProbeRequestSchema, type AnyProbeResult, type ParsedProbeRequest, type ProbeRunner } from '../../src/probes/catalogue.js';
import type { Topic } from '../../src/knowledge/schema.js';
import { CORE, dns, DNS1, DNS2, EDGE, ENV, FRONT, icmp, PUBLIC_FRONT, RESOLVER, route, tcp, tls, trace } from './synthetic.js';

const BASE = { hosts: [ENV], dnsServers: [DNS1, DNS2], resolver: RESOLVER, edge: EDGE };

type Answer = (req: ParsedProbeRequest) => AnyProbeResult | Promise<AnyProbeResult>;

/** The healthy network, answered from synthetic results. */
const healthyAnswer: Answer = (req) => {
  switch (req.kind) {
    case 'icmp':
      return icmp(req.params.target, 'replied');
    case 'traceroute':
      return trace(req.params.target, ['10.250.1.1', EDGE, req.params.target]);
    case 'dns':
      return dns(req.params.name, req.params.server ?? null, [FRONT]);
    case 'tcp':
      return tcp(req.params.target, req.params.port, 'open');
    case 'tls':
      return tls(req.params.target, 'handshake-ok');
    case 'route':
      return route(req.params.target, CORE);
  }
};

interface Logged {
  req: ParsedProbeRequest;
  started: number;
  ended?: number;
  deadline: number;
}

function scripted(answer: Answer, delay: (req: ParsedProbeRequest) => number = () => 20): ProbeRunner & { log: Logged[] } {
  const log: Logged[] = [];
  const runner: ProbeRunner = async (request, ctx) => {
    const req = ProbeRequestSchema.parse(request);
    const entry: Logged = { req, started: Date.now(), deadline: ctx.deadline };
    log.push(entry);
    await new Promise((r) => setTimeout(r, delay(req)));
    entry.ended = Date.now();
    return answer(req);
  };
  return Object.assign(runner, { log });
}

describe('runConnectivityCheck with an injected probe runner', () => {
  it('runs the independent probes at once, then TCP/TLS to the private address', async () => {
    const runner = scripted(healthyAnswer, () => 50);
    const started = Date.now();
    const report = await runConnectivityCheck(BASE, { probes: runner, knowledge: null });
    const elapsed = Date.now() - started;

    const first = runner.log.filter((l) => ['icmp', 'traceroute', 'dns'].includes(l.req.kind));
    const second = runner.log.filter((l) => ['tcp', 'tls'].includes(l.req.kind));
    // 3 pings (2 DNS + edge), 2 traces, 2 cloud DNS + 1 resolver query; then 443, 80, TLS
    expect(first).toHaveLength(8);
    expect(second).toHaveLength(3);
    const firstDone = Math.min(...first.map((l) => l.ended!));
    expect(first.every((l) => l.started < firstDone)).toBe(true);
    expect(elapsed).toBeLessThan(500); // two rounds of 50 ms, not eleven

    expect(second.map((l) => l.req.params)).toEqual([
      expect.objectContaining({ target: FRONT, port: 443 }),
      expect.objectContaining({ target: FRONT, port: 80 }),
      expect.objectContaining({ target: FRONT, port: 443, servername: ENV }),
    ]);
    expect(report.verdict).toBe('healthy');
    expect(report.findings).toEqual([]);
  });

  it('sends the name lookups first: TCP and TLS wait for them', async () => {
    const runner = scripted(healthyAnswer);
    await runConnectivityCheck(BASE, { probes: runner, knowledge: null });
    expect(runner.log.slice(0, 3).map((l) => l.req.kind)).toEqual(['dns', 'dns', 'dns']);
  });

  it('pings only the cloud DNS servers and the edge device, never the environment', async () => {
    const runner = scripted(healthyAnswer);
    await runConnectivityCheck(BASE, { probes: runner, knowledge: null });
    const pinged = runner.log.filter((l) => l.req.kind === 'icmp').map((l) => (l.req.params as { target: string }).target);
    expect(pinged.sort()).toEqual([DNS1, DNS2, EDGE].sort());
  });

  it('asks the cloud DNS servers and the given resolver for type A', async () => {
    const runner = scripted(healthyAnswer);
    await runConnectivityCheck(BASE, { probes: runner, knowledge: null });
    const queries = runner.log.filter((l) => l.req.kind === 'dns').map((l) => l.req.params as { server?: string; type: string });
    expect(queries.map((q) => q.server).sort()).toEqual([DNS1, DNS2, RESOLVER].sort());
    expect(queries.every((q) => q.type === 'A')).toBe(true);
  });

  it('on Sentry, connects to 443 only', async () => {
    const runner = scripted(healthyAnswer);
    await runConnectivityCheck({ ...BASE, sentry: true }, { probes: runner, knowledge: null });
    const ports = runner.log.filter((l) => l.req.kind === 'tcp').map((l) => (l.req.params as { port: number }).port);
    expect(ports).toEqual([443]);
  });

  it('connects as soon as one cloud DNS server gives a private address', async () => {
    const runner = scripted(healthyAnswer, (req) => (req.kind === 'dns' && req.params.server === DNS2 ? 300 : 10));
    await runConnectivityCheck(BASE, { probes: runner, knowledge: null });
    const slowDns = runner.log.find((l) => l.req.kind === 'dns' && (l.req.params as { server?: string }).server === DNS2)!;
    const firstTcp = runner.log.find((l) => l.req.kind === 'tcp')!;
    expect(firstTcp.started).toBeLessThan(slowDns.ended!);
  });

  it("falls back to the resolver's private answer when the cloud DNS is silent", async () => {
    const runner = scripted((req) =>
      req.kind === 'dns' && req.params.server !== RESOLVER
        ? dns(req.params.name, req.params.server ?? null, 'timeout')
        : healthyAnswer(req),
    );
    const report = await runConnectivityCheck(BASE, { probes: runner, knowledge: null });
    expect(runner.log.filter((l) => l.req.kind === 'tcp')).toHaveLength(2);
    expect(report.findings.map((f) => f.code)).toEqual(['dns-unreachable']);
  });

  it('skips TCP/TLS when no private address is known, and says so in the progress count', async () => {
    const runner = scripted((req) =>
      req.kind === 'dns' ? dns(req.params.name, req.params.server ?? null, [PUBLIC_FRONT]) : healthyAnswer(req),
    );
    const progress: CheckProgress[] = [];
    const report = await runConnectivityCheck(BASE, { probes: runner, knowledge: null, onProgress: (p) => progress.push(p) });
    expect(runner.log.some((l) => l.req.kind === 'tcp' || l.req.kind === 'tls')).toBe(false);
    expect(report.findings.map((f) => f.code)).toEqual(['dns-public-answer']);
    expect(progress.at(-1)).toMatchObject({ completed: 11, planned: 11 });
  });

  it('reports progress once per probe, in completion order', async () => {
    const progress: CheckProgress[] = [];
    await runConnectivityCheck(BASE, { probes: scripted(healthyAnswer), knowledge: null, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.completed)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(progress.every((p) => p.planned === 14)).toBe(true);
    expect(progress.find((p) => p.role === 'tcp')!.line).toMatch(/^connected/);
  });

  it('survives a progress callback that throws', async () => {
    const report = await runConnectivityCheck(BASE, {
      probes: scripted(healthyAnswer),
      knowledge: null,
      onProgress: () => {
        throw new Error('display broke');
      },
    });
    expect(report.verdict).toBe('healthy');
  });

  it('produces exactly the JSON contract, probes in plan order', async () => {
    const runner = scripted(healthyAnswer, (req) => (req.kind === 'icmp' ? 60 : 5));
    const report = await runConnectivityCheck(BASE, { probes: runner, knowledge: null });
    expect(CheckReportSchema.parse(report)).toEqual(report);
    expect(Object.keys(report).sort()).toEqual(['findings', 'probes', 'verdict']);
    expect(report.probes.map((p) => p.kind)).toEqual([
      'icmp',
      'icmp',
      'icmp',
      'traceroute',
      'traceroute',
      'route',
      'route',
      'route',
      'dns',
      'dns',
      'dns',
      'tcp',
      'tcp',
      'tls',
    ]);
    for (const p of report.probes) expect(Object.keys(p).sort()).toEqual(['backend', 'detail', 'durationMs', 'kind', 'ok', 'target']);
  });

  it('gives every probe a deadline within the budget', async () => {
    const runner = scripted(healthyAnswer);
    const started = Date.now();
    await runConnectivityCheck({ ...BASE, timeoutMs: 2000 }, { probes: runner, knowledge: null });
    for (const l of runner.log) expect(l.deadline).toBeLessThanOrEqual(started + 2000 + 5);
  });

  it('keeps to the budget when the runner never answers', async () => {
    const never: ProbeRunner = () => new Promise(() => {});
    const started = Date.now();
    const report = await runConnectivityCheck({ ...BASE, timeoutMs: 500 }, { probes: never, knowledge: null });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(report.verdict).toBe('down');
    expect(report.probes.every((p) => p.backend === 'none' && typeof p.detail.error === 'string')).toBe(true);
  });

  // A runner that answers garbage: validated where results enter the process (test/checks/agent-failures.test.ts).
  it('treats a runner that throws as a failed probe', async () => {
    const runner: ProbeRunner = async (request) => {
      if (request.kind === 'traceroute') throw new Error('agent disconnected');
      return healthyAnswer(ProbeRequestSchema.parse(request));
    };
    const report = await runConnectivityCheck(BASE, { probes: runner, knowledge: null });
    const traceRow = report.probes.find((p) => p.kind === 'traceroute')!;
    expect(traceRow).toMatchObject({ ok: false, backend: 'none' });
    expect(traceRow.detail.error).toBe('probe failed: agent disconnected');
  });

  it('takes section and steps from the knowledge base, with a fallback when a topic is missing', async () => {
    const runner = scripted((req) =>
      req.kind === 'dns' && req.params.server === RESOLVER ? dns(req.params.name, RESOLVER, [PUBLIC_FRONT]) : healthyAnswer(req),
    );
    const topic = {
      id: 'connect-from-internal-network',
      section: 'How can I connect to my OutSystems Cloud environments from my internal network?',
      steps: [{ action: 'Set up a conditional forwarder.', commands: ['nslookup <ENV> <CLOUD_DNS_IP>'] }],
    } as unknown as Topic;
    const kb = { dir: '/x', topics: [topic], byId: new Map([[topic.id, topic]]), requirements: undefined } as KnowledgeBase;
    const withKb = await runConnectivityCheck(BASE, { probes: runner, knowledge: kb });
    expect(withKb.findings[0]).toMatchObject({
      code: 'dns-forwarder-missing',
      topic: 'connect-from-internal-network',
      section: topic.section,
      steps: [{ action: 'Set up a conditional forwarder.', commands: ['nslookup <ENV> <CLOUD_DNS_IP>'] }],
    });
    const withoutKb = await runConnectivityCheck(BASE, { probes: runner, knowledge: null });
    expect(withoutKb.findings[0]!.section).toBe(topic.section);
    expect(withoutKb.findings[0]!.steps[0]!.action).toMatch(/guide's section/);
  });

  it('by default links the findings to the bundled knowledge, exactly as the whole loaded base would', async () => {
    const runner = scripted((req) =>
      req.kind === 'dns' && req.params.server === RESOLVER ? dns(req.params.name, RESOLVER, [PUBLIC_FRONT]) : healthyAnswer(req),
    );
    const bundled = await runConnectivityCheck(BASE, { probes: runner });
    const whole = await runConnectivityCheck(BASE, { probes: runner, knowledge: loadKnowledgeBase() });
    expect(bundled.findings.map((f) => f.code)).toEqual(['dns-forwarder-missing']);
    expect(bundled.findings).toEqual(whole.findings);
    expect(bundled.findings[0]!.steps[0]!.action).not.toMatch(/guide's section/);
  });

  it('refuses bad input with one readable message per problem', async () => {
    const err = await runConnectivityCheck({ hosts: ['$(id)'], dnsServers: [] }, { probes: scripted(healthyAnswer) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CheckInputError);
    expect((err as CheckInputError).problems).toEqual([
      'host: not a fully qualified host name: "$(id)"',
      'dns server: give at least one cloud DNS server IP',
    ]);
  });
});
