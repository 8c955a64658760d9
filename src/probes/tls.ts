import { isIP } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { z } from 'zod';
import { resolveTarget } from './resolve.js';
import { formatHostPort, HostnameSchema, PortSchema, TargetSchema } from './target.js';
import { tcpStatusOf } from './tcp.js';
import {
  effectiveDeadline,
  probeResultSchema,
  roundMs,
  startResult,
  stopwatch,
  TimeoutMsSchema,
  type Probe,
  type ProbeResult,
} from './types.js';

/**
 * TLS handshake with SNI. A certificate that does not verify (self-signed, wrong name, expired) is
 * reported, not treated as a failed handshake: the question is whether HTTPS gets through the VPN, and a
 * corporate TLS inspection box or a lab certificate must not hide that. A handshake that stalls after the
 * TCP connection is up is reported apart ('handshake-failed'): large packets lost in the tunnel (MTU/MSS)
 * look exactly like that.
 */

export const TlsParamsSchema = z.object({
  /** Where to connect: an address (from the cloud DNS) or a name. */
  target: TargetSchema,
  port: PortSchema.default(443),
  /** Server name for SNI and the certificate check; defaults to the target when it is a name. */
  servername: HostnameSchema.optional(),
  timeoutMs: TimeoutMsSchema.default(3000),
});
export type TlsParams = z.infer<typeof TlsParamsSchema>;

export const TLS_STATUSES = ['handshake-ok', 'refused', 'timeout', 'unreachable', 'handshake-failed', 'error'] as const;

export const CertificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  daysLeft: z.number().int().nullable(),
  subjectAltNames: z.array(z.string()),
  fingerprint256: z.string().nullable(),
  selfSigned: z.boolean(),
});

export const TlsDetailSchema = z.object({
  status: z.enum(TLS_STATUSES),
  address: z.string().nullable(),
  port: z.number().int(),
  servername: z.string().nullable(),
  protocol: z.string().nullable(),
  cipher: z.string().nullable(),
  certificate: CertificateSchema.nullable(),
  /** Chain and name both verify against this machine's CA store. */
  verified: z.boolean(),
  /** OpenSSL's reason when the chain does not verify: DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED... */
  verifyError: z.string().nullable(),
  hostnameError: z.string().nullable(),
  handshakeMs: z.number().nullable(),
  code: z.string().optional(),
  message: z.string().optional(),
});
export type TlsDetail = z.infer<typeof TlsDetailSchema>;
export const TlsResultSchema = probeResultSchema('tls', TlsDetailSchema);
export type TlsResult = ProbeResult<TlsDetail, 'tls'>;

function dn(entity: PeerCertificate['subject'] | undefined): string {
  if (!entity) return '';
  return Object.entries(entity)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

function isoDate(s: string | undefined): string | null {
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function describeCertificate(cert: PeerCertificate, now: number = Date.now()): z.infer<typeof CertificateSchema> {
  const validTo = isoDate(cert.valid_to);
  const subject = dn(cert.subject);
  const issuer = dn(cert.issuer);
  return {
    subject,
    issuer,
    validFrom: isoDate(cert.valid_from),
    validTo,
    daysLeft: validTo ? Math.floor((Date.parse(validTo) - now) / 86_400_000) : null,
    subjectAltNames: cert.subjectaltname ? cert.subjectaltname.split(/,\s*/).filter(Boolean) : [],
    fingerprint256: cert.fingerprint256 ?? null,
    selfSigned: subject !== '' && subject === issuer,
  };
}

export function createTlsProbe(): Probe<TlsParams, TlsDetail> {
  return {
    kind: 'tls',
    paramsSchema: TlsParamsSchema,
    detailSchema: TlsDetailSchema,
    errorDetail: (message) => ({ status: 'error', address: null, ...noHandshake(0, null), code: 'ERROR', message }),
    async run(params, ctx) {
      const deadline = effectiveDeadline(ctx, params.timeoutMs);
      const servername = params.servername ?? (isIP(params.target) ? null : params.target);
      const empty = noHandshake(params.port, servername);
      const done = startResult(
        'tls',
        `${formatHostPort(params.target, params.port)}${servername && servername !== params.target ? ` (${servername})` : ''}`,
        (d: TlsDetail) => d.status === 'handshake-ok',
      );
      const finish = (detail: TlsDetail): TlsResult => done('node-tls', detail);

      let address: string;
      try {
        address = await resolveTarget(params.target, deadline);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        return finish({ status: 'error', address: null, ...empty, code: e.code ?? 'ERROR', message: e.message });
      }

      const watch = stopwatch();
      return new Promise<TlsResult>((resolve) => {
        let tcpUp = false;
        let done = false;
        // eslint-disable-next-line prefer-const -- assigned once, after the callbacks that close over it
        let socket: TLSSocket;
        const settle = (detail: TlsDetail): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          ctx.signal.removeEventListener('abort', onAbort);
          socket.destroy();
          resolve(finish(detail));
        };
        const fail = (code: string, message: string): void => {
          // Once TCP is up, any failure is the handshake's; before, it is the connection's.
          const before = tcpStatusOf(code);
          const status = tcpUp ? 'handshake-failed' : before === 'open' ? 'error' : before;
          settle({ status, address, ...empty, code, message });
        };
        const onAbort = (): void => fail('ETIMEDOUT', 'aborted');
        const timer = setTimeout(
          () => fail('ETIMEDOUT', tcpUp ? 'TLS handshake did not complete in time' : 'no answer in time'),
          Math.max(0, deadline - Date.now()),
        );

        socket = connect({
          host: address,
          port: params.port,
          ...(servername ? { servername } : {}),
          // Verification is reported, not enforced (see above).
          rejectUnauthorized: false,
        });
        socket.once('connect', () => {
          tcpUp = true;
        });
        socket.once('secureConnect', () => {
          const cert = socket.getPeerCertificate();
          const hasCert = cert && Object.keys(cert).length > 0;
          const identity = hasCert ? checkServerIdentity(servername ?? address, cert) : undefined;
          const verifyError = socket.authorized ? null : String(socket.authorizationError ?? 'UNKNOWN');
          settle({
            status: 'handshake-ok',
            address,
            ...empty,
            protocol: socket.getProtocol() ?? null,
            cipher: socket.getCipher()?.name ?? null,
            certificate: hasCert ? describeCertificate(cert) : null,
            verified: socket.authorized && !identity,
            verifyError,
            hostnameError: identity ? identity.message : null,
            handshakeMs: roundMs(watch()),
          });
        });
        socket.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? 'ERROR', e.message));
        if (ctx.signal.aborted) onAbort();
        else ctx.signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** The fields of a TLS detail when no handshake completed: nothing was learnt about the certificate. */
function noHandshake(port: number, servername: string | null) {
  return {
    port,
    servername,
    protocol: null,
    cipher: null,
    certificate: null,
    verified: false,
    verifyError: null,
    hostnameError: null,
    handshakeMs: null,
  };
}

export const tlsProbe = createTlsProbe();
