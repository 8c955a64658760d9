import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_USER_ID } from './helpers/fake-slack-api.js';
import { startHarness, type Harness } from './helpers/harness.js';
import { formBody, FORM, postToSlackEndpoint } from './helpers/slack-request.js';

/**
 * 1,000 generated requests at the Slack endpoint: well-formed and malformed slash commands, events and
 * button clicks, random JSON and bytes, correctly signed or not. Whatever comes in, every request gets an
 * HTTP answer, nothing throws unhandled (vitest fails the run on an unhandled rejection), the core only
 * ever sees well-typed messages, and the server still answers a real command afterwards.
 */

const RUNS = 1000;
const CONCURRENCY = 20;

const slackId = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('C0NETWORK1', 'D0DIRECT01', 'U0ONCALL01', BOT_USER_ID, 'W0ENTERPR1') },
  { weight: 1, arbitrary: fc.oneof(fc.constant(''), fc.string({ maxLength: 14 })) },
);
const ts = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('1710000000.000100', '1710000000.000200', '1710000001.000300') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('0.0', 'x', ''), fc.string({ maxLength: 18 })) },
);
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    'help',
    'topics',
    'topic phase1-ike-failure all',
    'topic ../../etc/passwd',
    'check acme-dev.outsystemsenterprise.com dns 10.0.0.2',
    'check <http://acme.outsystemsenterprise.com|acme.outsystemsenterprise.com> dns 999.1.1.1',
    `<@${BOT_USER_ID}> tunnel drops every hour`,
    '<!channel> &amp; &lt;script&gt; <#C1|x> <mailto:a@b.c|a@b.c> <@U1|bob>',
    'keepalive on branch-1 here',
    'show all steps',
    'fixed it',
    'support case',
    '7',
  ),
  fc.constant('x'.repeat(20_000)),
);
const json = fc.jsonValue({ maxDepth: 3 });
/** A field that is usually plausible, sometimes any JSON value, sometimes missing. */
const maybe = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 12, arbitrary: a }, { weight: 1, arbitrary: json }, { weight: 1, arbitrary: fc.constant(undefined) });

function toForm(record: Record<string, unknown>): string {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) fields[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return formBody(fields);
}

interface Case {
  body: string;
  contentType: string;
  signing: 'valid' | 'bad-secret' | 'none' | 'stale' | 'future';
  retry?: string;
}

