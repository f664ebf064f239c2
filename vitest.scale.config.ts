import { defineConfig } from 'vitest/config';

/** `npm run test:scale`: the tests of size (test/scale/), run by CI after `npm test`. */
export default defineConfig({
  test: {
    include: ['test/scale/**/*.test.ts'],
    globalSetup: ['test/support/epubcheck-service.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    maxWorkers: 2,
  },
});
