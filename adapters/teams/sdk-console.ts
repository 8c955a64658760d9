import type { Logger } from 'pino';

type ConsoleMethod = (...args: unknown[]) => void;
/**
 * Process-wide like console itself: the logger the routed lines go to (the latest adapter's) and the router
 * installed on each console method.
 */
const STATE = Symbol.for('vpn-doctor.teams.sdk-console');
const global = globalThis as { [STATE]?: { logger?: Logger; routers: Partial<Record<'error' | 'warn', ConsoleMethod>> } };

/** Source files whose console output is the Bot Framework SDK's (botbuilder, botframework-connector, ...). */
const SDK_FRAME = /[\\/]node_modules[\\/](?:botbuilder[^\\/]*|botframework-[^\\/]+)[\\/]/;

/**
 * botframework-connector prints with console.error on every token it rejects ("Error finding key for
 * token. Available keys: <PEM>", or a whole TokenExpiredError with its stack), and CloudAdapter prints
 * each failed request: on a public endpoint that is a log flood anyone can cause, outside the JSON log.
 * This routes console.error/warn calls made from the SDK's own files into pino at debug level, one line,
 * no stack; every other caller's output goes where it went before. Installed once per process; a later
 * adapter (a restarted server, another test) takes the routed lines over into its own logger, and installs
 * again on top if something else has replaced console.error since (a test's spy).
 */
export function routeSdkConsole(logger: Logger): void {
  const state = (global[STATE] ??= { routers: {} });
  state.logger = logger;
  for (const method of ['error', 'warn'] as const) {
    // Installed already, and still in place: a later adapter only takes the lines over (state.logger).
    if (console[method] === state.routers[method]) continue;
    const current = console[method] as ConsoleMethod;
    const router: ConsoleMethod = (...args: unknown[]) => {
      if (!SDK_FRAME.test(new Error().stack ?? '')) return current.apply(console, args);
      const first = args[0];
      const text = first instanceof Error ? `${first.name}: ${first.message}` : String(first);
      (state.logger ?? logger).debug({ sdk: 'botbuilder', console: method }, text.split('\n')[0]!.slice(0, 160));
    };
    state.routers[method] = router;
    console[method] = router;
  }
}
