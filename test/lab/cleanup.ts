/**
 * Teardown that always runs. Each live lab registers a synchronous teardown here; it runs on any
 * process exit (an uncaught exception still emits 'exit') and on SIGINT/SIGTERM/SIGHUP, on top of the try/finally (afterAll) path.
 * A SIGKILL cannot be caught: precleanLeftovers() at the next start removes what such a run left.
 */
type Teardown = () => void;

const live = new Set<Teardown>();
let installed = false;

export function registerTeardown(fn: Teardown): () => void {
  install();
  live.add(fn);
  return () => live.delete(fn);
}

export function runAllTeardownsSync(): void {
  for (const fn of [...live]) {
    live.delete(fn);
    try {
      fn();
    } catch (err) {
      process.stderr.write(`lab teardown error: ${(err as Error).message}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAllTeardownsSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      runAllTeardownsSync();
      // Re-raise with the default action so the exit status still says "killed by signal".
      process.kill(process.pid, sig);
    });
  }
}
