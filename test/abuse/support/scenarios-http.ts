import { attackFromChild } from './attacker-process.js';
import { socketsWithinLimit } from './fd-limit.js';
import { describeCounts } from './http.js';
import { scenario } from './scenario.js';
import { API_TOKEN, LEGIT_AGENT } from './target.js';

/** Attacks on the server's own endpoints: the hub's monitor ingest, the API, and the HTTP listener itself. */

let rogue = 0;

export const monitorFloodScenario = scenario(
  'monitor-flood',
  {
    full: { describe: '20 x 500 events from one agent token', messages: 20, perMessage: 500 },
    test: { describe: '20 x 500 events from one agent token', messages: 20, perMessage: 500 },
  },
  {},
  async (t, s) => {
    const name = `stolen-${++rogue}`;
    const started = performance.now();
    const f = await attackFromChild('monitor-flood', { wsUrl: t.wsUrl, token: await t.token(name), name, ...s });
    const stored = await t.server.store.monitor.count();
    return { facts: { ...f, stored, elapsedMs: performance.now() - started }, note: `${stored} of ${f.sent} events stored` };
  },
);

export const checkBurstScenario = scenario(
  'check-burst',
  { full: { describe: '500 checks at once via the API', count: 500 }, test: { describe: '100 checks at once via the API', count: 100 } },
  {},
  async (t, s) => {
    const f = await attackFromChild('check-burst', { url: t.url, apiToken: API_TOKEN, agent: LEGIT_AGENT, count: s.count });
    return { facts: f, note: describeCounts(f.statuses) };
  },
);

export const apiFloodScenario = scenario(
  'api-flood',
  {
    full: { describe: '2,000 concurrent API requests', count: 2000 },
    test: { describe: '300 concurrent API requests', count: 300 },
  },
  {},
  async (t, s) => {
    const f = await attackFromChild('api-flood', { url: t.url, apiToken: API_TOKEN, count: s.count });
    return { facts: f, note: `${describeCounts(f.statuses)}; attacker p99 ${Math.round(f.p99Ms)} ms` };
  },
);

export const slowlorisScenario = scenario(
  'slowloris',
  {
    full: { describe: `${socketsWithinLimit(5000)} slow-header sockets`, sockets: socketsWithinLimit(5000), holdMs: 5000 },
    test: { describe: `${socketsWithinLimit(600)} slow-header sockets`, sockets: socketsWithinLimit(600), holdMs: 2000 },
  },
  {},
  async (t, s) => {
    const f = await attackFromChild('slowloris', { url: t.url, ...s });
    return {
      facts: f,
      note: `${f.opened} opened, ${f.closedByServer} closed by the server (${f.closedWithinOneSecond} at once), ${f.stillOpen} still held after ${s.holdMs} ms`,
    };
  },
);
