import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationCore, Inbound } from '../../src/chat/core.js';
import { TurnEngine } from '../../src/chat/turn-engine.js';
import { reply } from '../../src/reply/reply.js';
import type { Store } from '../../src/store/index.js';
import { ENGINES } from '../support/store-engines.js';
import { inbound, RecordingPort, silent, type TestMessage } from './helpers.js';

const open: Store[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

/** A core that counts the messages it answered; a summary with "|" makes a long, paged answer. */
class CountingCore implements ConversationCore {
  readonly seen: string[] = [];
  async handle(m: Inbound) {
    this.seen.push(m.text);
    return reply({ kind: 'answer', title: 'A', summary: m.text === 'long' ? 'one|two|three' : `re ${m.text}` });
  }
}

describe.each(ENGINES)('two replicas sharing chat state on $name', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    async function twoReplicas() {
      const stores = await engine.replicas();
      open.push(...stores);
      const core = new CountingCore();
      const [a, b] = stores.map((s) => new TurnEngine<TestMessage>({ core, logger: silent, progressIntervalMs: 30, memory: s.chatState }));
      return { core, a: a!, b: b! };
    }

    it("answers a platform's retry once, whichever replica it reaches", async () => {
      const { core, a, b } = await twoReplicas();
      const portA = new RecordingPort();
      const portB = new RecordingPort();
      const first = await a.run({ inbound: inbound('hello'), port: portA, deliveryKeys: ['event:Ev1', 'message:C1:1.1'] });
      const retry = await b.run({ inbound: inbound('hello'), port: portB, deliveryKeys: ['event:Ev1-retry', 'message:C1:1.1'] });
      expect(first.retry).toBe(false);
      expect(retry.retry).toBe(true);
      await first.handle.done;
      expect(core.seen).toEqual(['hello']);
      expect(portA.texts).toEqual(['post A: re hello']);
      expect(portB.writes).toEqual([]);
      // A new delivery is answered by whichever replica gets it.
      const fresh = await b.run({ inbound: inbound('again'), port: portB, deliveryKeys: ['event:Ev2'] });
      expect(fresh.retry).toBe(false);
      await fresh.handle.done;
      expect(portB.texts).toEqual(['post A: re again']);
    });

    it('lets both replicas race for one delivery and answers it once', async () => {
      const { core, a, b } = await twoReplicas();
      const runs = await Promise.all(
        [a, b, a, b].map((e) => e.run({ inbound: inbound('race'), port: new RecordingPort(), deliveryKeys: ['event:Ev9'] })),
      );
      await Promise.all(runs.map((r) => r.handle.done));
      expect(runs.filter((r) => !r.retry)).toHaveLength(1);
      expect(core.seen).toEqual(['race']);
    });

    it('serves "Show more" pages of an answer given by the other replica', async () => {
      const { a, b } = await twoReplicas();
      const port = new RecordingPort();
      await (
        await a.run({ inbound: inbound('long'), port })
      ).handle.done;
      const token = port.writes[0]!.message.token!;
      expect(await b.page(token, 2)).toEqual({ text: 'A: two', page: 2, token });
      expect(await b.page(token, 3)).toEqual({ text: 'A: three', page: 3, token });
      expect(await b.page(token, 4)).toBeUndefined();
    });
  });
});
