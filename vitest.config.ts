import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Suites start real servers on ephemeral loopback ports; two workers suit the 2-core machines.
    maxWorkers: 2,
  },
});
