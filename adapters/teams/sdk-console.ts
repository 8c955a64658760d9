import type { Logger } from 'pino';

const ROUTER = Symbol.for('vpn-doctor.teams.sdk-console');
type ConsoleMethod = ((...args: unknown[]) => void) & { [ROUTER]?: true };

/** Source files whose console output is the Bot Framework SDK's (botbuilder, botframework-connector, ...). */
const SDK_FRAME = /[\\/]node_modules[\\/](?:botbuilder[^\\/]*|botframework-[^\\/]+)[\\/]/;

/**
 * botframework-connector prints with console.error on every token it rejects ("Error finding key for
 * token. Available keys: <PEM>", or a whole TokenExpiredError with its stack), and CloudAdapter prints
 * each failed request: on a public endpoint that is a log flood anyone can cause, outside the JSON log.
 * This routes console.error/warn calls made from the SDK's own files into pino at debug level, one line,
 * no stack; every other caller's output goes where it went before. Installed once per process.
 */
export function routeSdkConsole(logger: Logger): void {
  for (const method of ['error', 'warn'] as const) {
    const current = console[method] as ConsoleMethod;
    if (current[ROUTER]) continue;
    const router: ConsoleMethod = (...args: unknown[]) => {
      if (!SDK_FRAME.test(new Error().stack ?? '')) return current.apply(console, args);
      const first = args[0];
      const text = first instanceof Error ? `${first.name}: ${first.message}` : String(first);
      logger.debug({ sdk: 'botbuilder', console: method }, text.split('\n')[0]!.slice(0, 160));
    };
    router[ROUTER] = true;
    console[method] = router;
  }
}
