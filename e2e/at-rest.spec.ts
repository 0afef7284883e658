import { expect, test, type Page } from '@playwright/test';
import { rawDump } from './at-rest-helpers';
import { addContacts, newOrg } from './harness';
import { importFile, syntheticCsv } from './import-helpers';

const PASSPHRASE = 'olive grove at dawn 1948';

/** The identity key row's PKCS#8 (hex), read raw: in the clear only on a device without a passphrase. */
async function rawSigningKey(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      new Promise<string | null>((resolve, reject) => {
        const open = indexedDB.open('ihyid-identity');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('keys').objectStore('keys').get('self');
          req.onsuccess = () => {
            open.result.close();
            resolve((req.result as { pkcs8?: string } | undefined)?.pkcs8 ?? null);
          };
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

async function unlock(page: Page, passphrase: string): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

test('[X2] with a passphrase, a raw dump of every IndexedDB store shows no typed name, phone, birth date, document number, invitation secret or signing key; a wrong passphrase shows nothing', async ({ browser }) => {
  test.setTimeout(300_000);
  const { page, context } = await newOrg(browser, 'Sealed Relief');
  // Stored in the clear before the passphrase: the first unlock seals it (migration).
  await addContacts(page, [{ first: 'Guillaumette', last: 'Abdelkaderova', father: 'Bartholomew', born: '1961-04-17' }]);
  // The organisation's signing key, as an unprotected device keeps it; after the passphrase it is wrapped under the data key.
  await expect.poll(() => rawSigningKey(page), { timeout: 30_000 }).toMatch(/^[0-9a-f]{64,}$/);
  const signingKey = (await rawSigningKey(page))!;

  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByLabel('New passphrase').fill(PASSPHRASE);
  await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Protect this device' }).click();
  await expect(page.getByRole('heading', { name: 'Unlock Ihyid' })).toBeVisible({ timeout: 60_000 });

  // A wrong passphrase: a plain message, and nothing of the organisation's data.
  await unlock(page, 'olive grove at dusk 1948');
  await expect(page.getByRole('alert')).toContainText('Wrong passphrase', { timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Contacts' })).toHaveCount(0);
  await expect(page.getByText('Guillaumette')).toHaveCount(0);
  // The next attempt waits a second; then the right passphrase opens the app.
  await page.waitForTimeout(1500);
  await unlock(page, PASSPHRASE);
  await expect(page.getByText('Ihyid · Sealed Relief')).toBeVisible({ timeout: 60_000 });

  await addContacts(page, [
    { first: 'محمد', last: 'الحسن', father: 'عبدالرحمن', mother: 'زينب', born: '1984-03-09' },
    { first: 'Maximiliana', last: 'Haddadinejad', father: 'Georgios', mother: 'Mariamne', born: '1991-12-30' },
  ]);
  // A phone and a document number typed by hand.
  await page.goto('/#/contacts/new');
  await page.getByLabel('First name', { exact: true }).fill('Evangelina');
  await page.getByLabel('Last name', { exact: true }).fill('Khouriyeh');
  await page.getByLabel('Date of birth').fill('1975-08-21');
  await page.getByLabel('Phone').fill('+96171234987');
  await page.getByLabel('Identity document number').fill('LB-DOC-55443');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved Evangelina' })).toBeVisible();
  // Search works through the keyed name index.
  await page.goto('/#/contacts');
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('Mohamad');
  await expect.poll(() => page.getByRole('list').getByRole('link').allInnerTexts()).toEqual([expect.stringContaining('الحسن')]);

  const data = syntheticCsv('e2e-at-rest', 200, 20);
  await importFile(page, 'kobo-export.csv', data.csv, 200);
  await expect(page.getByRole('heading', { name: 'Import report' })).toBeVisible({ timeout: 120_000 });

  await page.getByRole('link', { name: 'Partners' }).click();
  await page.getByRole('button', { name: 'Create invitation' }).click();
  const link = await page.getByLabel('Invitation link').inputValue();
  const secret = new URL(link).hash.replace('#/join/', '').split('.')[0]!;
  expect(secret.length).toBeGreaterThan(30);

  const dump = await rawDump(page);
  expect(dump).toContain('db:ihyid');
  expect(dump).toContain('db:ihyid-identity');
  expect(await rawSigningKey(page)).toBeNull();
  const typed = ['Guillaumette', 'Abdelkaderova', 'Bartholomew', '1961-04-17', 'محمد', 'الحسن', 'عبدالرحمن', 'زينب', '1984-03-09', 'Maximiliana', 'Haddadinejad', 'Mariamne', '1991-12-30', 'Evangelina', 'Khouriyeh', '1975-08-21', '+96171234987', 'LB-DOC-55443', secret, signingKey];
  // Imported rows: whole names, E.164 phones (a '+' never occurs in an index hash) and birth dates.
  const imported = data.people
    .slice(0, 50)
    .flatMap((p) => [`${p.row.firstName} ${p.row.lastName}`, p.row.phone.startsWith('+') ? p.row.phone : '', /^19\d\d-\d\d-\d\d$/.test(p.row.birthDate) ? p.row.birthDate : ''])
    .filter((s) => s.length >= 8);
  expect(imported.length).toBeGreaterThan(20);
  for (const s of [...typed, ...imported]) expect(dump.includes(s), s).toBe(false);

  // Lock: 'Lock now' drops every key (the unlock screen, nothing shown); the idle time an admin chose is kept.
  await page.getByRole('link', { name: 'Security' }).click();
  await expect(page.getByLabel('Lock after this long without use')).toHaveValue('5');
  await page.getByLabel('Lock after this long without use').selectOption({ label: '15 minutes' });
  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Unlock Ihyid' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Guillaumette')).toHaveCount(0);
  await unlock(page, PASSPHRASE);
  await expect(page.getByRole('link', { name: 'Security' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('link', { name: 'Security' }).click();
  await expect(page.getByLabel('Lock after this long without use')).toHaveValue('15');
  await context.close();
});
