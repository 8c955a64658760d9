import { countStatuses, send } from '../http.js';

/**
 * A signed request captured on the wire (issue 16, case 4: Slack slash command; also forged Bot Framework
 * tokens, case 3): sent `count` times, `inFlight` at once, from the attacker's address. The caller prepares
 * the requests (it holds the keys and the captured request); this only sends them.
 */
export async function replayRequests(p: {
  url: string;
  requests: { headers: Record<string, string>; body: string }[];
  count: number;
  inFlight: number;
}): Promise<{ statuses: Record<string, number> }> {
  const results: Awaited<ReturnType<typeof send>>[] = [];
  let next = 0;
  const worker = async () => {
    while (next < p.count) {
      const r = p.requests[next++ % p.requests.length]!;
      results.push(await send(p.url, { method: 'POST', headers: r.headers, body: r.body }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(p.inFlight, p.count) }, worker));
  return { statuses: countStatuses(results) };
}
