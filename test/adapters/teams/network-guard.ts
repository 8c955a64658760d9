import net from 'node:net';

/**
 * Test-only guard: records (and blocks) every outgoing TCP connection that is not to loopback, so a test
 * can assert that nothing left the machine (no OpenID metadata fetch from login.botframework.com, no token
 * request to login.microsoftonline.com, no reply to a real Teams service URL).
 */
export interface NetworkGuard {
  readonly blocked: string[];
  restore(): void;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|::ffff:127(\.\d{1,3}){3})$/i;

export function guardNetwork(): NetworkGuard {
  const blocked: string[] = [];
  const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => net.Socket };
  const original = proto.connect;
  proto.connect = function (this: net.Socket, ...args: unknown[]) {
    const target = describeTarget(args);
    if (target !== null && !LOOPBACK.test(target.host)) {
      blocked.push(`${target.host}:${target.port ?? ''}`);
      process.nextTick(() => this.destroy(new Error(`network guard: blocked connection to ${target.host}`)));
      return this;
    }
    return original.apply(this, args);
  };
  return {
    blocked,
    restore() {
      proto.connect = original;
    },
  };
}

/** null for local sockets (paths, pipes); host and port otherwise, the way net.connect reads its arguments. */
function describeTarget(args: unknown[]): { host: string; port?: unknown } | null {
  let first = args[0];
  if (Array.isArray(first)) first = first[0]; // internal normalized-args form
  if (typeof first === 'object' && first !== null) {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === 'string') return null;
    return { host: typeof o.host === 'string' ? o.host : 'localhost', port: o.port };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return null; // a pipe path
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
}