function caseArbitrary(responseUrl: string): fc.Arbitrary<Case> {
  const responseUrls = fc.constantFrom(responseUrl, 'https://example.invalid/hook', 'not a url', 'http://127.0.0.1:1/x', undefined);
  const slash = fc
    .record(
      {
        command: fc.oneof({ weight: 4, arbitrary: fc.constant('/vpn') }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }),
        text: maybe(text),
        user_id: maybe(slackId),
        channel_id: maybe(slackId),
        team_id: maybe(slackId),
        response_url: responseUrls,
        trigger_id: maybe(fc.string({ maxLength: 20 })),
      },
      { requiredKeys: [] },
    )
    .map((r) => ({ body: toForm(r), contentType: FORM }));

  const event = fc
    .record(
      {
        type: fc.oneof(fc.constant('event_callback'), fc.string({ maxLength: 12 })),
        event_id: maybe(fc.string({ maxLength: 12 })),
        team_id: maybe(slackId),
        authorizations: maybe(fc.array(fc.record({ team_id: maybe(slackId), user_id: maybe(slackId) }), { maxLength: 2 })),
        event: fc.oneof(
          json,
          fc.record(
            {
              type: fc.constantFrom('app_mention', 'message', 'reaction_added', 'app_uninstalled', 'tokens_revoked', 'function_executed'),
              subtype: maybe(fc.constantFrom('bot_message', 'message_changed', 'thread_broadcast', 'file_share', 'channel_join')),
              user: maybe(slackId),
              bot_id: maybe(fc.string({ maxLength: 8 })),
              text: maybe(text),
              channel: maybe(slackId),
              channel_type: maybe(fc.constantFrom('im', 'channel', 'mpim', 'group')),
              ts: maybe(ts),
              thread_ts: maybe(ts),
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    )
    .chain((r) =>
      fc
        .constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', FORM)
        .map((contentType) => ({ body: JSON.stringify(r), contentType })),
    );

  const click = fc
    .record(
      {
        type: fc.constantFrom('block_actions', 'view_submission', 'shortcut', 'message_action', 'block_suggestion', 'dialog_submission'),
        user: maybe(fc.record({ id: maybe(slackId) }, { requiredKeys: [] })),
        channel: maybe(fc.record({ id: maybe(slackId) }, { requiredKeys: [] })),
        team: maybe(fc.record({ id: maybe(slackId) }, { requiredKeys: [] })),
        container: maybe(
          fc.record(
            { channel_id: maybe(slackId), message_ts: maybe(ts), thread_ts: maybe(ts), is_ephemeral: maybe(fc.boolean()) },
            { requiredKeys: [] },
          ),
        ),
        message: maybe(fc.record({ ts: maybe(ts), thread_ts: maybe(ts) }, { requiredKeys: [] })),
        response_url: responseUrls,
        actions: maybe(
          fc.array(
            fc.record(
              {
                action_id: fc.oneof(
                  fc.constantFrom('vpn_cmd_0', 'vpn_cmd_12', 'vpn_more', 'other_app_button'),
                  fc.string({ maxLength: 12 }),
                ),
                value: maybe(fc.oneof(text, fc.constantFrom('abc:2', 'abc:0', 'zzz:999'))),
                text: maybe(fc.record({ text: maybe(text) }, { requiredKeys: [] })),
              },
              { requiredKeys: [] },
            ),
            { maxLength: 3 },
          ),
        ),
      },
      { requiredKeys: [] },
    )
    .map((r) => ({ body: formBody({ payload: JSON.stringify(r) }), contentType: FORM }));

  const junk = fc
    .oneof(
      fc.constantFrom(
        'null',
        '[]',
        '1',
        '"x"',
        'true',
        '{}',
        'payload=null',
        'payload=%5B1%5D',
        'payload=%7Bbad',
        'ssl_check=1',
        'ssl_check=1&command=%2Fvpn&text=help',
        '',
      ),
      fc.string({ maxLength: 300 }),
      json.map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
    )
    .chain((body) =>
      fc.constantFrom('application/json', FORM, 'text/plain', 'application/octet-stream').map((contentType) => ({ body, contentType })),
    );

  return fc
    .record({
      payload: fc.oneof(slash, event, click, junk),
      signing: fc.oneof(
        { weight: 6, arbitrary: fc.constant('valid' as const) },
        { weight: 1, arbitrary: fc.constantFrom('bad-secret' as const, 'none' as const, 'stale' as const, 'future' as const) },
      ),
      retry: fc.option(fc.constantFrom('1', '2', 'x'), { nil: undefined }),
    })
    .map(({ payload, signing, retry }) => ({ ...payload, signing, ...(retry ? { retry } : {}) }));
}

describe('Slack endpoint under fuzzed payloads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ tuning: { unacknowledgedTimeoutMs: 50 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it(`answers ${RUNS} generated requests without crashing, and still works afterwards`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const cases = fc.sample(caseArbitrary(h.api.responseUrl('fuzz')), { numRuns: RUNS, seed });
    const now = Math.floor(Date.now() / 1000);
    const statuses = new Map<number, number>();

    for (let i = 0; i < cases.length; i += CONCURRENCY) {
      await Promise.all(
        cases.slice(i, i + CONCURRENCY).map(async (c, j) => {
          const res = await postToSlackEndpoint(h.eventsUrl, c.body, {
            contentType: c.contentType,
            sign: c.signing !== 'none',
            ...(c.signing === 'bad-secret' ? { secret: 'ffffffffffffffffffffffffffffffff' } : {}),
            ...(c.signing === 'stale' ? { timestamp: now - 3600 } : {}),
            ...(c.signing === 'future' ? { timestamp: now + 3600 } : {}),
            ...(c.retry ? { headers: { 'x-slack-retry-num': c.retry } } : {}),
          }).catch((err: Error) => {
            throw new Error(`request ${i + j} (seed ${seed}) got no HTTP answer: ${err.message}\n${JSON.stringify(c).slice(0, 500)}`);
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          // Slack's SSL check is the one unsigned request Bolt accepts (and does nothing with).
          const sslCheck = c.contentType === FORM && /(^|&)ssl_check=1(&|$)/.test(c.body);
          if (c.signing !== 'valid' && !sslCheck) expect(res.status, `unsigned request answered ${res.status} (seed ${seed})`).toBe(401);
          expect([200, 400, 401, 404, 413, 500], `seed ${seed}: ${JSON.stringify(c).slice(0, 300)}`).toContain(res.status);
        }),
      );
    }
    await h.adapter.idle();

    // Most requests were understood and acknowledged, not merely survived.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 3);
    // The core only ever received well-typed messages.
    for (const m of h.handled) {
      expect(typeof m.text).toBe('string');
      expect(m.user).toMatch(/^[A-Z0-9]+$/i);
      expect(m.channel).toMatch(/^[A-Z0-9]+$/i);
    }
    // Nothing the adapter posted broke a Block Kit limit, and nothing left loopback.
    expect(h.api.blockViolations).toEqual([]);

    const { res, responseUrl } = await h.slash('help');
    expect(res.status).toBe(200);
    await h.api.waitFor(() => h.api.responseUrlCalls.find((c) => responseUrl.endsWith(c.path)));
  }, 120_000);
});
