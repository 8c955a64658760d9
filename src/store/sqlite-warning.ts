/**
 * Node 22 prints "ExperimentalWarning: SQLite is an experimental feature" the first time node:sqlite loads
 * (Node 24 and later do not). To a newcomer that line reads as an error, so exactly that warning is dropped;
 * every other warning, experimental or not, still reaches the default handler. Idempotent.
 */
let installed = false;

export function isSqliteExperimentalWarning(name: unknown, data: unknown): boolean {
  return (
    name === 'warning' &&
    data instanceof Error &&
    data.name === 'ExperimentalWarning' &&
    data.message.startsWith('SQLite is an experimental feature')
  );
}

export function silenceSqliteExperimentalWarning(): void {
  if (installed) return;
  installed = true;
  const emit = process.emit.bind(process) as (event: string | symbol, ...args: unknown[]) => boolean;
  process.emit = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
    if (isSqliteExperimentalWarning(event, args[0])) return false;
    return emit(event, ...args);
  } as typeof process.emit;
}
