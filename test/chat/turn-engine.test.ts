import { describe, expect, it } from 'vitest';
import type { ConversationCore, HandleHooks, Inbound } from '../../src/chat/core.js';
import { TurnEngine } from '../../src/chat/turn-engine.js';
import { reply, type Reply } from '../../src/reply/reply.js';
import { deferred, inbound, RecordingPort, silent, tick, type TestMessage } from './helpers.js';

const answer = (summary: string): Reply => reply({ kind: 'answer', title: 'A', summary });
const progress = (summary: string): Reply => reply({ kind: 'progress', title: 'P', summary });

/** A core whose answers the test scripts per message text; records the order in which turns start and end. */
class ScriptedCore implements ConversationCore {
  readonly log: string[] = [];
  readonly gates = new Map<string, Promise<void>>();
  progressFor = new Map<string, string[]>();
  calls = 0;
  async handle(m: Inbound, hooks: HandleHooks = {}): Promise<Reply> {
    this.calls += 1;
    this.log.push(`start ${m.text}`);
    for (const p of this.progressFor.get(m.text) ?? []) await hooks.progress?.(progress(p));
    await this.gates.get(m.text);
    if (m.text === 'boom') throw new Error('core failed');
    this.log.push(`end ${m.text}`);
    return answer(`re ${m.text}`);
  }
}

const engine = (core: ConversationCore, progressIntervalMs = 30) =>
  new TurnEngine<TestMessage>({ core, logger: silent, progressIntervalMs });

describe('TurnEngine: ordering', () => {
  it('answers the messages of one conversation one after another, other conversations meanwhile', async () => {
    const core = new ScriptedCore();
    const gate = deferred();
    core.gates.set('first', gate.promise);
    const e = engine(core);
    const port = new RecordingPort();
    const a = (await e.run({ inbound: inbound('first'), port })).handle;
    const b = (await e.run({ inbound: inbound('second'), port })).handle;
    const other = (await e.run({ inbound: inbound('elsewhere', 'C2'), port })).handle;
    await other.done;
    expect(core.log).toEqual(['start first', 'start elsewhere', 'end elsewhere']);
    expect(b.finished).toBe(false);
    gate.resolve();
    await Promise.all([a.done, b.done]);
    expect(core.log).toEqual(['start first', 'start elsewhere', 'end elsewhere', 'end first', 'start second', 'end second']);
    expect(port.texts.filter((t) => /first|second/.test(t))).toEqual(['post A: re first', 'post A: re second']);
  });

  it('lets the next message through once a turn reports progress (it has read what it needs)', async () => {
    const core = new ScriptedCore();
    const gate = deferred();
    core.gates.set('check', gate.promise);
    core.progressFor.set('check', ['running']);
    const e = engine(core);
    const port = new RecordingPort();
    const check = (await e.run({ inbound: inbound('check'), port: new RecordingPort() })).handle;
    const help = (await e.run({ inbound: inbound('help'), port })).handle;
    await help.done;
    expect(core.log).toEqual(['start check', 'start help', 'end help']);
    gate.resolve();
    await check.done;
  });
});

describe('TurnEngine: retried deliveries', () => {
  it('answers a delivery once: a retry under any of its keys gets the first turn back', async () => {
    const core = new ScriptedCore();
    const e = engine(core);
    const port = new RecordingPort();
    const first = await e.run({ inbound: inbound('hello'), port, deliveryKeys: ['event:Ev1', 'message:C1:1.1'] });
    const retry = await e.run({ inbound: inbound('hello'), port, deliveryKeys: ['event:Ev2', 'message:C1:1.1'] });
    expect(first.retry).toBe(false);
    expect(retry.retry).toBe(true);
    expect(retry.handle).toBe(first.handle);
    await first.handle.done;
    expect(core.calls).toBe(1);
    expect(port.writes).toHaveLength(1);
    const fresh = await e.run({ inbound: inbound('hello'), port, deliveryKeys: ['event:Ev3', 'message:C1:1.2'] });
    expect(fresh.retry).toBe(false);
    await fresh.handle.done;
    expect(core.calls).toBe(2);
  });
});

describe('TurnEngine: failures', () => {
  it('answers with the one failure reply when the core throws, and goes on with the next message', async () => {
    const core = new ScriptedCore();
    const e = engine(core);
    const port = new RecordingPort();
    await (
      await e.run({ inbound: inbound('boom'), port })
    ).handle.done;
    await (
      await e.run({ inbound: inbound('after'), port })
    ).handle.done;
    expect(port.texts).toEqual([
      'post Something went wrong on my side: I could not finish that request. The details are in the vpn-doctor log; please try again in a moment, or type "help".',
      'post A: re after',
    ]);
  });

  it('posts the answer anew when the progress message cannot be edited any more', async () => {
    const core = new ScriptedCore();
    core.progressFor.set('check', ['running']);
    const e = engine(core);
    const port = new RecordingPort();
    port.failUpdate.push(new Error('message_not_found'));
    await (
      await e.run({ inbound: inbound('check'), port })
    ).handle.done;
    expect(port.texts).toEqual(['post P: running', 'update A: re check', 'post A: re check']);
  });

  it('survives a platform that refuses every write, and still finishes the turn', async () => {
    const core = new ScriptedCore();
    core.progressFor.set('check', ['running']);
    const e = engine(core);
    const port = new RecordingPort();
    port.failPost.push(new Error('down'), new Error('down'));
    const { handle } = await e.run({ inbound: inbound('check'), port });
    await handle.visible;
    await handle.done;
    expect(handle.finished).toBe(true);
  });
});

