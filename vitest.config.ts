import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-article.ts', 'test/support/redis-setup.ts'],
    // Builds launch Chromium and run epubcheck (Java): slower than unit tests, not flaky.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: each test file may start a browser or a JVM.
    maxWorkers: 2,
  },
});
