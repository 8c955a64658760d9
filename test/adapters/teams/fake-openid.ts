import { createHmac, createSign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the Bot Framework's OpenID metadata (the document and its key set), and the JWTs
 * an attacker would forge against it. The SDK caches metadata per URL, so each fake has its own port.
 */
export interface FakeMetadata {
  url: string;
  hits: string[];
  failing: boolean;
  close(): Promise<void>;
}

export async function fakeOpenIdMetadata(publicKey: KeyObject, kid: string): Promise<FakeMetadata> {
  const hits: string[] = [];
  const state = { failing: false };
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (state.failing) return void res.writeHead(500).end();
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/openid') return void res.end(JSON.stringify({ issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` }));
    if (req.url === '/keys') {
      const jwk = publicKey.export({ format: 'jwk' });
      return void res.end(JSON.stringify({ keys: [{ ...jwk, kid, use: 'sig', endorsements: ['msteams'] }] }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/openid`;
  return {
    url,
    hits,
    get failing() {
      return state.failing;
    },
    set failing(v: boolean) {
      state.failing = v;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** The claims of a Bot Framework channel token for `appId`, valid now. */
export function channelClaims(appId: string, serviceUrl: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: 'https://api.botframework.com', aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 600 };
}

export function rs256(payload: object, key: KeyObject, kid: string): string {
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(payload)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(key).toString('base64url')}`;
}

/**
 * The forgeries: no signature (alg none), the key confusion (HMAC keyed with the public key), a key the
 * metadata does not serve, a kid it does not know, and a real signature with its tail altered.
 */
export function forgedTokens(
  claims: Record<string, unknown>,
  keys: { real: { publicKey: KeyObject; privateKey: KeyObject }; other: { privateKey: KeyObject } },
  kid: string,
): Record<string, string> {
  const pem = keys.real.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const hsHead = `${b64({ alg: 'HS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return {
    none: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
    hs256: `${hsHead}.${createHmac('sha256', pem).update(hsHead).digest('base64url')}`,
    wrongKey: rs256(claims, keys.other.privateKey, kid),
    unknownKid: rs256(claims, keys.other.privateKey, 'no-such-kid'),
    badSignature: `${rs256(claims, keys.real.privateKey, kid).slice(0, -6)}AAAAAA`,
  };
}
