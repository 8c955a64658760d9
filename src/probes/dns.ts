import { lookup } from 'node:dns/promises';
import { connect, isIP } from 'node:net';
import DNS, { Packet } from 'dns2';
import { z } from 'zod';
import { addressRange, AddressRangeSchema, addressScope, AddressScopeSchema } from './address-scope.js';
import { HostnameSchema, IpSchema, PortSchema } from './target.js';
import {
  effectiveDeadline,
  probeResultSchema,
  startResult,
  TimeoutMsSchema,
  type Probe,
  type ProbeContext,
  type ProbeResult,
} from './types.js';

/**
 * DNS: ask one named server (the cloud DNS servers, or the corporate resolver) for the A records of a
 * name, over UDP and again over TCP when the answer is truncated; or ask the system resolver (getaddrinfo,
 * what applications on this machine get). Every answer is classified private/public: over the VPN an
 * environment name must resolve to a private address.
 *
 * dns2's UDP client defaults to public resolvers and type ANY: the server, type and timeout are always set.
 * Its TCP client has no timeout, so the TCP fallback below is our own (with dns2's Packet codec).
 */

export const DnsParamsSchema = z.object({
  name: HostnameSchema,
  /** The server to ask; absent: the system resolver of this machine. */
  server: IpSchema.optional(),
  port: PortSchema.default(53),
  type: z.enum(['A', 'AAAA']).default('A'),
  /** auto: UDP, then TCP when the UDP answer is truncated. */
  transport: z.enum(['auto', 'udp', 'tcp']).default('auto'),
  timeoutMs: TimeoutMsSchema.default(2000),
});
export type DnsParams = z.infer<typeof DnsParamsSchema>;

export const DnsAnswerSchema = z.object({
  name: z.string(),
  type: z.enum(['A', 'AAAA']),
  address: z.string(),
  /** null from the system resolver, which does not expose TTLs. */
  ttl: z.number().int().nullable(),
  scope: AddressScopeSchema,
  range: AddressRangeSchema,
});
export type DnsAnswer = z.infer<typeof DnsAnswerSchema>;

export const DnsDetailSchema = z.object({
  /** answered: a response arrived (see rcode). timeout: none in time. error: sending failed, or the resolver failed. */
  status: z.enum(['answered', 'timeout', 'error']),
  server: z.string().nullable(),
  transport: z.enum(['udp', 'tcp', 'system']),
  /** The UDP response had the TC bit set (the TCP answer, if any, is what is reported). */
  truncated: z.boolean(),
  rcode: z.string().nullable(),
  authoritative: z.boolean().nullable(),
  answers: z.array(DnsAnswerSchema),
  /** CNAMEs followed on the way, in order. */
  cnames: z.array(z.string()),
  /** errno-style code of a failure: ETIMEDOUT, ENETUNREACH, ECONNREFUSED, ENOTFOUND, EAI_AGAIN... */
  code: z.string().optional(),
  message: z.string().optional(),
});
export type DnsDetail = z.infer<typeof DnsDetailSchema>;
export const DnsResultSchema = probeResultSchema('dns', DnsDetailSchema);
export type DnsResult = ProbeResult<DnsDetail, 'dns'>;

const RCODE_NAMES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
};

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

export function dnsTarget(name: string, server: string | undefined, port = 53): string {
  if (!server) return `${name} @system`;
  const at = port === 53 ? server : isIP(server) === 6 ? `[${server}]:${port}` : `${server}:${port}`;
  return `${name} @${at}`;
}

/** getaddrinfo, injectable so tests can produce its failures without asking a real resolver. */
export type SystemLookup = (name: string, options: { all: true; family: 4 | 6 }) => Promise<{ address: string; family: number }[]>;

export function createDnsProbe(deps: { lookup?: SystemLookup } = {}): Probe<DnsParams, DnsDetail> {
  const systemLookup: SystemLookup = deps.lookup ?? ((name, options) => lookup(name, options));
  return {
    kind: 'dns',
    paramsSchema: DnsParamsSchema,
    detailSchema: DnsDetailSchema,
    errorDetail: (message) => ({ ...failure(null, 'udp', new Error(message)), code: 'ERROR' }),
    async run(params, ctx) {
      const finish = startResult(
        'dns',
        dnsTarget(params.name, params.server, params.port),
        (d: DnsDetail) => d.status === 'answered' && d.rcode === 'NOERROR',
      );
      const sub = { signal: ctx.signal, deadline: effectiveDeadline(ctx, params.timeoutMs) };
      const { backend, detail } = params.server
        ? await queryServer(params as DnsParams & { server: string }, sub)
        : await querySystem(systemLookup, params, sub);
      return finish(backend, detail);
    },
  };
}

export const dnsProbe = createDnsProbe();

function failure(server: string | null, transport: DnsDetail['transport'], err: unknown, truncated = false): DnsDetail {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? 'ERROR';
  return {
    status: code === 'ETIMEDOUT' ? 'timeout' : 'error',
    server,
    transport,
    truncated,
    rcode: null,
    authoritative: null,
    answers: [],
    cnames: [],
    code,
    message: e?.message ?? String(err),
  };
}

