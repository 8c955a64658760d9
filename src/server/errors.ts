import { z } from 'zod';

/** The one error body of every endpoint: `{ error: { code, message, details? } }`. */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string().describe('Stable, kebab-case: scripts branch on it'),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An error that becomes an HTTP response with the error body; thrown by routes, hooks and body readers. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  get body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details !== undefined ? { details: this.details } : {}) } };
  }
}

/** Fastify's own errors (body parsing, URL decoding) mapped to our codes, so clients see one vocabulary. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid-json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
  FST_ERR_BAD_URL: 'bad-request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri-too-long',
};

/** Any thrown value as an HttpError: ours as is, a client error from fastify with our code, anything else 500. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const known = typeof e?.code === 'string' ? FASTIFY_CODES[e.code] : undefined;
    // JSON.parse failures reach us as a SyntaxError with statusCode 400 and no code.
    const code = known ?? (err instanceof SyntaxError ? 'invalid-json' : 'bad-request');
    const message =
      code === 'invalid-json'
        ? 'the body is not valid JSON'
        : code === 'unsupported-media-type'
          ? 'send the body as application/json'
          : typeof e?.message === 'string'
            ? e.message
            : 'bad request';
    return new HttpError(status, code, message);
  }
  return new HttpError(500, 'internal', 'internal error (see the server log)');
}
