import type { Logger } from 'pino';

/**
 * Resolves on the first SIGTERM or SIGINT so a command can shut down in order (drain, close, flush).
 * A second signal means "now": the process exits at once with 130, for an operator who does not want to wait.
 */
export function untilShutdownSignal(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        log.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(130);
      }
      received = true;
      log.info({ signal }, 'shutting down');
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
