import { describe, expect, it } from 'vitest';
import { runCommand, seconds, toolEnv } from '../../src/probes/exec.js';

const node = process.execPath;

describe('runCommand (no shell, fixed environment, bounded)', () => {
  it('passes shell syntax through as plain arguments', async () => {
    const res = await runCommand(
      node,
      ['-e', 'console.log(JSON.stringify(process.argv.slice(1)))', 'x', '$(id)', ';id', '`id`', '-oProxyCommand=x', 'a b'],
      {
        deadline: Date.now() + 5000,
      },
    );
    expect(JSON.parse(res.stdout)).toEqual(['x', '$(id)', ';id', '`id`', '-oProxyCommand=x', 'a b']);
    expect(res.exitCode).toBe(0);
  });

  it('runs tools with LC_ALL=C and only a PATH from the caller environment', async () => {
    const res = await runCommand(node, ['-e', 'console.log(JSON.stringify(process.env))'], { deadline: Date.now() + 5000 });
    const env = JSON.parse(res.stdout) as Record<string, string>;
    expect(env.LC_ALL).toBe('C');
    expect(env.PATH).toContain('/usr/sbin');
    expect(Object.keys(env).sort()).toEqual(Object.keys(toolEnv()).sort());
  });

  it('interrupts at the deadline with SIGINT, keeping what was printed', async () => {
    const started = Date.now();
    const script =
      "console.log('partial'); process.on('SIGINT', () => { console.log('stats'); process.exit(1); }); setInterval(() => {}, 1000);";
    // The deadline leaves a loaded machine time to start node and install the handler before SIGINT comes.
    const res = await runCommand(node, ['-e', script], { deadline: Date.now() + 2000 });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(res.interrupted).toBe(true);
    expect(res.stdout).toContain('partial');
    expect(res.stdout).toContain('stats');
  });

  it('kills a child that ignores the interrupt', async () => {
    const started = Date.now();
    const res = await runCommand(node, ['-e', "process.on('SIGINT', () => {}); setInterval(() => {}, 1000);"], {
      deadline: Date.now() + 2000,
      graceMs: 200,
    });
    expect(res.interrupted).toBe(true);
    expect(res.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('stops when the abort signal fires', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const res = await runCommand(node, ['-e', 'setInterval(() => {}, 1000)'], { deadline: Date.now() + 10_000, signal: ac.signal });
    expect(res.interrupted).toBe(true);
  });

  it('reports a missing tool as a spawn error', async () => {
    const res = await runCommand('/nonexistent/vpn-doctor-tool', [], { deadline: Date.now() + 1000 });
    expect(res.spawnError?.code).toBe('ENOENT');
  });

  it('formats seconds for ping and traceroute', () => {
    expect(seconds(200)).toBe('0.2');
    expect(seconds(1000)).toBe('1');
    expect(seconds(2550)).toBe('2.55');
    expect(seconds(0)).toBe('0');
    expect(seconds(100_000)).toBe('100');
  });
});
