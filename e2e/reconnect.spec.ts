import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect, test, type Page } from '@playwright/test';
import { connect, newOrg, protect, unlock } from './harness';

test.setTimeout(300_000);

// Its own signaling server (which also serves the built app), so that the test can stop and start
// it: the one Playwright starts lives for the whole run.
const PORT = Number(process.env.E2E_RESTART_PORT ?? 8191);
const ORIGIN = `http://127.0.0.1:${PORT}`;

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['signaling-server/bin.js'], { env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', STATIC_DIR: 'app/dist' }, stdio: 'ignore' });
  await expect
    .poll(async () => fetch(`${ORIGIN}/healthz`).then((r) => r.ok, () => false), { timeout: 30_000 })
    .toBe(true);
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/**
 * The service worker controls the page, so a reload works while the server is down (X5). A page that
 * loaded while the worker was still activating can miss its claim and stay uncontrolled; the next
 * load after activation is controlled.
 */
async function controlled(page: Page): Promise<void> {
  await page.evaluate(async () => void (await navigator.serviceWorker.ready));
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);
}

const card = (page: Page, partner: string) => page.getByRole('listitem', { name: `Partner ${partner}` });
const partnerCards = (page: Page) => page.getByRole('listitem', { name: /^Partner / });

test('[I9][#12] bound partners meet again by themselves after a reload and after the server restarts, one named entry each', async ({ browser }) => {
  let server = await startServer();
  try {
    const a = await newOrg(browser, 'Org A', { baseURL: ORIGIN });
    const b = await newOrg(browser, 'Org B', { baseURL: ORIGIN });
    await connect(a, b);
    await expect(card(a.page, 'Org B').getByRole('heading', { name: 'Connected to Org B' })).toBeVisible();
    await expect(partnerCards(a.page)).toHaveCount(1);
    await expect(partnerCards(b.page)).toHaveCount(1);

    // B reloads on its contact list: the app meets A again from its bonds, without B asking. B's page
    // is new, so a connection on it is a new one; it takes both sides.
    await b.page.goto('/#/contacts');
    await b.page.reload();
    await b.page.getByRole('link', { name: 'Partners' }).click();
    await expect(card(b.page, 'Org A').getByRole('heading', { name: 'Connected to Org A' })).toBeVisible();
    await expect(card(a.page, 'Org B').getByRole('heading', { name: 'Connected to Org B' })).toBeVisible();
    await expect(partnerCards(b.page)).toHaveCount(1);

    // The server stops. The open session would not need it, so B reloads too: B's page comes from its
    // service worker, and both sides now need the server to meet. Each says it cannot reach it.
    await controlled(b.page);
    await stopServer(server);
    await b.page.reload();
    await b.page.getByRole('link', { name: 'Partners' }).click();
    await expect(card(b.page, 'Org A').getByRole('alert')).toContainText('The connection server cannot be reached.', { timeout: 60_000 });
    await expect(card(a.page, 'Org B').getByRole('alert')).toContainText('The connection server cannot be reached.', { timeout: 60_000 });

    // The server starts again, with no memory of any room: both come back by themselves.
    server = await startServer();
    await expect(card(b.page, 'Org A').getByRole('heading', { name: 'Connected to Org A' })).toBeVisible({ timeout: 90_000 });
    await expect(card(a.page, 'Org B').getByRole('heading', { name: 'Connected to Org B' })).toBeVisible({ timeout: 90_000 });
    await expect(partnerCards(a.page)).toHaveCount(1);
    await expect(partnerCards(b.page)).toHaveCount(1);
    await a.context.close();
    await b.context.close();
  } finally {
    await stopServer(server);
  }
});

test('[X2][#12] a protected device meets its partners only while unlocked: nothing from the unlock screen, gone when it locks, back by itself after the unlock', async ({ browser }) => {
  const PASSPHRASE = 'olive grove at dawn 1948';
  const a = await newOrg(browser, 'Org A');
  const b = await newOrg(browser, 'Org B');
  await connect(a, b);
  const connectedToA = card(b.page, 'Org A').getByRole('heading', { name: 'Connected to Org A' });
  const waitingForA = card(b.page, 'Org A').getByRole('status').filter({ hasText: 'Waiting for Org A to come online…' });
  await expect(connectedToA).toBeVisible();
  // Every connection A's page opens to the signaling server (Socket.IO over a WebSocket).
  const sockets: string[] = [];
  a.page.on('websocket', (ws) => sockets.push(ws.url()));

  // A protects itself: its page reloads locked. B sees A go and waits for it; A's unlock screen, whose
  // database is not open, reaches for nobody.
  let before = sockets.length;
  await protect(a, PASSPHRASE, { locked: true });
  await expect(waitingForA).toBeVisible({ timeout: 60_000 });
  expect(sockets.slice(before)).toEqual([]);

  // Unlocked, A meets B from its (now sealed) bonds without anyone asking: B sees it while A is still
  // on the Security screen.
  await unlock(a.page, PASSPHRASE);
  await expect(connectedToA).toBeVisible({ timeout: 60_000 });
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await expect(card(a.page, 'Org B').getByRole('heading', { name: 'Connected to Org B' })).toBeVisible();
  await expect(partnerCards(a.page)).toHaveCount(1);

  // 'Lock now' ends A's connections with its keys; the locked page again reaches for nobody.
  await a.page.getByRole('link', { name: 'Security' }).click();
  before = sockets.length;
  await a.page.getByRole('button', { name: 'Lock now' }).click();
  await expect(a.page.getByRole('heading', { name: 'Unlock Ihyid' })).toBeVisible({ timeout: 60_000 });
  await expect(waitingForA).toBeVisible({ timeout: 60_000 });
  expect(sockets.slice(before)).toEqual([]);

  await unlock(a.page, PASSPHRASE);
  await expect(connectedToA).toBeVisible({ timeout: 60_000 });
  await expect(partnerCards(b.page)).toHaveCount(1);
  await a.context.close();
  await b.context.close();
});
