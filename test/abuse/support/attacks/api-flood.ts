import { countStatuses, percentile, send } from '../http.js';

const QUESTIONS = [
  'tunnel drops every hour',
  'which ports must be open for the vpn',
  'phase 1 fails with no proposal chosen',
  'dns does not resolve the environment',
];

/**
 * `count` API requests at once, each on its own connection from one address: questions through the real
 * classifier, agent and audit listings, and unauthenticated requests (a quarter each).
 */
export async function apiFlood(p: {
  url: string;
  apiToken: string;
  count: number;
}): Promise<{ statuses: Record<string, number>; p99Ms: number }> {
  const auth = { authorization: `Bearer ${p.apiToken}` };
  const results = await Promise.all(
    Array.from({ length: p.count }, (_, i) => {
      switch (i % 4) {
        case 0:
          return send(`${p.url}/api/v1/ask`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ text: QUESTIONS[(i >> 2) % QUESTIONS.length] }),
          });
        case 1:
          return send(`${p.url}/api/v1/agents`, { headers: auth });
        case 2:
          return send(`${p.url}/api/v1/jobs?limit=50`, { headers: auth });
        default:
          return send(`${p.url}/api/v1/agents`, { headers: { authorization: 'Bearer not-the-token-0123456789' } });
      }
    }),
  );
  return {
    statuses: countStatuses(results),
    p99Ms: percentile(
      results.map((r) => r.ms),
      0.99,
    ),
  };
}
