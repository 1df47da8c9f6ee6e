import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Suites start real servers on ephemeral loopback ports; two workers suit the 2-core machines.
    maxWorkers: 2,
    // The summary reporter ends every run with a result line that counts test files that could not
    // load as failures, and lists skipped suites with their reasons.
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
