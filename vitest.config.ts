import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/shared-builds.ts', 'test/support/redis-setup.ts'],
    // Builds launch Chromium and check EPUBs: slower than unit tests, not flaky.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: each test file may start a browser or a JVM.
    maxWorkers: 2,
  },
});
