import { defineConfig } from 'vitest/config';

// Unit tests only: fakes, fake-indexeddb, in-memory channels. Browser tests live in e2e/ (Playwright),
// and the stores' contract suites run on Chromium's IndexedDB too (vitest.browser.config.ts).
export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'signaling-server/test/**/*.test.ts', 'app/src/**/*.test.ts', 'app/test/**/*.test.ts'],
    // In Chromium instead (vitest.browser.config.ts): the stores' contracts on real IndexedDB.
    exclude: ['**/node_modules/**', 'app/src/**/*.browser.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // A hook that starts a server process (and Redis) waits for its "listening" line: on a loaded 2-core machine that took over 10 s.
    hookTimeout: 30_000,
  },
});
