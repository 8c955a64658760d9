import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, registerCheckCommand, runCheckCli, type CheckCliOptions } from '../../src/cli/commands/check.js';
import { UsageError } from '../../src/cli/errors.js';
import { CheckReportSchema } from '../../src/diagnosis/report.js';
import { ProbeRequestSchema, type AnyProbeResult, type ParsedProbeRequest, type ProbeRunner } from '../../src/probes/catalogue.js';
import { CORE, dns, DNS1, EDGE, ENV, FRONT, icmp, PUBLIC_FRONT, route, tcp, tls, trace } from '../diagnosis/synthetic.js';

function runner(change: (req: ParsedProbeRequest) => AnyProbeResult | null = () => null): ProbeRunner {
  return async (request) => {
    const req = ProbeRequestSchema.parse(request);
    const changed = change(req);
    if (changed) return changed;
    switch (req.kind) {
      case 'icmp':
        return icmp(req.params.target, 'replied');
      case 'traceroute':
        return trace(req.params.target, [EDGE, req.params.target]);
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
}

function io(tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (s: string) => out.push(s), isTTY: false },
      stderr: { write: (s: string) => err.push(s), isTTY: tty },
      knowledge: null,
    },
  };
}

const OPTS: CheckCliOptions = { host: [ENV], dnsServer: [DNS1], edge: EDGE };

