import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors.js';

export interface ReadBodyOptions {
  /** Largest body accepted, in bytes. */
  limit: number;
  /** Time allowed to receive the whole body (none by default: the server's requestTimeout still applies). */
  timeoutMs?: number;
}

/**
 * The one reader of a raw request body, for routes that must see the bytes as sent (Slack signs the raw
 * body; the Bot Framework SDK wants the parsed activity plus the raw request). The declared length is
 * checked before reading and the real length while reading, so a client cannot make the server buffer
 * more than the limit either way. Rejects with an HttpError: 413 too large, 408 too slow, 400 aborted.
 * After a rejection the rest of the body is drained (not buffered), so the caller can still answer on
 * this connection; a caller that would rather not wait destroys the request.
 */
export function readBody(req: IncomingMessage, options: ReadBodyOptions): Promise<Buffer> {
  const { limit } = options;
  const tooLarge = () => new HttpError(413, 'payload-too-large', `request body larger than ${limit} bytes`);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: HttpError | null) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (err) {
        req.resume();
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) finish(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => finish(null);
    const onError = (err: Error) => finish(new HttpError(400, 'bad-request', `request error: ${err.message}`));
    const onAborted = () => finish(new HttpError(400, 'bad-request', 'request aborted'));
    const timer = options.timeoutMs
      ? setTimeout(() => finish(new HttpError(408, 'request-timeout', 'body not received in time')), options.timeoutMs)
      : undefined;
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