function timeoutError(what: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${what} timed out`), { code: 'ETIMEDOUT' });
}

/** Settles like `work`, or rejects with ETIMEDOUT at the deadline or on abort, whichever comes first. */
function bound<T>(work: Promise<T>, ctx: ProbeContext, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(what)), Math.max(0, ctx.deadline - Date.now()));
    onAbort = () => reject(Object.assign(new Error(`${what} aborted`), { code: 'ETIMEDOUT' }));
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, limit]).finally(() => {
    clearTimeout(timer);
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  });
}

async function queryServer(params: DnsParams & { server: string }, ctx: ProbeContext): Promise<{ backend: string; detail: DnsDetail }> {
  const { server, port, name, type } = params;
  if (params.transport === 'tcp') {
    try {
      return { backend: 'dns2-tcp', detail: fromPacket(await queryTcp(server, port, name, type, ctx), server, 'tcp', false, type) };
    } catch (err) {
      return { backend: 'dns2-tcp', detail: failure(server, 'tcp', err) };
    }
  }

  let response: DNS.Packet;
  try {
    const resolve = DNS.UDPClient({
      dns: server,
      port,
      socketType: isIP(server) === 6 ? 'udp6' : 'udp4',
      timeout: Math.max(1, ctx.deadline - Date.now()),
      retryOverTCP: false, // we retry over TCP ourselves, with a timeout
    });
    response = await bound(resolve(name, type), ctx, `DNS query to ${server}`);
  } catch (err) {
    return { backend: 'dns2-udp', detail: failure(server, 'udp', err) };
  }

  if (response.header.tc && params.transport === 'auto') {
    try {
      const full = await queryTcp(server, port, name, type, ctx);
      return { backend: 'dns2-udp+tcp', detail: fromPacket(full, server, 'tcp', true, type) };
    } catch (err) {
      return { backend: 'dns2-udp+tcp', detail: failure(server, 'tcp', err, true) };
    }
  }
  return { backend: 'dns2-udp', detail: fromPacket(response, server, 'udp', response.header.tc === 1, type) };
}

/** One query over TCP (RFC 1035 4.2.2: two-byte length prefix), bounded by the deadline. */
async function queryTcp(server: string, port: number, name: string, type: 'A' | 'AAAA', ctx: ProbeContext): Promise<DNS.Packet> {
  const query = new Packet();
  query.header.id = Packet.uuid();
  query.header.rd = 1;
  query.questions.push({ name, type: Packet.TYPE[type], class: Packet.CLASS.IN } as DNS.Packet.Question);
  const body = query.toBuffer();
  const length = Buffer.alloc(2);
  length.writeUInt16BE(body.length);

  const socket = connect({ host: server, port });
  socket.on('error', () => {
    // reported through readStream's rejection or the connect promise below
  });
  try {
    const connected = new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    await bound(connected, ctx, `DNS over TCP to ${server}`);
    socket.write(Buffer.concat([length, body]));
    const data = await bound(Packet.readStream(socket), ctx, `DNS over TCP to ${server}`);
    const response = Packet.parse(data);
    if (response.header.id !== query.header.id) throw new Error('DNS over TCP: response id does not match the query');
    return response;
  } finally {
    socket.destroy();
  }
}

function fromPacket(packet: DNS.Packet, server: string, transport: 'udp' | 'tcp', truncated: boolean, type: 'A' | 'AAAA'): DnsDetail {
  const wanted = Packet.TYPE[type];
  const answers: DnsAnswer[] = [];
  const cnames: string[] = [];
  for (const rr of packet.answers) {
    if (rr.type === Packet.TYPE.CNAME && rr.domain) cnames.push(rr.domain);
    if (rr.type === wanted && rr.address && isIP(rr.address)) {
      answers.push({
        name: rr.name,
        type,
        address: rr.address,
        ttl: rr.ttl,
        scope: addressScope(rr.address),
        range: addressRange(rr.address),
      });
    }
  }
  return {
    status: 'answered',
    server,
    transport,
    truncated,
    rcode: rcodeName(packet.header.rcode),
    authoritative: packet.header.aa === 1,
    answers,
    cnames,
  };
}

/**
 * The system resolver path (getaddrinfo): what browsers and tools on this machine get, /etc/hosts and
 * nsswitch included. It tells "no such name" (ENOTFOUND, reported as NXDOMAIN) from a resolver failure,
 * but gives no TTLs and no rcode beyond that.
 */
async function querySystem(
  systemLookup: SystemLookup,
  params: DnsParams,
  ctx: ProbeContext,
): Promise<{ backend: string; detail: DnsDetail }> {
  const backend = 'getaddrinfo';
  const base = { server: null, transport: 'system' as const, truncated: false, authoritative: null, cnames: [] };
  try {
    const found = await bound(
      systemLookup(params.name, { all: true, family: params.type === 'A' ? 4 : 6 }),
      ctx,
      `resolving ${params.name}`,
    );
    const answers = found
      .filter((a) => isIP(a.address))
      .map((a) => ({
        name: params.name,
        type: params.type,
        address: a.address,
        ttl: null,
        scope: addressScope(a.address),
        range: addressRange(a.address),
      }));
    return { backend, detail: { status: 'answered', rcode: 'NOERROR', answers, ...base } };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOTFOUND') {
      return { backend, detail: { status: 'answered', rcode: 'NXDOMAIN', answers: [], code: 'ENOTFOUND', ...base } };
    }
    if (e.code === 'ENODATA') {
      return { backend, detail: { status: 'answered', rcode: 'NOERROR', answers: [], code: 'ENODATA', ...base } };
    }
    return { backend, detail: { ...failure(null, 'system', err), ...base } };
  }
}
