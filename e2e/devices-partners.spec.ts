import { expect, test, type Page } from '@playwright/test';
import { pair } from './device-helpers';
import { addContacts, newOrg, protect, unlock, type Org, type Person } from './harness';

const PASSPHRASE_A = 'olive grove at dawn 1948';
const PASSPHRASE_B = 'cedar road by the sea 77';
const PASSPHRASE_C = 'jasmine on the old wall 9';
const houman: Person = { first: 'Houman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' };
const herman: Person = { first: 'Herman', last: 'Niederkoffler', father: 'Hans', mother: 'Marta', born: '1976-05-07' };

const card = (page: Page, partner: string) => page.getByRole('listitem', { name: `Partner ${partner}` });

/** A route change without a reload: a protected device stays unlocked (a reload locks it, X2). */
async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
}

/** The fingerprint the Identity screen shows for partners to compare (I1, I10). */
async function shownFingerprint(page: Page): Promise<string> {
  await go(page, '#/identity');
  const code = page.getByLabel('Key fingerprint', { exact: true });
  await expect(code).toBeVisible({ timeout: 60_000 });
  return (await code.textContent())!;
}

/** I10: how many device revocations of partner organisations this page's identity database keeps. */
async function keptRevocations(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('ihyid-identity');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const count = await new Promise<number>((resolve) => {
      const req = db.transaction('revocations').objectStore('revocations').count();
      req.onsuccess = () => resolve(req.result);
    });
    db.close();
    return count;
  });
}

/** The partner creates an invitation; the device opens it in its own page. */
async function invite(partner: Org, page: Page): Promise<void> {
  await partner.page.getByRole('link', { name: 'Partners' }).click();
  // The partner's screen may still show an earlier link that is still open (one a refused device
  // opened is not spent): wait for the new one, or the device would join the old room.
  const field = partner.page.getByLabel('Invitation link');
  const before = (await field.count()) > 0 ? await field.inputValue() : null;
  await partner.page.getByRole('button', { name: 'Create invitation' }).click();
  if (before !== null) await expect(field).not.toHaveValue(before);
  const link = await field.inputValue();
  await go(page, new URL(link).hash);
}

/** A psi-v2 check from the device's page, which the partner accepts. */
async function check(page: Page, partner: Org): Promise<void> {
  await page.getByRole('button', { name: `Check overlap with ${partner.name}` }).click();
  const prompt = partner.page.getByRole('dialog', { name: 'Check request from One Relief' });
  await prompt.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByText(`Check complete: 1 of 2 contacts are also known to ${partner.name}.`)).toBeVisible({ timeout: 120_000 });
}

test('[I10] [I8] a partner knows the organisation by one fingerprint from its root device and from a paired phone; once the root revokes phone C and meets the partner again, the partner refuses C for checks, while A still checks with it', async ({ browser }) => {
  test.setTimeout(900_000);
  const a = await newOrg(browser, 'One Relief');
  await protect(a, PASSPHRASE_A);
  const b = await pair(browser, a, 'Field phone 2', 'Sami', PASSPHRASE_B);
  const c = await pair(browser, a, 'Field phone 3', 'Rana', PASSPHRASE_C);
  const p = await newOrg(browser, 'Partner Aid');
  await addContacts(p.page, [houman]);
  await addContacts(a.page, [houman, herman]);

  // Every device of the organisation shows the root's fingerprint, the one partners compare.
  const orgFingerprint = await shownFingerprint(a.page);
  expect(await shownFingerprint(b.page)).toBe(orgFingerprint);
  expect(await shownFingerprint(c.page)).toBe(orgFingerprint);

  // The root device A meets the partner and checks with it; the partner sees the organisation's fingerprint.
  await invite(p, a.page);
  await expect(card(a.page, 'Partner Aid').getByRole('heading', { name: 'Connected to Partner Aid' })).toBeVisible({ timeout: 120_000 });
  const ofOrg = card(p.page, 'One Relief');
  await expect(ofOrg.getByRole('heading', { name: 'Connected to One Relief' })).toBeVisible({ timeout: 60_000 });
  await expect(ofOrg.getByLabel("Partner's key fingerprint")).toHaveText(orgFingerprint);
  await check(a.page, p);
  expect(await keptRevocations(p.page)).toBe(0);

  // A revokes C (a lost phone), then meets the partner again (its unlock reconnects the bound partner), handing it the revocation.
  await go(a.page, '#/devices');
  await a.page.getByRole('button', { name: 'Revoke Field phone 3' }).click();
  await expect(a.page.getByRole('list', { name: 'Paired devices' })).toContainText('revoked');
  await a.page.reload();
  await unlock(a.page, PASSPHRASE_A);
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await expect(card(a.page, 'Partner Aid').getByRole('heading', { name: 'Connected to Partner Aid' })).toBeVisible({ timeout: 120_000 });
  // A's checks with the partner still work after the revocation, and the partner now keeps the revocation A handed over.
  await check(a.page, p);
  expect(await keptRevocations(p.page)).toBe(1);

  // C opens a fresh invitation of the partner: refused in the handshake, each side reads why, no check is possible.
  await invite(p, c.page);
  await expect(c.page.getByRole('alert').filter({ hasText: 'The partner refused: your organisation revoked this device.' })).toBeVisible({ timeout: 120_000 });
  await expect(p.page.getByRole('alert').filter({ hasText: 'The partner connected from a device its organisation has revoked' })).toBeVisible({ timeout: 60_000 });
  await expect(c.page.getByRole('button', { name: 'Check overlap with Partner Aid' })).toHaveCount(0);
  await expect(p.page.getByRole('dialog', { name: 'Check request from One Relief' })).toHaveCount(0);
  await expect(p.page.getByRole('listitem', { name: /^Partner / })).toHaveCount(1);

  // B, not revoked, meets the same partner: the partner knows it by the same fingerprint, under the same name.
  await invite(p, b.page);
  await expect(card(b.page, 'Partner Aid').getByRole('heading', { name: 'Connected to Partner Aid' })).toBeVisible({ timeout: 120_000 });
  await expect(ofOrg.getByRole('heading', { name: 'Connected to One Relief' })).toBeVisible({ timeout: 60_000 });
  await expect(ofOrg.getByLabel("Partner's key fingerprint")).toHaveText(orgFingerprint);
  await expect(p.page.getByRole('listitem', { name: /^Partner / })).toHaveCount(1);
  for (const context of [c.context, b.context, a.context, p.context]) await context.close();
});
