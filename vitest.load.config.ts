import { defineConfig } from 'vitest/config';

// The load-and-abuse suite (test/abuse, `npm run test:load`): each file floods a real server on loopback and
// asserts that /healthz stays within bounds of its own idle figure. Those ratios only mean something when
// nothing else competes for the CPU, so the files run one at a time, apart from `npm test`.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    include: ['test/abuse/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
