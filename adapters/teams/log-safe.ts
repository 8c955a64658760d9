/**
 * What is logged of an error. Bot Framework connector errors (Azure RestError) carry the HTTP request as a
 * property, headers included, and a request to the connector carries the bot's bearer token. pino's error
 * serializer skips that (non-enumerable) property today; logging only the plain facts keeps it that way
 * whatever serializer or log shipper comes later.
 */
export function safeError(err: unknown): { name?: string; message: string; statusCode?: number; code?: string; stack?: string } {
  if (!(err instanceof Error)) return { message: String(err).slice(0, 500) };
  const e = err as Error & { statusCode?: unknown; code?: unknown };
  return {
    name: e.name,
    message: e.message.slice(0, 1000),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(e.stack ? { stack: e.stack.split('\n').slice(0, 8).join('\n') } : {}),
  };
}
