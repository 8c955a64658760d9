import { request } from 'node:http';

/**
 * What an abuse scenario measures, from the outside of the server: /healthz latency over fresh connections
 * (a new connection each time: under a socket flood the question is whether a new client still gets in,
 * which a kept-alive socket would hide), and the process's memory. Each kind of client has its own loopback
 * address, so per-address limits can tell them apart.
 */

/**
 * Where the requests come from. The monitoring probe (/healthz) has its own address, as a load balancer
 * would; legitimate chat and API clients use 127.0.0.1, as do the probe agents (the agent's client cannot
 * pick its source address, so a fleet of them is one address, as behind a NAT); attackers use 127.0.0.2.
 */
export const MONITOR_ADDRESS = '127.0.0.10';
export const ATTACKER_ADDRESS = '127.0.0.2';

/** A /healthz request that takes longer than this counts as failed, with this latency. */
export const HEALTHZ_TIMEOUT_MS = 5_000;

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * p) - 1))]!;
}

export const p99 = (xs: readonly number[]): number => percentile(xs, 0.99);

export interface HealthSamples {
  latencies: number[];
  failures: number;
}

/** One GET /healthz on a new connection; resolves with its latency, or rejects (timeout, reset, not 200). */
export function healthzOnce(baseUrl: string, localAddress = MONITOR_ADDRESS): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/healthz`, { agent: false, localAddress, timeout: HEALTHZ_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('healthz timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Samples /healthz every `everyMs` until `stop()` says so; a failed request counts with the timeout as latency. */
export async function sampleHealthz(baseUrl: string, stop: () => boolean, everyMs = 20, paused = () => false): Promise<HealthSamples> {
  const out: HealthSamples = { latencies: [], failures: 0 };
  while (!stop()) {
    if (paused()) {
      await new Promise((r) => setTimeout(r, everyMs));
      continue;
    }
    const started = performance.now();
    try {
      out.latencies.push(await healthzOnce(baseUrl));
    } catch {
      out.failures++;
      out.latencies.push(Math.max(performance.now() - started, HEALTHZ_TIMEOUT_MS));
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return out;
}

/** Idle baseline: `count` sequential samples on a server nobody attacks. */
export async function idleHealthz(baseUrl: string, count: number, everyMs = 20): Promise<HealthSamples> {
  let n = 0;
  return sampleHealthz(baseUrl, () => n++ >= count, everyMs);
}

export interface MemoryPeak {
  rssMb: number;
  heapMb: number;
}

/** Tracks the process's peak RSS and heap while a scenario runs (the server shares this process). */
export function trackMemory(everyMs = 100): { stop(): MemoryPeak } {
  const peak = { rss: 0, heap: 0 };
  const take = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { rssMb: Math.round(peak.rss / 2 ** 20), heapMb: Math.round(peak.heap / 2 ** 20) };
    },
  };
}

/**
 * The responsiveness target: p99 under attack within `factor` times the idle p99 of the same run, but never
 * asked to be below `floorMs` (an idle p99 of 3 ms times 10 is noise on a shared 2-core machine).
 */
export function healthzBudgetMs(idleP99: number, factor = 10, floorMs = 250): number {
  return Math.max(idleP99 * factor, floorMs);
}
