import { expect, test, type Page } from '@playwright/test';
import { goOffline, indicator, names, pair } from './device-helpers';
import { addContacts, newOrg, protect } from './harness';

const PASSPHRASE_A = 'olive grove at dawn 1948';
const PASSPHRASE_B = 'cedar road by the sea 77';
const PASSPHRASE_C = 'jasmine on the old wall 9';

async function editLocation(page: Page, name: string, location: string): Promise<void> {
  await page.goto('/#/contacts');
  await page.getByRole('link', { name: new RegExp(name) }).click();
  await page.getByLabel('Location').fill(location);
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Saved/ })).toBeVisible({ timeout: 30_000 });
}

test('[X4] [I10] three devices of one organisation: B and C paired from A register and edit offline (the same contact on both), come online in turn and all three converge by themselves; the conflict is shown and resolved, the cross-device duplicate flagged, and its merge history shows on every device; once C is revoked its changes reach neither A nor B', async ({ browser }) => {
  test.setTimeout(900_000);
  const a = await newOrg(browser, 'One Relief');
  await protect(a, PASSPHRASE_A);
  // #16 item 2: the idle time A's admin chose is organisation policy: a device paired later takes it.
  await a.page.goto('/#/security');
  await a.page.getByLabel('Lock after this long without use').selectOption({ label: '15 minutes' });
  const b = await pair(browser, a, 'Field phone 2', 'Sami', PASSPHRASE_B);
  await b.page.goto('/#/security');
  await expect(b.page.getByLabel('Lock after this long without use')).toHaveValue('15');

  // B's link on another browser: the spent code's room is closed (I9), so the server refuses it at once.
  const stranger = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 } });
  const s = await stranger.newPage();
  await s.goto(`/${new URL(b.link).hash}`);
  await s.getByLabel('Name of this device').fill('Stolen phone');
  await s.getByLabel('Your name').fill('Nobody');
  await s.getByLabel('New passphrase').fill('another passphrase 1');
  await s.getByLabel('Repeat the passphrase').fill('another passphrase 1');
  await s.getByRole('button', { name: 'Join' }).click();
  await expect(s.getByRole('alert')).toHaveText('This pairing link was already used by another device. Ask the admin device for a new one.', { timeout: 120_000 });
  await stranger.close();

  const c = await pair(browser, a, 'Field phone 3', 'Rana', PASSPHRASE_C);

  // Online together, nobody presses anything: what A registers reaches both caseworkers' phones.
  await addContacts(a.page, [{ first: 'Amal', last: 'Haddad', father: 'Yusuf', mother: 'Rima', born: '1980-02-03' }]);
  for (const page of [b.page, c.page]) await expect.poll(() => names(page, /Amal/), { timeout: 120_000 }).toBe(1);
  await expect(indicator(a.page)).toContainText('Connected to 2 devices', { timeout: 120_000 });

  // Apart: B and C register people (the same person on both) and both edit Amal.
  await goOffline(b.context, b.page, PASSPHRASE_B);
  await goOffline(c.context, c.page, PASSPHRASE_C);
  await addContacts(b.page, [
    { first: 'Layla', last: 'Mansour', father: 'Karim', mother: 'Hind', born: '1975-11-12' },
    { first: 'Sami', last: 'Khoury', father: 'Elias', mother: 'Nour', born: '1990-07-08' },
  ]);
  await addContacts(c.page, [
    { first: 'Rami', last: 'Saad', father: 'Fadi', mother: 'Salma', born: '1985-01-09' },
    { first: 'Sami', last: 'Khoury', father: 'Elias', mother: 'Nour', born: '1990-07-08' },
  ]);
  await editLocation(b.page, 'Amal', 'Beirut, Hamra');
  await editLocation(c.page, 'Amal', 'Tripoli, Bab al-Tabbaneh');
  // The indicator counts what no sync has carried yet.
  await expect(indicator(b.page)).toContainText('changes waiting');

  // Online in turn: B meets A; then C meets A and B. All three end with the same people.
  await b.context.setOffline(false);
  await expect.poll(() => names(a.page, /Layla/), { timeout: 180_000 }).toBe(1);
  await c.context.setOffline(false);
  for (const page of [a.page, b.page, c.page]) {
    await expect.poll(() => names(page, /Rami/), { timeout: 180_000 }).toBe(1);
    await expect.poll(() => names(page, /Sami/), { timeout: 180_000 }).toBe(2);
    await expect(page.getByRole('link', { name: /Layla/ })).toHaveCount(1);
    await expect(page.getByRole('link', { name: /Amal/ })).toHaveCount(1);
    // The same person registered on B and on C is flagged on every device, with why; Amal's two edits are kept as a conflict.
    await page.goto('/#/duplicates');
    await expect(page.getByRole('article', { name: /Sami Khoury and Sami Khoury/ })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('article', { name: /Amal Haddad: changed on two devices/ })).toBeVisible({ timeout: 60_000 });
  }
  await expect(indicator(b.page)).not.toContainText('waiting', { timeout: 60_000 });

  // A caseworker resolves it field by field on B; the choice reaches A and C by itself.
  const conflict = b.page.getByRole('article', { name: /Amal Haddad: changed on two devices/ });
  const location = conflict.getByRole('group', { name: 'Location' });
  await expect(location.getByRole('radio')).toHaveCount(2);
  await location.getByRole('radio', { name: 'Beirut, Hamra' }).check();
  await conflict.getByRole('button', { name: 'Keep the chosen values' }).click();
  await expect(conflict).toHaveCount(0, { timeout: 30_000 });
  for (const page of [a.page, c.page]) {
    await page.goto('/#/duplicates');
    await expect(page.getByRole('article', { name: /changed on two devices/ })).toHaveCount(0, { timeout: 120_000 });
    await page.goto('/#/contacts');
    await page.getByRole('link', { name: /Amal/ }).click();
    await expect(page.getByLabel('Location')).toHaveValue('Beirut, Hamra');
  }

  // A merges the cross-device duplicate: the merge, its decision and its history reach B and C.
  await a.page.goto('/#/duplicates');
  const duplicate = a.page.getByRole('article', { name: /Sami Khoury and Sami Khoury/ });
  await duplicate.getByRole('button', { name: 'Same person: merge' }).click();
  await a.page.getByRole('region', { name: 'Same person: choose what to keep' }).getByRole('button', { name: 'Merge with these values' }).click();
  await expect(duplicate).toHaveCount(0, { timeout: 30_000 });
  for (const page of [a.page, b.page, c.page]) {
    await expect.poll(() => names(page, /Sami/), { timeout: 120_000 }).toBe(1);
    await page.getByRole('link', { name: /Sami Khoury/ }).click();
    await expect(page.getByRole('list', { name: 'Merged records' }).getByRole('listitem')).toHaveCount(1, { timeout: 60_000 });
    await page.goto('/#/duplicates');
    await expect(page.getByRole('article', { name: /Sami Khoury and Sami Khoury/ })).toHaveCount(0, { timeout: 60_000 });
  }

  // A revokes C (a lost phone). C registers someone afterwards: neither A nor B takes it, and C reads why.
  await a.page.goto('/#/devices');
  await a.page.getByRole('button', { name: 'Revoke Field phone 3' }).click();
  await expect(a.page.getByRole('list', { name: 'Paired devices' })).toContainText('revoked');
  await expect(indicator(c.page)).toContainText('This device was revoked', { timeout: 120_000 });
  await addContacts(c.page, [{ first: 'Nadia', last: 'Saleh', father: 'Omar', mother: 'Huda', born: '1988-04-05' }]);
  // A and B still sync with each other: what A registers now reaches B, and never C.
  await addContacts(a.page, [{ first: 'Omar', last: 'Aziz', father: 'Samir', mother: 'Dina', born: '1970-03-04' }]);
  await expect.poll(() => names(b.page, /Omar Aziz/), { timeout: 120_000 }).toBe(1);
  for (const page of [a.page, b.page]) expect(await names(page, /Nadia/)).toBe(0);
  expect(await names(c.page, /Omar Aziz/)).toBe(0);
  await c.context.close();
  await b.context.close();
  await a.context.close();
});
