import { defineConfig } from 'vitest/config';

// Unit tests only: fakes, fake-indexeddb, in-memory channels. Browser tests live in e2e/ (Playwright).
export default defineConfig({
  test: {
    include: ['shared/test/**/*.test.ts', 'signaling-server/test/**/*.test.ts', 'app/src/**/*.test.ts', 'app/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
