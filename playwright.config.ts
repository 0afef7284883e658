import { defineConfig } from '@playwright/test';
import { E2E_METRICS_TOKEN } from './e2e/support/metrics-token';

// Real parts only: the built app served by the real signaling server process, real Chromium,
// one browser context per organisation. scripts/e2e.mjs runs this inside a loopback-only namespace.
const port = Number(process.env.E2E_PORT ?? 8181);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'on-first-retry',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || undefined,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--allow-loopback-in-peer-connection',
      ],
    },
  },
  webServer: {
    command: 'node signaling-server/bin.js',
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: { PORT: String(port), HOST: '127.0.0.1', STATIC_DIR: 'app/dist', METRICS_TOKEN: E2E_METRICS_TOKEN },
  },
});
