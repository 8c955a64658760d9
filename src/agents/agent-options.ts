import type { Agent as HttpAgent } from 'node:http';
import type { Logger } from 'pino';
import type { Allowlist } from './allowlist.js';
import type { BackoffOptions } from './backoff.js';
import type { JobExecutor } from './executor.js';
import type { Pinger } from './keepalive-monitor.js';
import type { SelfTest } from './self-test.js';

export interface AgentOptions {
  /**
   * ws://HOST:PORT/agents or wss://...; several URLs (the replicas of one hub) are tried in turn: after a
   * failed attempt or a lost connection the next one, with the same jittered backoff.
   */
  hubUrl: string | readonly string[];
  token: string;
  name: string;
  allowlist: Allowlist;
  executor: JobExecutor;
  selfTest: SelfTest;
  log: Logger;
  /** Jobs running at once; more wait in a queue of `maxQueued`, beyond which jobs are refused as busy. */
  maxConcurrency?: number;
  maxQueued?: number;
  keepalive?: { target: string; intervalMs: number; ping: Pinger; downAfter?: number; upAfter?: number } | null;
  backoff?: BackoffOptions;
  /** Monitor events kept while the hub is unreachable (oldest dropped first). */
  eventBuffer?: number;
  /** Results of jobs that finished while the hub was unreachable, sent after the reconnect. */
  resultBuffer?: number;
  /** For HTTPS_PROXY: see proxy.ts. A function picks one per hub URL (the proxy may differ per host). */
  httpAgent?: HttpAgent | ((hubUrl: string) => HttpAgent | undefined);
  version?: string;
  now?: () => number;
  /** Permanent refusals in a row (revoked or unknown token, wrong name) before the agent gives up; default 3. */
  maxRefusals?: number;
}
