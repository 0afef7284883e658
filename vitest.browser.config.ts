import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// #14 item 1: the stores' contract suites in real Chromium, on its own IndexedDB (`*.browser.test.ts`).
// Debian's Chromium where CHROMIUM_PATH names it (Playwright cannot download its own here), else Playwright's.
const executablePath = process.env.CHROMIUM_PATH || undefined;
export default defineConfig({
  test: {
    include: ['app/src/**/*.browser.test.ts'],
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: { executablePath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] },
      }),
      instances: [{ browser: 'chromium' }],
      screenshotFailures: false,
    },
  },
});
