/** Readiness: wait until a daemon's socket is really bound inside its namespace (ss), not just "started". */
import { existsSync, readFileSync } from 'node:fs';
import { runIn, waitFor, type Daemon } from './exec.js';

export async function isListening(ns: string, proto: 'tcp' | 'udp', addr: string, port: number): Promise<boolean> {
  const r = await runIn(ns, 'ss', ['-Hn', proto === 'tcp' ? '-lt' : '-lu', 'src', `${addr}:${port}`], { timeoutMs: 3000 });
  return r.code === 0 && r.stdout.trim().length > 0;
}

export async function waitForListener(
  ns: string,
  proto: 'tcp' | 'udp',
  addr: string,
  port: number,
  d: Daemon,
  timeoutMs = 10_000,
): Promise<void> {
  await waitFor(
    `${d.name} to listen on ${proto} ${addr}:${port}`,
    async () => {
      if (d.exit) {
        const out = existsSync(d.logPath) ? readFileSync(d.logPath, 'utf8').slice(-1500) : '';
        throw new Error(`${d.name} exited (${d.exit.code ?? d.exit.signal}) before listening: ${out}`);
      }
      return isListening(ns, proto, addr, port);
    },
    timeoutMs,
  );
}
