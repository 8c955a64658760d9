import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AnswerPacer } from '../../../src/chat/answer-pacer.js';
import { Continuations } from '../../../src/chat/continuations.js';
import { LiveAnswer } from '../../../src/chat/live-answer.js';
import { SlackPort, type SlackRef, type SlackTarget } from '../../../adapters/slack/port.js';
import type { SlackMessage } from '../../../adapters/slack/render.js';
import type { CallOptions, ResponseUrlBody, SlackApi } from '../../../adapters/slack/api.js';
import { reply } from '../../../src/reply/reply.js';

const platformError = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error } });
const rateLimited = (seconds: number) =>
  Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: seconds });

/** An in-memory SlackApi: records calls, fails the ones it is told to. */
class RecordingApi implements SlackApi {
  readonly calls: { op: 'post' | 'update' | 'respond'; message: SlackMessage | ResponseUrlBody; options?: CallOptions }[] = [];
  failPost: Error[] = [];
  failUpdate: Error[] = [];
  private ts = 0;
  async postMessage(_t: { channel: string; threadTs?: string | undefined }, message: SlackMessage, options?: CallOptions) {
    this.calls.push({ op: 'post', message, ...(options ? { options } : {}) });
    const err = this.failPost.shift();
    if (err) throw err;
    return { ts: `1.${++this.ts}` };
  }
  async update(_t: { channel: string; ts: string }, message: SlackMessage, options?: CallOptions) {
    this.calls.push({ op: 'update', message, ...(options ? { options } : {}) });
    const err = this.failUpdate.shift();
    if (err) throw err;
  }
  async respond(_url: string, body: ResponseUrlBody, options?: CallOptions) {
    this.calls.push({ op: 'respond', message: body, ...(options ? { options } : {}) });
  }
}

/** One answer through the turn engine's live answer and the Slack port, against a recording Web API. */
function live(target: Partial<SlackTarget> = {}, progressIntervalMs = 30) {
  const api = new RecordingApi();
  const logger = pino({ level: 'silent' });
  let n = 0;
  const pages = new Continuations<SlackMessage>(undefined, () => `tok${++n}`);
  const answer = new LiveAnswer<SlackMessage, SlackRef>(new SlackPort(api, { channel: 'C0NETWORK1', ...target }, logger), {
    logger,
    continuations: pages,
    pacer: new AnswerPacer(),
    progressIntervalMs,
  });
  return { api, pages, answer };
}

const progress = (text: string) => reply({ kind: 'progress', title: 'Running connectivity checks', summary: text });
const final = reply({ kind: 'check', title: 'Connectivity check', summary: 'All good', verdict: 'healthy' });
const text = (m: SlackMessage | ResponseUrlBody) => JSON.stringify(m.blocks) + m.text;

describe('SlackPort (through the live answer of the turn engine)', () => {
  it('posts once, coalesces a burst of progress into few updates, and ends with the result', async () => {
    const { api, answer } = live();
    await answer.progress(progress('step 0'));
    for (let i = 1; i <= 20; i++) void answer.progress(progress(`step ${i}`));
    await new Promise((r) => setTimeout(r, 80));
    await answer.finish(final);
    expect(api.calls[0]!.op).toBe('post');
    const updates = api.calls.filter((c) => c.op === 'update');
    expect(updates.length).toBeLessThanOrEqual(3);
    expect(text(updates[0]!.message)).toContain('step 20'); // the latest progress wins
    expect(text(updates.at(-1)!.message)).toContain('Verdict: *HEALTHY*');
    expect(api.calls.filter((c) => c.op === 'post')).toHaveLength(1);
  });

  it('skips a rate-limited progress update but still delivers the result', async () => {
    const { api, answer } = live({}, 0);
    await answer.progress(progress('one'));
    api.failUpdate.push(rateLimited(30));
    await answer.progress(progress('two'));
    await new Promise((r) => setTimeout(r, 20));
    await answer.finish(final);
    const updates = api.calls.filter((c) => c.op === 'update');
    expect(updates[0]!.options?.maxRateLimitWaitMs).toBe(0); // progress never waits out a rate limit
    expect(text(updates.at(-1)!.message)).toContain('All good');
  });

  it('sends plain text when Slack refuses the blocks', async () => {
    const { api, answer } = live();
    api.failPost.push(platformError('invalid_blocks'));
    await answer.finish(
      reply({ kind: 'answer', title: 'Title', summary: 'Summary <x>', steps: [{ text: 'Do this', commands: ['ping 10.0.0.2'] }] }),
    );
    const [refused, plain] = api.calls;
    expect(refused!.message.blocks.length).toBeGreaterThan(0);
    expect(plain!.message.blocks).toEqual([]);
    expect(plain!.message.text).toContain('1. Do this');
    expect(plain!.message.text).toContain('$ ping 10.0.0.2');
    expect(plain!.message.text).toContain('&lt;x&gt;');
  });

  it('posts the result anew when the progress message was deleted meanwhile', async () => {
    const { api, answer } = live();
    await answer.progress(progress('one'));
    api.failUpdate.push(platformError('message_not_found'));
    await answer.finish(final);
    expect(api.calls.map((c) => c.op)).toEqual(['post', 'update', 'post']);
  });

  it('where the bot is not a member, answers through the response_url and keeps within its 5 uses', async () => {
    const { api, answer } = live({ responseUrl: 'https://hooks.slack.com/commands/T/1/x' }, 0);
    api.failPost.push(platformError('not_in_channel'));
    await answer.progress(progress('step 0'));
    for (let i = 1; i <= 8; i++) {
      await answer.progress(progress(`step ${i}`));
      await new Promise((r) => setTimeout(r, 5));
    }
    await answer.finish(final);
    const responds = api.calls.filter((c) => c.op === 'respond');
    expect(responds.length).toBeLessThanOrEqual(5);
    expect((responds[0]!.message as ResponseUrlBody).response_type).toBe('in_channel');
    expect(text(responds[0]!.message)).toContain('/invite');
    expect(responds.at(-1)!.message).toMatchObject({ replace_original: true });
    expect(text(responds.at(-1)!.message)).toContain('All good');
  });

  it('answers privately when the target says so, and keeps later pages for "Show more"', async () => {
    const { api, pages, answer } = live({ responseUrl: 'https://hooks.slack.com/commands/T/1/x', isPrivate: (r) => r.kind === 'help' });
    await answer.finish(
      reply({
        kind: 'help',
        title: 'Help',
        summary: 'Use /vpn',
        items: Array.from({ length: 200 }, (_, i) => ({ label: `item-${i}`, detail: 'x'.repeat(150) })),
      }),
    );
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]).toMatchObject({ op: 'respond', message: { response_type: 'ephemeral' } });
    expect(JSON.stringify(api.calls[0]!.message.blocks)).toContain('tok1:2');
    expect((await pages.page('tok1', 2))?.blocks.length).toBeGreaterThan(0);
  });
});
