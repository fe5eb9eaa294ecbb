import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests, and integration tests that start real Platforms and real sockets.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Integration tests start servers and child processes: keep them from fighting over 2 cores.
          maxWorkers: 1,
        },
      },
    ],
  },
});
