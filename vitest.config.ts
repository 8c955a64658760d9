import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    include: ['test/**/*.test.ts'],
    // A real PostgreSQL server for the store and replica tests (test/support/postgres.ts).
    globalSetup: ['./test/support/postgres-global-setup.ts'],
    // The lab (root, namespaces) and the load-and-abuse suite (CPU-bound floods) have their own runs.
    exclude: ['test/lab/**', 'test/abuse/**', 'node_modules/**'],
    // Most suites wait on sockets, child processes and timers rather than on the CPU. Vitest's default of
    // one worker per core less one leaves a 2-core machine running the files one after another; four
    // workers overlap the waiting (the suite took 6 minutes with one worker, see README "Tests").
    maxWorkers: Math.max(4, availableParallelism() - 1),
    // Test files share a worker's module cache rather than importing the whole server again for each file:
    // importing was half the run (129 s of import time against 64 s of wall time without it). Tests therefore
    // leave no global state behind (vi.unstubAllEnvs, servers closed, timers cleared), as they must anyway.
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
