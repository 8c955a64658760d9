import type { Agent as HttpAgent } from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';

/**
 * Agents sit in customer LANs where the only way out is often a proxy. wss:// goes through HTTPS_PROXY,
 * ws:// through HTTP_PROXY (ALL_PROXY for both), unless NO_PROXY names the hub; either way the WebSocket
 * is tunnelled with HTTP CONNECT, so the proxy never sees the token of a wss:// hub.
 */
export function proxyUrlFor(hubUrl: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const url = new URL(hubUrl);
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  const proxy = secure
    ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.ALL_PROXY ?? env.all_proxy)
    : (env.HTTP_PROXY ?? env.http_proxy ?? env.ALL_PROXY ?? env.all_proxy);
  if (!proxy) return null;
  const port = url.port || (secure ? '443' : '80');
  return bypassed(url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port, env.NO_PROXY ?? env.no_proxy ?? '') ? null : proxy;
}

/** NO_PROXY as curl reads it: comma-separated names (a leading dot or none both match subdomains), `*` for all, optional :port. */
function bypassed(host: string, port: string, noProxy: string): boolean {
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase())!;
      const name = m[1]!.replace(/^\*?\./, '');
      if (m[2] && m[2] !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
}

export function proxyAgentFor(hubUrl: string, env: NodeJS.ProcessEnv = process.env): HttpAgent | undefined {
  const proxy = proxyUrlFor(hubUrl, env);
  return proxy ? (new HttpsProxyAgent(proxy) as unknown as HttpAgent) : undefined;
}
