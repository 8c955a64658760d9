/**
 * The Slack side of bench/slack.ts, as child processes (in production both are Slack's own servers, so
 * their CPU must not be billed to the adapter's acks):
 * - `api`: the fake Slack Web API receiving the answers (chat.postMessage, chat.update, response_url);
 * - `load`: the load generator sending slash commands signed as Slack signs them.
 * Each talks to the benchmark over the IPC channel of `fork()`.
 */
import { FakeSlackApi } from '../test/adapters/slack/helpers/fake-slack-api.js';
import { slashCommandFields } from '../test/adapters/slack/helpers/payloads.js';
import { formBody, FORM, postToSlackEndpoint } from '../test/adapters/slack/helpers/slack-request.js';

export type ToChild =
  | { type: 'round'; eventsUrl: string; responseUrlBase: string; commands: { text: string; user: string }[] }
  | { type: 'stats' }
  | { type: 'close' };
export type FromChild =
  | { type: 'ready'; apiUrl?: string; responseUrlBase?: string }
  | { type: 'round'; results: { ms: number; status: number }[] }
  | { type: 'stats'; answers: number; blockViolations: number };

const send = (m: FromChild) => process.send!(m);
const role = process.argv[2];

if (role === 'api') {
  const api = await new FakeSlackApi().start();
  process.on('message', (m: ToChild) => {
    if (m.type === 'stats')
      send({
        type: 'stats',
        answers: api.callsOf('chat.postMessage').length + api.responseUrlCalls.length,
        blockViolations: api.blockViolations.length,
      });
    if (m.type === 'close') void api.close().then(() => process.disconnect());
  });
  send({ type: 'ready', apiUrl: api.apiUrl, responseUrlBase: api.responseUrl('bench') });
} else {
  let n = 0;
  process.on('message', (m: ToChild) => {
    if (m.type === 'close') return process.disconnect();
    if (m.type !== 'round') return;
    void Promise.all(
      m.commands.map(async (c) => {
        const body = formBody(slashCommandFields(c.text, { response_url: `${m.responseUrlBase}-${++n}`, user_id: c.user }));
        const res = await postToSlackEndpoint(m.eventsUrl, body, { contentType: FORM });
        return { ms: res.ms, status: res.status };
      }),
    ).then((results) => send({ type: 'round', results }));
  });
  send({ type: 'ready' });
}
