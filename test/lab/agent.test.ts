/**
 * The lab, through an agent (issue 5, point 7): `vpn-doctor serve` and `vpn-doctor agent` run inside the LAN
 * namespace; the check is asked for over the runbook API (POST /api/v1/checks), planned by the hub and run
 * probe by probe on the agent. It must say what `check --json` run on the same LAN host says, in the same
 * document, and leave one audit row per probe.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_ALLOW, AGENT_NAME, checkBody, hubLogs, hubRequest, startHubWithAgent, type HubResponse, type LabHub } from './hub.js';
import { Lab } from './lab.js';
import { ENV_HOST, PLAN } from './plan.js';
import { isRoot, NOT_ROOT_MESSAGE } from './root.js';
import { CheckReportSchema, describeRun, runCheck, type CheckReport } from './run-check.js';
import { scenario, type Scenario } from './scenarios.js';

if (!isRoot()) console.warn(NOT_ROOT_MESSAGE);

interface AuditRow {
  checkId: string | null;
  requestedBy: string;
  platform: string;
  agent: string;
  probe: string;
  target: string;
  status: string;
  durationMs: number | null;
  finishedAt: string | null;
}

const codesOf = (r: CheckReport): string[] => [...new Set(r.findings.filter((f) => f.severity !== 'info').map((f) => f.code))].sort();
const kinds = (xs: string[]): string[] => [...xs].sort();

describe.skipIf(!isRoot())('network lab: a check through an agent inside the LAN', () => {
  let lab: Lab | undefined;
  let hub: LabHub | undefined;

  beforeAll(async () => {
    lab = await Lab.start();
    hub = await startHubWithAgent(lab);
  });
  // The lab adopted the server and the agent: stopping it stops them first, by pid.
  afterAll(() => lab?.stop());

  /** POST /api/v1/checks; the response must be exactly a `check --json` document. */
  async function checkThroughAgent(): Promise<{ res: HubResponse; report: CheckReport; why: string }> {
    const res = await hubRequest(lab!, hub!, 'POST', '/api/v1/checks', checkBody());
    const parsed = CheckReportSchema.safeParse(JSON.parse(res.text));
    const why = `POST /api/v1/checks -> ${res.status} in ${Math.round(res.wallMs)} ms\n${res.text.slice(0, 3000)}\n${hubLogs(hub!)}`;
    expect(res.status, why).toBe(200);
    expect(parsed.success, `not the check --json contract: ${parsed.error?.message}\n${why}`).toBe(true);
    return { res, report: parsed.data!, why };
  }

  /** The audit rows of one check, once the hub has recorded every job's end. */
  async function auditRows(checkId: string, expected: number): Promise<AuditRow[]> {
    let rows: AuditRow[];
    const deadline = Date.now() + 5000;
    for (;;) {
      const res = await hubRequest(lab!, hub!, 'GET', `/api/v1/jobs?agent=${AGENT_NAME}&limit=1000`);
      expect(res.status).toBe(200);
      rows = (JSON.parse(res.text) as { jobs: AuditRow[] }).jobs.filter((j) => j.checkId === checkId);
      if ((rows.length >= expected && rows.every((r) => r.finishedAt !== null)) || Date.now() > deadline) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  function expectAudit(rows: AuditRow[], report: CheckReport, why: string): void {
    // One job per probe of the report, each run by the agent to its end: its allowlist refused none.
    expect(kinds(rows.map((r) => r.probe)), why).toEqual(kinds(report.probes.map((p) => p.kind)));
    for (const r of rows) {
      expect(r, why).toMatchObject({ agent: AGENT_NAME, requestedBy: 'api', platform: 'api', status: 'ok' });
      expect(r.finishedAt, why).not.toBeNull();
      expect(r.durationMs, why).toEqual(expect.any(Number));
    }
  }

  it('the agent is online at the hub, with its self-test and its own allowlist', async () => {
    const res = await hubRequest(lab!, hub!, 'GET', '/api/v1/agents');
    expect(res.status).toBe(200);
    const agent = (JSON.parse(res.text) as { agents: Record<string, unknown>[] }).agents.find((a) => a.name === AGENT_NAME);
    expect(agent, hubLogs(hub!)).toMatchObject({
      online: true,
      revoked: false,
      address: '127.0.0.1',
      // root in the namespace: raw ICMP sockets, and traceroute installed by the lab's packages
      capabilities: { icmp: 'raw', traceroute: true, allow: [...AGENT_ALLOW] },
    });
  });

  it('the API refuses a request without the token', async () => {
    const res = await hubRequest(lab!, { ...hub!, apiToken: '' }, 'POST', '/api/v1/checks', checkBody());
    expect(res.status).toBe(401);
  });

  it('a partial check: a third cloud DNS server outside the allowlist is not probed, the rest is judged (200)', async () => {
    // 10.252.0.9 lies outside the agent's --allow rules (the cloud VPC and the edge): its ping, trace, route
    // lookup and DNS query are refused; the report marks them, names the rules, and says what stays open.
    const outside = '10.252.0.9';
    const res = await hubRequest(lab!, hub!, 'POST', '/api/v1/checks', { ...checkBody(), dnsServers: [...PLAN.cloud.dns, outside] });
    const why = `POST /api/v1/checks -> ${res.status}\n${res.text.slice(0, 3000)}\n${hubLogs(hub!)}`;
    expect(res.status, why).toBe(200);
    if (process.env.VDLAB_PARTIAL) writeFileSync(process.env.VDLAB_PARTIAL, res.text);
    const report = CheckReportSchema.parse(JSON.parse(res.text)) as CheckReport & {
      notConcluded?: { question: string; codes: string[]; notRun: string[] }[];
    };
    const refused = report.probes.filter((p) => (p as { notRun?: unknown }).notRun);
    expect(refused.map((p) => `${p.kind} ${p.target}`).sort(), why).toEqual(
      [`dns ${ENV_HOST} @${outside}`, `icmp ${outside}`, `route ${outside}`, `traceroute ${outside}`].sort(),
    );
    expect(report.verdict, why).toBe('healthy');
    expect(codesOf(report), why).toEqual([]);
    expect(
      report.notConcluded?.map((g) => g.question),
      why,
    ).toContain(`whether cloud DNS server ${outside} answers ping`);
  });

  const steps: Array<{ s: Scenario }> = [{ s: scenario('healthy') }, { s: scenario('port-blocked') }];
  for (const { s } of steps) {
    describe(s.title, () => {
      beforeAll(async () => {
        await s.inject(lab!);
      });

      it('is in the described state (plain ping/dig/nc/traceroute)', async () => {
        const failed: string[] = [];
        for (const wit of s.witnesses) if (!(await wit.holds(lab!))) failed.push(wit.what);
        expect(failed.join('\n'), `lab facts that do not hold in "${s.id}"`).toBe('');
      });

      const codes = s.expected.codes.length ? s.expected.codes.join(', ') : 'no findings';
      it(`POST /api/v1/checks on agent "${AGENT_NAME}": ${s.expected.verdict}, ${codes}; the same document as check --json; one audit row per probe`, async () => {
        const { res, report, why } = await checkThroughAgent();
        expect(report.verdict, why).toBe(s.expected.verdict);
        expect(codesOf(report), why).toEqual([...s.expected.codes].sort());
        expect(res.headers['x-vpn-doctor-agent'], why).toBe(AGENT_NAME);
        const checkId = res.headers['x-vpn-doctor-check-id'] ?? '';
        expect(checkId, why).toMatch(/^[0-9a-f-]{36}$/);

        // The same LAN host, the same moment, run locally: the same conclusions in the same document.
        const local = await runCheck(lab!);
        const localWhy = `${why}\n--- local check ---\n${describeRun(local)}`;
        expect(local.report, localWhy).toBeDefined();
        expect(Object.keys(report).sort(), localWhy).toEqual(Object.keys(local.report!).sort());
        expect(report.verdict, localWhy).toBe(local.report!.verdict);
        expect(codesOf(report), localWhy).toEqual(codesOf(local.report!));
        const rows = (r: CheckReport) => r.probes.map((p) => `${p.kind} ${p.target} ok=${p.ok} ${Object.keys(p).sort().join(',')}`);
        expect(rows(report), localWhy).toEqual(rows(local.report!));
        // Every probe ran on the agent (a probe the hub had to write off says backend "agent:<name>").
        for (const p of report.probes) expect(p.backend, localWhy).not.toMatch(/^agent:|^none$/);

        expectAudit(await auditRows(checkId, report.probes.length), report, why);
      });
    });
  }
});
