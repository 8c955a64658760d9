import { pino, type Logger } from 'pino';

/**
 * Logs go to stderr (stdout is reserved for answers and JSON), as JSON lines; pretty-printed only when
 * stderr is a terminal so that log collectors always receive JSON.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  if (process.stderr.isTTY) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } },
    });
  }
  return pino({ level }, pino.destination({ dest: 2, sync: true }));
}

let shared: Logger | undefined;

/** The process-wide logger, created on first use so commands that never log pay nothing. */
export function logger(): Logger {
  shared ??= createLogger();
  return shared;
}
