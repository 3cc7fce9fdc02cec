import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Tests that start dynalite or the twin open loopback servers; keep workers modest on 2-core CI.
    maxWorkers: 2,
    testTimeout: 20_000,
  },
});
