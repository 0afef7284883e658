import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { addContact, addContacts, newOrg } from './harness';

/**
 * X7: axe-core on every screen, in English and in Arabic, at 360 × 740: no serious or critical
 * violation of WCAG 2 A/AA. Each screen is reached by its link, as a user would.
 */
const SCREENS = [
  { hash: '#/contacts', en: 'Contacts' },
  { hash: '#/contacts/new', en: 'New contact' },
  { hash: '#/duplicates', en: 'Likely duplicates' },
  { hash: '#/import', en: 'Import contacts' },
  { hash: '#/export', en: 'Export' },
  { hash: '#/partners', en: 'Partners' },
  { hash: '#/identity', en: 'Identity' },
  { hash: '#/witness', en: 'Exposure witness' },
  { hash: '#/lists', en: 'Distribution lists' },
  { hash: '#/security', en: 'Security' },
];

for (const lang of ['en', 'ar'] as const) {
  test(`[X7] ${lang}: no serious or critical axe violation on any screen`, async ({ browser }) => {
    test.setTimeout(300_000);
    const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 }, locale: lang === 'ar' ? 'ar-LB' : 'en-US' });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    const found: Record<string, string[]> = { 'first run': await seriousViolations(page) };
    await page.locator('#org-name').fill('Org Axe');
    // X3: the first-run screen also holds the restore form, with a submit button of its own.
    await page.locator('form:has(#org-name) button[type="submit"]').click();
    await expect(page.locator('header.topbar')).toBeVisible();
    // A contact and a likely duplicate, so the list, the warning and the review are not empty.
    if (lang === 'en') {
      await addContacts(page, [{ first: 'Houman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' }]);
      await addContact(page, { first: 'Hooman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' });
      await expect(page.getByRole('alert').filter({ hasText: 'Likely duplicate' })).toBeVisible();
      found['duplicate warning'] = await seriousViolations(page);
    }
    for (const s of SCREENS) {
      await page.goto(`/${s.hash}`);
      await expect(page.locator('main h1')).toBeVisible();
      found[s.hash] = await seriousViolations(page);
    }
    // D1, D6: the list form with its field errors, then a created list open with its members.
    await page.goto('/#/lists');
    const form = page.locator('section[aria-labelledby="new-list-title"]');
    await form.locator('.actions button').last().click();
    await expect(form.locator('.field-error').first()).toBeVisible();
    found['#/lists form errors'] = await seriousViolations(page);
    const values = ['Winter', 'MPCA', 'Basic needs', 'Round 1', '2026-12-01', '2027-01-31', '120', 'USD', ''];
    const inputs = form.locator('.grid input');
    for (let i = 0; i < values.length; i++) await inputs.nth(i).fill(values[i]!);
    await form.locator('fieldset .actions button').first().click();
    await form.locator('.actions button').last().click();
    await expect(page.locator('#list-results-title')).toHaveText('Winter');
    found['#/lists open list'] = await seriousViolations(page);
    const all = Object.entries(found).flatMap(([screen, v]) => v.map((x) => `${screen}: ${x}`));
    console.log(JSON.stringify({ axe: lang, screens: Object.keys(found).length, seriousOrCritical: all.length }));
    expect(all).toEqual([]);
    await context.close();
  });
}

test('[X7] keyboard only: register a person and find them, without a mouse', async ({ browser }) => {
  const org = await newOrg(browser, 'Org Keys');
  const { page } = org;
  // From the top of the page, Tab reaches "New contact" and Enter opens it (once the list has drawn it:
  // on a loaded machine the 30 Tabs could otherwise all go by before it exists).
  await expect(page.getByRole('link', { name: 'New contact' })).toBeVisible();
  await page.keyboard.press('Tab');
  let guard = 0;
  while (!(await page.evaluate(() => document.activeElement?.textContent === 'New contact')) && guard++ < 30) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'New contact' })).toBeVisible();
  await page.getByLabel('First name', { exact: true }).focus();
  await page.keyboard.type('Nadia');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Saleh');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await expect(page.getByLabel('Date of birth')).toBeFocused();
  await page.keyboard.type('1988');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved Nadia Saleh' })).toBeVisible();
  await expect(page.getByLabel('Search contacts')).toBeVisible();
  await page.getByLabel('Search contacts').focus();
  await page.keyboard.type('Nad');
  await expect(page.getByRole('listitem').filter({ hasText: 'Nadia Saleh' })).toBeVisible();
  await org.context.close();
});
