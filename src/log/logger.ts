import { pino, type Logger, type LoggerOptions } from 'pino';
import { redactText } from '../evidence/redact.js';

/** Deepest level of a log object whose strings are checked for secrets (error causes, nested details). */
const REDACT_DEPTH = 4;

/**
 * A safety net under every log line: pasted logs and configurations carry pre-shared keys and tokens, and
 * an error message or a logged detail may quote them. Strings in the message and the logged object (to a
 * bounded depth) go through the one redaction module before they are written.
 */
function redactDeep(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  // Errors are left to the `err` serializer below, which keeps pino's own view of them, redacted.
  if (value instanceof Error) return value;
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, depth - 1);
  return out;
}

/** Options every logger of this program uses (exported for tests that log into a stream). */
export const LOGGER_OPTIONS: LoggerOptions = {
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
    },
  },
  formatters: { log: (obj) => redactDeep(obj, REDACT_DEPTH) as Record<string, unknown> },
  serializers: { err: (err: Error) => redactDeep({ ...pino.stdSerializers.err(err) }, REDACT_DEPTH) },
};

/**
 * Logs go to stderr (stdout is reserved for answers and JSON), as JSON lines; pretty-printed only when
 * stderr is a terminal so that log collectors always receive JSON.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  if (process.stderr.isTTY) {
    return pino({
      ...LOGGER_OPTIONS,
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino({ ...LOGGER_OPTIONS, level }, pino.destination({ dest: 2, sync: true }));
}

let shared: Logger | undefined;

/** The process-wide logger, created on first use so commands that never log pay nothing. */
export function logger(): Logger {
  shared ??= createLogger();
  return shared;
}
