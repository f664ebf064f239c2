import { defineConfig } from 'vitest/config';

/**
 * `npm test`. The scale tests (test/scale/: a 5 MB manuscript, the CommonMark spec and a dozen READMEs,
 * every language in every edition) are `npm run test:scale` (vitest.scale.config.ts), which CI runs after.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/scale/**', '**/node_modules/**'],
    // EPUBCheck and redis-server installed when missing, the EPUBCheck service, the fixtures several files read.
    globalSetup: ['test/support/shared-builds.ts', 'test/support/redis-setup.ts'],
    // Builds launch Chromium and check EPUBs: slower than unit tests, not flaky.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: each test file may start a browser.
    maxWorkers: 2,
    // A worker runs file after file with the modules it loaded (the build, puppeteer, MuPDF) instead of loading
    // them again for each: the files keep no state in shared modules (a test that sets the environment restores it).
    isolate: false,
  },
});
