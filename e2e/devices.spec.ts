import { expect, test, type Page } from '@playwright/test';
import { addContacts, newOrg, protect, unlock } from './harness';

const PASSPHRASE_A = 'olive grove at dawn 1948';
const PASSPHRASE_B = 'cedar road by the sea 77';

/** Both devices press "Sync" on their Devices screen; returns once both report the sync done. */
async function syncBoth(a: Page, b: Page): Promise<void> {
  for (const page of [a, b]) {
    await page.goto('/#/devices');
    await page.getByRole('button', { name: 'Sync with another device' }).click();
  }
  for (const page of [a, b]) await expect(page.getByRole('status').filter({ hasText: /^Synced:/ })).toBeVisible({ timeout: 120_000 });
}

async function editLocation(page: Page, name: string, location: string): Promise<void> {
  await page.goto('/#/contacts');
  await page.getByRole('link', { name: new RegExp(name) }).click();
  await page.getByLabel('Location').fill(location);
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved/ })).toBeVisible({ timeout: 30_000 });
}

test('[X4] [I10] device B paired from A by link and code; both register apart, including the same contact edited on both; they converge, the conflict is chosen field by field, the cross-device duplicate flagged; the used link is refused; once B is revoked its changes are refused', async ({ browser }) => {
  test.setTimeout(600_000);
  const a = await newOrg(browser, 'One Relief');
  await protect(a, PASSPHRASE_A);

  // A shows the pairing link; B, a fresh browser, opens it instead of setting up an organisation.
  await a.page.getByRole('link', { name: 'Devices' }).click();
  await a.page.getByRole('button', { name: 'Pair a new device' }).click();
  const link = (await a.page.getByLabel('Pairing link').textContent())!;
  expect(link).toMatch(/#\/pair\/[A-Za-z0-9_-]{43}\./);
  await expect(a.page.getByRole('img', { name: 'Pairing code to scan' })).toBeVisible();
  const contextB = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 } });
  const b = await contextB.newPage();
  await b.goto(`/${new URL(link).hash}`);
  await expect(b.getByRole('heading', { name: 'Join an organisation' })).toBeVisible();
  await b.getByLabel('Name of this device').fill('Field phone 2');
  await b.getByLabel('Your name').fill('Sami');
  await b.getByLabel('New passphrase').fill(PASSPHRASE_B);
  await b.getByLabel('Repeat the passphrase').fill(PASSPHRASE_B);
  await b.getByRole('button', { name: 'Join' }).click();
  const onB = b.getByRole('status').filter({ hasText: 'Check that the admin device shows the same code' });
  await expect(onB).toBeVisible({ timeout: 120_000 });
  const code = /(\d{3} \d{3})/.exec((await onB.textContent())!)![1]!;
  const onA = a.page.getByRole('group', { name: 'Pair a new device' });
  await expect(onA).toContainText(`It must be ${code}.`, { timeout: 60_000 });
  await expect(onA).toContainText('Field phone 2');
  await onA.getByRole('button', { name: 'The codes match' }).click();
  await expect(a.page.getByRole('status').filter({ hasText: 'Field phone 2 is now a device of this organisation.' })).toBeVisible({ timeout: 60_000 });
  await expect(b.getByRole('status').filter({ hasText: 'This device now belongs to One Relief' })).toBeVisible({ timeout: 120_000 });
  await b.getByRole('button', { name: 'Unlock' }).click();
  await unlock(b, PASSPHRASE_B);
  await expect(b.getByText('Ihyid · One Relief')).toBeVisible({ timeout: 60_000 });
  await expect(a.page.getByRole('list', { name: 'Paired devices' })).toContainText('Field phone 2 · caseworker');

  // The same link on a third browser: the spent code's room is closed (I9), so the server refuses it at once.
  const contextC = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 } });
  const c = await contextC.newPage();
  await c.goto(`/${new URL(link).hash}`);
  await c.getByLabel('Name of this device').fill('Stolen phone');
  await c.getByLabel('Your name').fill('Nobody');
  await c.getByLabel('New passphrase').fill('another passphrase 1');
  await c.getByLabel('Repeat the passphrase').fill('another passphrase 1');
  await c.getByRole('button', { name: 'Join' }).click();
  await expect(c.getByRole('alert')).toHaveText('This pairing link was already used by another device. Ask the admin device for a new one.', { timeout: 120_000 });
  await contextC.close();

  // Apart: each registers people, one of them the same person on both.
  await addContacts(a.page, [
    { first: 'Amal', last: 'Haddad', father: 'Yusuf', mother: 'Rima', born: '1980-02-03' },
    { first: 'Sami', last: 'Khoury', father: 'Elias', mother: 'Nour', born: '1990-07-08' },
  ]);
  await addContacts(b, [
    { first: 'Layla', last: 'Mansour', father: 'Karim', mother: 'Hind', born: '1975-11-12' },
    { first: 'Sami', last: 'Khoury', father: 'Elias', mother: 'Nour', born: '1990-07-08' },
  ]);
  await syncBoth(a.page, b);
  for (const page of [a.page, b]) {
    await page.goto('/#/contacts');
    await expect(page.getByRole('link', { name: /Amal/ })).toBeVisible();
    await expect(page.getByRole('link', { name: /Layla/ })).toBeVisible();
    await expect(page.getByRole('link', { name: /Sami/ })).toHaveCount(2);
    // The same person registered on both devices is flagged on both, with why.
    await page.goto('/#/duplicates');
    await expect(page.getByRole('article', { name: /Sami Khoury and Sami Khoury/ })).toBeVisible();
  }

  // Both edit Amal's location while apart: after sync both versions are kept and shown.
  await editLocation(a.page, 'Amal', 'Tripoli, Bab al-Tabbaneh');
  await editLocation(b, 'Amal', 'Beirut, Hamra');
  await syncBoth(a.page, b);
  await a.page.goto('/#/duplicates');
  const conflict = a.page.getByRole('article', { name: /Amal Haddad: changed on two devices/ });
  await expect(conflict).toBeVisible({ timeout: 30_000 });
  const location = conflict.getByRole('group', { name: 'Location' });
  await expect(location.getByRole('radio')).toHaveCount(2);
  await location.getByRole('radio', { name: 'Beirut, Hamra' }).check();
  await conflict.getByRole('button', { name: 'Keep the chosen values' }).click();
  await expect(conflict).toHaveCount(0, { timeout: 30_000 });
  await syncBoth(a.page, b);
  for (const page of [a.page, b]) {
    await page.goto('/#/duplicates');
    await expect(page.getByRole('article', { name: /changed on two devices/ })).toHaveCount(0);
    await page.goto('/#/contacts');
    await page.getByRole('link', { name: /Amal/ }).click();
    await expect(page.getByLabel('Location')).toHaveValue('Beirut, Hamra');
  }

  // A revokes B (a lost phone). B registers someone afterwards: A refuses B's sync, and B reads why.
  await a.page.goto('/#/devices');
  await a.page.getByRole('button', { name: 'Revoke Field phone 2' }).click();
  await expect(a.page.getByRole('list', { name: 'Paired devices' })).toContainText('revoked');
  await addContacts(b, [{ first: 'Nadia', last: 'Saleh', father: 'Omar', mother: 'Huda', born: '1988-04-05' }]);
  for (const page of [a.page, b]) {
    await page.goto('/#/devices');
    await page.getByRole('button', { name: 'Sync with another device' }).click();
  }
  await expect(a.page.getByRole('alert')).toHaveText('The sync did not complete: the other device was revoked, so nothing was exchanged with it.', { timeout: 120_000 });
  await expect(b.getByRole('alert')).toHaveText('The sync did not complete: this device was revoked by the organisation; its changes are refused.', { timeout: 120_000 });
  await a.page.goto('/#/contacts');
  await expect(a.page.getByRole('link', { name: /Layla/ })).toBeVisible();
  await expect(a.page.getByRole('link', { name: /Nadia/ })).toHaveCount(0);
  await contextB.close();
  await a.context.close();
});
