import { countStatuses, send } from '../http.js';

/**
 * Issue 16, case 2: `count` connectivity checks at once through POST /api/v1/checks against the hub's one
 * agent (before the fix the agent's refusals got it closed: 0 of 500 answered 200, 164 failed 502).
 */
export async function checkBurst(p: {
  url: string;
  apiToken: string;
  agent: string;
  count: number;
}): Promise<{ statuses: Record<string, number> }> {
  const body = JSON.stringify({ agent: p.agent, host: 'acme-dev.outsystemsenterprise.com', dnsServers: ['127.0.0.53'] });
  const results = await Promise.all(
    Array.from({ length: p.count }, () =>
      send(`${p.url}/api/v1/checks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.apiToken}`, 'content-type': 'application/json' },
        body,
      }),
    ),
  );
  return { statuses: countStatuses(results) };
}
