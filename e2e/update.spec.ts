import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const PORT = 8182;
const origin = `http://127.0.0.1:${PORT}`;

/** A deployment of its own: a copy of the built app served by a second real server process. */
async function deploy(staticDir: string): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['signaling-server/bin.js'], {
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', STATIC_DIR: staticDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error('server did not start');
}

test('[X5] a new deployment shows "Update available" and reloads into it on request', async ({ browser }) => {
  const dir = mkdtempSync(join(tmpdir(), 'ihyid-deploy-'));
  cpSync('app/dist', dir, { recursive: true });
  const server = await deploy(dir);
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.getByLabel('Organisation name').fill('Update Org');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
      }
    });
    await expect(page.getByText('Update available.')).toHaveCount(0);

    // A new build is deployed: its service worker differs by at least one byte.
    appendFileSync(join(dir, 'sw.js'), '\n// deployment 2\n');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect(page.getByText('Update available.')).toBeVisible();

    // A marker on the old page tells whether the page really reloaded.
    await page.evaluate(() => Object.assign(window, { beforeUpdate: true }));
    await page.getByRole('button', { name: 'Reload to update' }).click();
    // While the reload is under way the old context may vanish mid-evaluate: that counts as "not yet".
    await expect.poll(() => page.evaluate(() => 'beforeUpdate' in window).catch(() => true)).toBe(false);
    await expect(page.getByText('Ihyid · Update Org')).toBeVisible();
    await expect(page.getByText('Update available.')).toHaveCount(0);
    const registration = await page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return { waiting: r?.waiting ?? null, active: r?.active?.state, controlled: navigator.serviceWorker.controller !== null };
    });
    expect(registration).toEqual({ waiting: null, active: 'activated', controlled: true });
    await context.close();
  } finally {
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});
