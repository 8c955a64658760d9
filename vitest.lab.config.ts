import { defineConfig } from 'vitest/config';

// The network lab (test/lab): root only, real namespaces and strongSwan. Scenarios share fixed namespace
// names per process and the machine's CPU, so everything runs in one worker, one test at a time.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    include: ['test/lab/**/*.test.ts'],
    globalSetup: ['test/lab/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