describe('vpn-doctor check', () => {
  it('--json prints exactly one JSON document, the report, and exits 0 when healthy', async () => {
    const t = io();
    const code = await runCheckCli({ ...OPTS, json: true }, { ...t.io, probes: runner() });
    expect(code).toBe(0);
    expect(t.out).toHaveLength(1);
    expect(t.out[0]!.endsWith('\n')).toBe(true);
    expect(t.out[0]!.trim().split('\n')).toHaveLength(1);
    const doc = CheckReportSchema.parse(JSON.parse(t.out[0]!));
    expect(doc.verdict).toBe('healthy');
    expect(t.err).toEqual([]); // not a TTY: no progress
  });

  it('exits 3 when degraded and 4 when down', async () => {
    const degraded = runner((req) => (req.kind === 'dns' && !req.params.server ? dns(req.params.name, null, [PUBLIC_FRONT]) : null));
    expect(await runCheckCli({ ...OPTS, json: true }, { ...io().io, probes: degraded })).toBe(3);
    const down = runner((req) => {
      if (req.kind === 'icmp' && req.params.target === DNS1) return icmp(DNS1, 'no-reply');
      if (req.kind === 'traceroute') return trace(req.params.target, [EDGE, null]);
      if (req.kind === 'dns') return dns(req.params.name, req.params.server ?? null, 'timeout');
      return null;
    });
    const t = io();
    expect(await runCheckCli({ ...OPTS, json: true }, { ...t.io, probes: down })).toBe(4);
    expect(JSON.parse(t.out[0]!).findings.map((f: { code: string }) => f.code)).toEqual(['tunnel-down', 'vpn-device']);
    expect(EXIT_CODES).toEqual({ healthy: 0, degraded: 3, down: 4 });
  });

  it('on a terminal, shows one progress line per probe on stderr', async () => {
    const t = io(true);
    await runCheckCli({ ...OPTS, json: true }, { ...t.io, probes: runner() });
    expect(t.err).toHaveLength(1 + 1 + 1 + 2 + 2 + 3); // ping dns, ping edge, trace, route dns + edge, cloud dns + system dns, 443 + 80 + tls
    expect(t.err.every((l) => l.endsWith('\n'))).toBe(true);
    expect(t.err.join('')).toContain(`Ping cloud DNS ${DNS1}: 3/3 replies`);
  });

  it('progress judges each probe as the evidence table does: a public answer from the resolver is FAIL, not ok', async () => {
    const t = io(true);
    const publicAnswer = runner((req) => (req.kind === 'dns' && !req.params.server ? dns(req.params.name, null, [PUBLIC_FRONT]) : null));
    expect(await runCheckCli({ ...OPTS, json: true }, { ...t.io, probes: publicAnswer })).toBe(3);
    const lines = t.err.join('');
    expect(lines).toMatch(new RegExp(`FAIL.*DNS \\(this machine\\) ${ENV} @system: ${PUBLIC_FRONT.replace(/\./g, '\\.')} \\(public`));
    expect(lines).toMatch(/ok {2}.*DNS \(cloud\)/);
    // The report's evidence row for the same probe says FAIL too.
    const text = t.out.join('');
    expect(JSON.parse(text).verdict).toBe('degraded');
  });

  it('progress marks a probe that says nothing either way (ICMP not permitted) as info', async () => {
    const t = io(true);
    const noIcmp = runner((req) => (req.kind === 'icmp' ? icmp(req.params.target, 'not-permitted') : null));
    await runCheckCli({ ...OPTS, json: true }, { ...t.io, probes: noIcmp });
    expect(t.err.join('')).toMatch(new RegExp(`info.*Ping cloud DNS ${DNS1.replace(/\./g, '\\.')}`));
  });

  it('--json when the check cannot run: one {"error"} document on stdout, and the error still propagates (exit 1)', async () => {
    const t = io();
    const err = await runCheckCli(
      { ...OPTS, json: true, knowledge: '/nonexistent/knowledge' },
      { ...t.io, knowledge: undefined, probes: runner() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(UsageError);
    expect(t.out).toHaveLength(1);
    const doc = JSON.parse(t.out[0]!) as { error: { code: string; message: string } };
    expect(Object.keys(doc)).toEqual(['error']);
    expect(doc.error).toEqual({ code: 'check-failed', message: (err as Error).message });
  });

  it('--json with bad input: one {"error": {"code": "usage"}} document on stdout, and a UsageError (exit 2)', async () => {
    const t = io();
    const err = await runCheckCli(
      { host: ['-oProxyCommand=x'], dnsServer: ['10.0.0.300'], json: true },
      { ...t.io, probes: runner() },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(t.out.map((s) => JSON.parse(s))).toEqual([{ error: { code: 'usage', message: (err as Error).message } }]);
  });

  it('without --json, an error prints nothing on stdout', async () => {
    const t = io();
    await runCheckCli({ host: ['x'], dnsServer: [] }, { ...t.io, probes: runner() }).catch(() => undefined);
    expect(t.out).toEqual([]);
  });

  it('without --json prints the readable report', async () => {
    const t = io();
    await runCheckCli(OPTS, { ...t.io, probes: runner() });
    const text = t.out.join('');
    expect(text).toMatch(/^VPN check of \S+ {2}HEALTHY/);
    expect(text).toContain('Evidence');
  });

  it('refuses bad input as a usage error, naming each problem', async () => {
    const err = await runCheckCli({ host: ['-oProxyCommand=x'], dnsServer: ['10.0.0.300'] }, { ...io().io, probes: runner() }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      'check: host: not a fully qualified host name: "-oProxyCommand=x"; dns server: not an IP address: "10.0.0.300"',
    );
  });
});

describe('check command wiring', () => {
  function program(): Command {
    const p = new Command('vpn-doctor').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    registerCheckCommand(p);
    p.commands[0]!.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    return p;
  }

  it('collects repeatable options and parses the timeout', async () => {
    const p = program();
    let seen: unknown;
    p.commands[0]!.action((opts: unknown) => {
      seen = opts;
    });
    await p.parseAsync(
      [
        'check',
        '--host',
        ENV,
        '--host',
        'acme-tst.outsystemsenterprise.com',
        '--dns-server',
        DNS1,
        '--dns-server',
        '10.251.0.3',
        '--resolver',
        '10.250.2.2',
        '--edge',
        EDGE,
        '--sentry',
        '--timeout',
        '3000',
        '--json',
      ],
      { from: 'user' },
    );
    expect(seen).toEqual({
      host: [ENV, 'acme-tst.outsystemsenterprise.com'],
      dnsServer: [DNS1, '10.251.0.3'],
      resolver: '10.250.2.2',
      edge: EDGE,
      sentry: true,
      timeout: 3000,
      json: true,
    });
  });

  it('rejects a timeout that is not a number', async () => {
    const err = await program()
      .parseAsync(['check', '--host', ENV, '--dns-server', DNS1, '--timeout', '5s'], { from: 'user' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommanderError);
  });

  it('a commander usage error with --json also prints one {"error": {"code": "usage"}} document on stdout', async () => {
    const out: string[] = [];
    const errs: string[] = [];
    const p = new Command('vpn-doctor').exitOverride();
    registerCheckCommand(p);
    p.commands[0]!.exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => errs.push(s) });
    const err = await p
      .parseAsync(['node', 'vpn-doctor', 'check', '--json', '--host', ENV, '--dns-server', DNS1, '--timeout', '5s'])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).exitCode).not.toBe(0);
    expect(out).toHaveLength(1);
    const doc = JSON.parse(out[0]!) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe('usage');
    expect(doc.error.message).toMatch(/--timeout.*5s.*whole number of milliseconds/);
    expect(errs.join('')).toMatch(/whole number of milliseconds/);
    // Without --json, stdout stays empty.
    out.length = 0;
    await p.parseAsync(['node', 'vpn-doctor', 'check', '--host', ENV, '--dns-server', DNS1, '--timeout', '5s']).catch(() => undefined);
    expect(out).toEqual([]);
  });
});