describe('TurnEngine: live progress', () => {
  it('posts once, coalesces a burst of progress into few throttled edits (latest wins), then edits in the answer', async () => {
    const core = new ScriptedCore();
    const gate = deferred();
    core.gates.set('check', gate.promise);
    core.progressFor.set(
      'check',
      Array.from({ length: 21 }, (_, i) => `step ${i}`),
    );
    const e = engine(core, 30);
    const port = new RecordingPort();
    const { handle } = await e.run({ inbound: inbound('check'), port });
    await handle.visible;
    await tick(100);
    gate.resolve();
    await handle.done;
    expect(port.writes[0]).toMatchObject({ op: 'post', phase: 'progress', message: { text: 'P: step 0' } });
    const edits = port.writes.filter((w) => w.op === 'update' && w.phase === 'progress');
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(edits.length).toBeLessThanOrEqual(2);
    expect(edits.at(-1)!.message.text).toBe('P: step 20');
    expect(port.writes.at(-1)).toMatchObject({ op: 'update', ref: 1, phase: 'final', message: { text: 'A: re check' } });
    expect(port.writes.filter((w) => w.op === 'post')).toHaveLength(1);
  });

  it('keeps edits at least the progress interval apart while progress keeps coming', async () => {
    const core: ConversationCore = {
      async handle(_m, hooks = {}) {
        for (let i = 0; i < 25; i++) {
          await hooks.progress?.(progress(`step ${i}`));
          await tick(10);
        }
        return answer('done');
      },
    };
    const e = engine(core, 50);
    const port = new RecordingPort();
    const stamps: number[] = [];
    const update = port.update.bind(port);
    port.update = async (ref, m, c) => {
      if (c.phase === 'progress') stamps.push(Date.now());
      return update(ref, m, c);
    };
    const started = Date.now();
    await (
      await e.run({ inbound: inbound('check'), port })
    ).handle.done;
    const elapsed = Date.now() - started;
    expect(stamps.length).toBeGreaterThanOrEqual(2);
    // 25 progress reports over at least 250 ms: one edit per 50 ms at most, whatever the machine's speed.
    expect(stamps.length).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1);
    expect(stamps.length).toBeLessThan(25);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! - stamps[i - 1]!).toBeGreaterThanOrEqual(45);
    expect(port.texts.at(-1)).toBe('update A: done');
  });

  it('posts progress as new messages where the platform cannot edit', async () => {
    const core = new ScriptedCore();
    core.progressFor.set('check', ['one']);
    const e = engine(core, 0);
    const port = new RecordingPort(false);
    await (
      await e.run({ inbound: inbound('check'), port })
    ).handle.done;
    expect(port.texts).toEqual(['post P: one', 'post A: re check']);
  });

  it('shows a "working" message when the answer is slow, also while it waits behind an earlier message', async () => {
    const core = new ScriptedCore();
    const gate = deferred();
    core.gates.set('slow', gate.promise);
    const e = engine(core);
    const slowPort = new RecordingPort();
    const queuedPort = new RecordingPort();
    const slow = (await e.run({ inbound: inbound('slow'), port: slowPort, workingAfterMs: 20 })).handle;
    const queued = (await e.run({ inbound: inbound('queued'), port: queuedPort, workingAfterMs: 20 })).handle;
    await Promise.all([slow.visible, queued.visible]);
    expect(slowPort.texts).toEqual([expect.stringMatching(/^post Working on it/)]);
    expect(queuedPort.texts).toEqual([expect.stringMatching(/^post Working on it/)]);
    expect(slow.finished).toBe(false);
    gate.resolve();
    await Promise.all([slow.done, queued.done]);
    expect(slowPort.texts.at(-1)).toBe('update A: re slow');
    expect(queuedPort.texts.at(-1)).toBe('update A: re queued');
  });

  it('posts no "working" message when the answer comes in time', async () => {
    const core = new ScriptedCore();
    const e = engine(core);
    const port = new RecordingPort();
    await (
      await e.run({ inbound: inbound('quick'), port, workingAfterMs: 30 })
    ).handle.done;
    await tick(50);
    expect(port.texts).toEqual(['post A: re quick']);
  });
});

describe('TurnEngine: continuation pages', () => {
  it('keeps pages 2..n of a long answer for "Show more", under the token the first page carries', async () => {
    const core: ConversationCore = { handle: async () => answer('one|two|three') };
    const e = engine(core);
    const port = new RecordingPort();
    await (
      await e.run({ inbound: inbound('long'), port })
    ).handle.done;
    const first = port.writes[0]!.message;
    expect(first.text).toBe('A: one');
    expect((await e.page(first.token!, 2))?.text).toBe('A: two');
    expect((await e.page(first.token!, 3))?.text).toBe('A: three');
    expect(await e.page(first.token!, 4)).toBeUndefined();
    expect(await e.page('unknown-token', 2)).toBeUndefined();
  });
});

describe('TurnEngine: drain', () => {
  it('waits for turns in flight (bounded), and reports whether they finished', async () => {
    const core = new ScriptedCore();
    const gate = deferred();
    core.gates.set('slow', gate.promise);
    const e = engine(core);
    const port = new RecordingPort();
    await e.run({ inbound: inbound('slow'), port });
    await e.run({ inbound: inbound('next'), port });
    expect(e.running).toBe(2);
    expect(await e.drain(30)).toBe(false);
    setTimeout(() => gate.resolve(), 20);
    expect(await e.drain(5000)).toBe(true);
    expect(e.running).toBe(0);
    expect(port.texts).toEqual(['post A: re slow', 'post A: re next']);
  });
});
