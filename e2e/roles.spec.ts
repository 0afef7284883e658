import { expect, test, type Page } from '@playwright/test';
import { seriousViolations } from './axe';
import { addContacts, connect, newOrg, type Person } from './harness';

const ADMIN = { name: 'Amal', passphrase: 'olive grove at dawn 1948' };
const CASEWORKER = { name: 'Bashir', passphrase: 'bashir cedar passphrase' };
const CHECKER = { name: 'Carim', passphrase: 'carim harbour passphrase' };
const philomena: Person = { first: 'Philomena', last: 'Abukhater', father: 'Gaspard', mother: 'Odile', born: '1969-10-02' };
const houman: Person = { first: 'Houman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' };

async function unlockAs(page: Page, user: { name: string; passphrase: string }): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Unlock Ihyid' })).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('User', { exact: true }).selectOption(user.name);
  await page.getByLabel('Passphrase', { exact: true }).fill(user.passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('link', { name: 'Security' })).toBeVisible({ timeout: 60_000 });
}

async function lock(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Unlock Ihyid' })).toBeVisible({ timeout: 60_000 });
}

async function addUser(page: Page, user: { name: string; passphrase: string }, role: string): Promise<void> {
  await page.getByLabel('User name', { exact: true }).fill(user.name);
  await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
  await page.getByLabel('Initial passphrase').fill(user.passphrase);
  await page.getByRole('button', { name: 'Add a user' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${user.name} was added` })).toBeVisible({ timeout: 60_000 });
}

test('[X1] an admin protects the device and adds a caseworker and a checker; the checker sees counts only and is refused a contact by menu, URL and store; the caseworker registers and searches; the admin resets a passphrase and removes a user', async ({ browser }) => {
  test.setTimeout(420_000);
  const a = await newOrg(browser, 'Roles Relief', { devtools: true });
  const { page } = a;
  await addContacts(page, [philomena, houman]);
  await page.goto('/#/contacts');
  await page.getByRole('link', { name: /Philomena Abukhater/ }).click();
  await expect(page).toHaveURL(/#\/contacts\/[0-9a-f-]{36}$/);
  const contactId = page.url().split('/').pop()!;

  // The first protection makes the first user, an admin; the set-up says what a lost passphrase costs.
  await page.getByRole('link', { name: 'Security' }).click();
  await expect(page.getByText("If the last administrator's passphrase is lost, nobody can recover the data on this device, except by restoring a backup.")).toBeVisible();
  await page.getByLabel("Administrator's user name").fill(ADMIN.name);
  await page.getByLabel('New passphrase').fill(ADMIN.passphrase);
  await page.getByLabel('Repeat the passphrase').fill(ADMIN.passphrase);
  await page.getByRole('button', { name: 'Protect this device' }).click();
  await unlockAs(page, ADMIN);

  await page.getByRole('link', { name: 'Security' }).click();
  await addUser(page, CASEWORKER, 'Caseworker');
  await addUser(page, CHECKER, 'Checker');
  await expect(page.getByLabel(`Role of ${CHECKER.name}`)).toHaveValue('checker');
  // X7: the users panel and, below, the unlock screen with its user list pass axe.
  expect(await seriousViolations(page)).toEqual([]);
  // The last admin cannot step down.
  await page.getByLabel(`Role of ${ADMIN.name}`).selectOption('caseworker');
  await expect(page.getByRole('alert')).toContainText('This is the last administrator');
  await expect(page.getByLabel(`Role of ${ADMIN.name}`)).toHaveValue('admin');
  await lock(page);

  // The checker: no contact list, no contact by URL, no contact through the store; the count only.
  await expect(page.getByLabel('User', { exact: true }).locator('option')).toHaveText([ADMIN.name, CASEWORKER.name, CHECKER.name]);
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/');
  await unlockAs(page, CHECKER);
  await expect(page.getByRole('heading', { name: 'Partners' })).toBeVisible();
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: 'Contacts' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Duplicates' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Devices' })).toHaveCount(0);
  await page.goto(`/#/contacts/${contactId}`);
  await expect(page.getByRole('alert')).toContainText('This screen is not allowed for your role on this device.');
  await page.goto('/#/contacts');
  await expect(page.getByRole('alert')).toContainText('not allowed for your role');
  await expect(page.getByText('Philomena')).toHaveCount(0);
  const fromPage = await page.evaluate(async (id) => {
    const stores = window.__ihyidStores!;
    const refused = (p: Promise<unknown>) => p.then(() => 'answered', (e: { code?: string }) => e.code ?? 'other');
    return { get: await refused(stores.contacts.get(id)), search: await refused(stores.contacts.search('Philomena', 5)), count: await stores.contacts.count() };
  }, contactId);
  expect(fromPage).toEqual({ get: 'role-forbidden', search: 'role-forbidden', count: 2 });
  await page.getByRole('link', { name: 'Security' }).click();
  await expect(page.getByRole('heading', { name: 'Users of this device' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Backup' })).toHaveCount(0);

  // The checker still runs a check: the worker pool reads the keys, the screen shows counts.
  const b = await newOrg(browser, 'Partner Aid');
  await addContacts(b.page, [houman]);
  await connect(a, b);
  await page.getByRole('button', { name: 'Check overlap with Partner Aid' }).click();
  await b.page.getByRole('dialog', { name: 'Check request from Roles Relief' }).getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByText('Check complete: 1 of 2 contacts are also known to Partner Aid.')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText('Houman')).toHaveCount(0);
  await b.context.close();
  await lock(page);

  // The caseworker: the contact list, registering and searching; no admin screens.
  await unlockAs(page, CASEWORKER);
  await page.goto('/#/contacts');
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  await addContacts(page, [{ first: 'Zenobia', last: 'Khalilzadeh', father: 'Darius', mother: 'Roxana', born: '1990-01-15' }]);
  await page.goto('/#/contacts');
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('Zenobia');
  await expect.poll(() => page.getByRole('list').getByRole('link').allInnerTexts()).toEqual([expect.stringContaining('Khalilzadeh')]);
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('Philomena');
  await expect.poll(() => page.getByRole('list').getByRole('link').allInnerTexts()).toEqual([expect.stringContaining('Abukhater')]);
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Devices' })).toHaveCount(0);
  await page.goto('/#/devices');
  await expect(page.getByRole('alert')).toContainText('not allowed for your role');
  await lock(page);

  // The admin resets the checker's forgotten passphrase and removes the caseworker.
  await unlockAs(page, ADMIN);
  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByLabel('User', { exact: true }).selectOption(CHECKER.name);
  await page.getByLabel('New passphrase for this user').fill('carim new harbour phrase');
  await page.getByRole('button', { name: 'Reset the passphrase' }).click();
  await expect(page.getByRole('status').filter({ hasText: `The passphrase of ${CHECKER.name} was reset` })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: `Remove ${CASEWORKER.name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${CASEWORKER.name} was removed` })).toBeVisible();
  await lock(page);
  await expect(page.getByLabel('User', { exact: true }).locator('option')).toHaveText([ADMIN.name, CHECKER.name]);
  await page.getByLabel('User', { exact: true }).selectOption(CHECKER.name);
  await page.getByLabel('Passphrase', { exact: true }).fill(CHECKER.passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong passphrase', { timeout: 60_000 });
  // The next attempt waits a second (X2), then the new passphrase opens.
  await page.waitForTimeout(1500);
  await unlockAs(page, { name: CHECKER.name, passphrase: 'carim new harbour phrase' });
  await a.context.close();
});
