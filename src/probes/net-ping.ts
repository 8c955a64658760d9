import { createRequire } from 'node:module';

/**
 * net-ping is an optional dependency with a native part (raw-socket) and it only works with raw sockets
 * (root or CAP_NET_RAW). It is loaded lazily, on first use, so that a machine without the native build
 * or without privileges still runs every other probe; the callers fall back to the system tools.
 */

export interface NetPingError extends Error {
  /** Set on TimeExceededError / DestinationUnreachableError...: the router that answered. */
  source?: string;
}

export type PingCallback = (error: NetPingError | null, target: string, sent?: Date, rcvd?: Date) => void;
export type TraceFeedCallback = (error: NetPingError | null, target: string, ttl: number, sent?: Date, rcvd?: Date) => boolean | void;

export interface NetPingSession {
  pingHost(target: string, callback: PingCallback): void;
  traceRoute(
    target: string,
    options: { ttl?: number; maxHopTimeouts?: number; startTtl?: number },
    feed: TraceFeedCallback,
    done: (error: NetPingError | null, target: string) => void,
  ): void;
  close(): void;
  on(event: 'error', listener: (error: Error) => void): void;
}

export interface NetPingModule {
  createSession(options: {
    networkProtocol?: number;
    packetSize?: number;
    retries?: number;
    sessionId?: number;
    timeout?: number;
    ttl?: number;
  }): NetPingSession;
  NetworkProtocol: { IPv4: number; IPv6: number };
}

export type NetPingLoader = () => NetPingModule | null;

let cached: NetPingModule | null | undefined;

/** The module, or null when it is not installed or its native part did not build. */
export const loadNetPing: NetPingLoader = () => {
  if (cached !== undefined) return cached;
  try {
    cached = createRequire(import.meta.url)('net-ping') as NetPingModule;
  } catch {
    cached = null;
  }
  return cached;
};

/**
 * A fresh random session id per session: net-ping defaults to pid % 65535 and numbers requests from 1,
 * so two concurrent sessions of one process (pinging two DNS servers at once) would match each other's
 * replies.
 */
export function randomSessionId(): number {
  return 1 + Math.floor(Math.random() * 65534);
}

/** Raw socket creation failed for lack of privileges (as opposed to any other failure). */
export function isPermissionError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException | undefined;
  return (
    e?.code === 'EPERM' || e?.code === 'EACCES' || /Operation not permitted|Permission denied|EPERM|EACCES/i.test(String(e?.message ?? err))
  );
}
