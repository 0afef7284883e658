import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { unlock, type Org } from './harness';

// Devices of one organisation (I10, X4): what devices.spec.ts and devices-partners.spec.ts share.

/** A shows a fresh pairing link; a new browser opens it, both compare the code, A gives it `role` and confirms. */
export async function pair(
  browser: Browser,
  a: Pick<Org, 'page'>,
  label: string,
  user: string,
  passphrase: string,
  role: 'admin' | 'caseworker' | 'checker' = 'caseworker',
): Promise<{ context: BrowserContext; page: Page; link: string }> {
  await a.page.goto('/#/contacts');
  await a.page.getByRole('link', { name: 'Devices' }).click();
  await a.page.getByRole('button', { name: 'Pair a new device' }).click();
  const link = (await a.page.getByLabel('Pairing link').textContent())!;
  expect(link).toMatch(/#\/pair\/[A-Za-z0-9_-]{43}\./);
  await expect(a.page.getByRole('img', { name: 'Pairing code to scan' })).toBeVisible();
  const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(`/${new URL(link).hash}`);
  await expect(page.getByRole('heading', { name: 'Join an organisation' })).toBeVisible();
  await page.getByLabel('Name of this device').fill(label);
  await page.getByLabel('Your name').fill(user);
  await page.getByLabel('New passphrase').fill(passphrase);
  await page.getByLabel('Repeat the passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Join' }).click();
  const onNew = page.getByRole('status').filter({ hasText: 'Check that the admin device shows the same code' });
  await expect(onNew).toBeVisible({ timeout: 120_000 });
  const code = /(\d{3} \d{3})/.exec((await onNew.textContent())!)![1]!;
  const onA = a.page.getByRole('group', { name: 'Pair a new device' });
  await expect(onA).toContainText(`It must be ${code}.`, { timeout: 60_000 });
  await expect(onA).toContainText(label);
  await onA.getByLabel('Role of the new device').selectOption(role);
  await onA.getByRole('button', { name: 'The codes match' }).click();
  await expect(a.page.getByRole('status').filter({ hasText: `${label} is now a device of this organisation.` })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('status').filter({ hasText: 'This device now belongs to One Relief' })).toBeVisible({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Unlock' }).click();
  await unlock(page, passphrase);
  await expect(page.getByText('Ihyid · One Relief')).toBeVisible({ timeout: 60_000 });
  await expect(a.page.getByRole('list', { name: 'Paired devices' })).toContainText(`${label} · ${role}`);
  return { context, page, link };
}

/** The service worker serves the page, so it reloads (and unlocks) with the network off (X5). */
export async function goOffline(context: BrowserContext, page: Page, passphrase: string): Promise<void> {
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true);
  await context.setOffline(true);
  // The reload locks the device and ends its links; unlocked again, it cannot reach the server.
  await page.reload();
  await unlock(page, passphrase);
  await expect(indicator(page)).toContainText('Offline', { timeout: 120_000 });
}

export const indicator = (page: Page) => page.getByRole('group', { name: 'Device sync' });

export async function names(page: Page, name: RegExp): Promise<number> {
  await page.goto('/#/contacts');
  return page.getByRole('link', { name }).count();
}

