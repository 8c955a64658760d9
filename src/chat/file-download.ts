import type { FileLimits } from './file-text.js';

/**
 * Downloads one shared file, bounded in size and time, from hosts the caller allows. The URL comes from a
 * chat payload: signed or authenticated, but still a URL we are told to fetch, so every hop (redirects
 * included) is checked against the allowlist, and credentials never follow a redirect to another origin.
 * Errors never carry the URL: a Teams download URL holds its access token in the query string.
 */

export interface DownloadRequest {
  url: string;
  /** Sent to the first origin only (e.g. Slack's Authorization: Bearer xoxb-...). */
  headers?: Record<string, string>;
  /** True for URLs this platform may download from. */
  allowUrl: (url: URL) => boolean;
  limits: FileLimits;
  /** Overrides limits.timeoutMs (what is left of a message's budget). */
  timeoutMs?: number;
}

export type DownloadResult = { ok: true; bytes: Uint8Array; truncated: boolean } | { ok: false; reason: string };

const MAX_REDIRECTS = 3;

export async function downloadFile(request: DownloadRequest): Promise<DownloadResult> {
  const timeoutMs = request.timeoutMs ?? request.limits.timeoutMs;
  const signal = AbortSignal.timeout(timeoutMs);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { ok: false, reason: 'the file link is not a URL' };
  }
  const firstOrigin = url.origin;
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'the file link is not a web address' };
      if (!request.allowUrl(url)) {
        return { ok: false, reason: `the file is not on a host the bot downloads from (${url.hostname.slice(0, 100)})` };
      }
      const res = await fetch(url, {
        headers: url.origin === firstOrigin ? (request.headers ?? {}) : {},
        redirect: 'manual',
        signal,
      });
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        const location = res.headers.get('location');
        if (!location || hop >= MAX_REDIRECTS) return { ok: false, reason: 'the download was redirected too often' };
        url = new URL(location, url);
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        return { ok: false, reason: `the download failed (HTTP ${res.status})` };
      }
      // Slack answers a bad token or a missing files:read scope with its HTML sign-in page and 200.
      const type = res.headers.get('content-type') ?? '';
      if (/^text\/html\b/i.test(type) && request.headers?.authorization) {
        await res.body?.cancel();
        return { ok: false, reason: 'the bot was not allowed to download the file' };
      }
      return { ok: true, ...(await readBounded(res, request.limits.maxBytes)) };
    }
  } catch (err) {
    if (signal.aborted) {
      const t = timeoutMs;
      return { ok: false, reason: `the download took longer than ${t < 1000 ? `${t} ms` : `${Math.round(t / 1000)} s`}` };
    }
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    return { ok: false, reason: `the download failed (${typeof code === 'string' ? code : 'network error'})` };
  }
}

/** Reads at most `max` bytes of the body; more than that is cut off and said so. */
async function readBounded(res: Response, max: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (total + value.byteLength > max) {
        chunks.push(value.subarray(0, max - total));
        total = max;
        truncated = true;
        await reader.cancel();
        break;
      }
      chunks.push(value);
      total += value.byteLength;
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { bytes, truncated };
}
