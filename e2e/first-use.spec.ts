import { expect, test } from '@playwright/test';
import { addContact, addContacts, newOrg } from './harness';

/** #12's smaller first-use problems, each as a new caseworker at 360 × 740 met it. */

test('[R2] 12/03/1985 is read day first, said back in words, and saved as 1985-03-12', async ({ browser }) => {
  const { context, page } = await newOrg(browser, 'Org Dates');
  await page.goto('/#/contacts/new');
  await page.getByLabel('First name', { exact: true }).fill('Layla');
  await page.getByLabel('Last name', { exact: true }).fill('Khoury');
  await page.getByLabel('Date of birth').fill('12/03/1985');
  await expect(page.getByText('Read as 12 March 1985.')).toBeVisible();
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved Layla Khoury' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Layla Khoury' })).toContainText('born 1985-03-12');
  await context.close();
});

test('[R2] a field error goes away as soon as that field is corrected', async ({ browser }) => {
  const { context, page } = await newOrg(browser, 'Org Errors');
  await page.goto('/#/contacts/new');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByText('Enter the first name.')).toBeVisible();
  await expect(page.getByText('Enter the last name.')).toBeVisible();
  await page.getByLabel('First name', { exact: true }).fill('Amal');
  await expect(page.getByText('Enter the first name.')).toHaveCount(0);
  await expect(page.getByLabel('First name', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  // The other field's error stays until that field is corrected.
  await expect(page.getByText('Enter the last name.')).toBeVisible();
  await context.close();
});

test('[R8] on a likely duplicate, "Same person: merge" comes first and is the prominent button', async ({ browser }) => {
  const { context, page } = await newOrg(browser, 'Org Merge');
  await addContacts(page, [{ first: 'Houman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' }]);
  await addContact(page, { first: 'Hooman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' });
  const actions = page.getByRole('alert').filter({ hasText: 'Likely duplicate' }).getByRole('button');
  await expect(actions.first()).toHaveText('Same person: merge');
  await expect(actions.first()).not.toHaveClass(/secondary/);
  await expect(page.getByRole('button', { name: 'Save anyway' })).toHaveClass(/secondary/);
  await context.close();
});

test('[R3] going offline is shown, with what still works, and the notice leaves when back online', async ({ browser }) => {
  // The test namespace has no network at all, so Chromium reports offline from the start; the
  // browser's online signal is driven here instead (navigator.onLine and its events), as a phone's would change.
  const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 } });
  await context.addInitScript(() => {
    let online = true;
    Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => online });
    (window as unknown as { setOnline(v: boolean): void }).setOnline = (v: boolean) => {
      online = v;
      window.dispatchEvent(new Event(v ? 'online' : 'offline'));
    };
  });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Organisation name').fill('Org Offline');
  await page.getByRole('button', { name: 'Continue' }).click();
  const notice = page.getByRole('status').filter({ hasText: /^Offline\. / });
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  await expect(notice).toHaveCount(0);
  await page.evaluate(() => (window as unknown as { setOnline(v: boolean): void }).setOnline(false));
  await expect(notice).toContainText('What you register is kept on this device');
  await page.evaluate(() => (window as unknown as { setOnline(v: boolean): void }).setOnline(true));
  await expect(notice).toHaveCount(0);
  await context.close();
});

test('[W5] the greyed "Declare a positive test" says why; checkboxes sit beside their labels', async ({ browser }) => {
  const { context, page } = await newOrg(browser, 'Org Witness');
  await page.getByRole('link', { name: 'Witness' }).click();
  const declare = page.getByRole('button', { name: 'Declare a positive test…' });
  await expect(declare).toBeDisabled();
  await expect(declare).toHaveAccessibleDescription(/There are no witness tokens on this device yet/);
  const box = (await page.getByRole('checkbox', { name: /I agree to share my position/ }).boundingBox())!;
  const label = (await page.locator('label.inline').filter({ hasText: 'I agree to share my position' }).boundingBox())!;
  expect(box.width).toBeLessThan(40);
  // Beside, not above: the box lies within the label's line band.
  expect(box.y).toBeGreaterThanOrEqual(label.y - 1);
  expect(box.y + box.height).toBeLessThanOrEqual(label.y + label.height + 1);
  await context.close();
});
