import { inspect } from 'node:util';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Bolt, its WebClient and the Socket Mode client log through this bridge into the application's pino
 * logger, so Slack's messages (failed signatures, reconnects, rate limits) land in the same JSON stream
 * as everything else. The level belongs to LOG_LEVEL, so Bolt's attempts to set it are ignored.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? p : inspect(p, { depth: 3, breakLength: Infinity }))).join(' ');
  // Bolt logs a few debug lines per request: format them only when someone will read them.
  return {
    debug: (...msg: unknown[]) => logger.isLevelEnabled('debug') && logger.debug(text(msg)),
    info: (...msg: unknown[]) => logger.isLevelEnabled('info') && logger.info(text(msg)),
    warn: (...msg: unknown[]) => logger.warn(text(msg)),
    error: (...msg: unknown[]) => logger.error(text(msg)),
    setLevel: () => {},
    setName: () => {},
    getLevel: () => {
      if (logger.isLevelEnabled('debug')) return LogLevel.DEBUG;
      if (logger.isLevelEnabled('info')) return LogLevel.INFO;
      if (logger.isLevelEnabled('warn')) return LogLevel.WARN;
      return LogLevel.ERROR;
    },
  };
}
