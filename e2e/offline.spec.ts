import { expect, test } from '@playwright/test';
import { addContacts, listedContacts, newOrg } from './harness';

test('[R3][X5] after one load the app works offline: register, reload, all still there', async ({ browser }) => {
  const org = await newOrg(browser, 'Offline Relief');
  const { page, context } = org;
  // The service worker must control the page before the network goes away.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
  });

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText('Ihyid · Offline Relief')).toBeVisible();

  await addContacts(page, [
    { first: 'Houman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' },
    { first: 'Layla', last: 'Khoury', father: 'Elias', mother: 'Rima', born: '1990' },
  ]);
  await page.reload();
  expect(await listedContacts(page)).toEqual(expect.arrayContaining([expect.stringContaining('Houman Haddad'), expect.stringContaining('Layla Khoury')]));

  // And the worker-computed phonetic id survives too: the duplicate check still works offline (R3, R8).
  await page.goto('/#/contacts/new');
  await page.getByLabel('First name', { exact: true }).fill('Hooman');
  await page.getByLabel('Last name', { exact: true }).fill('Haddad');
  await page.getByLabel("Father's first name").fill('Michael');
  await page.getByLabel("Mother's first name").fill('Barbara');
  await page.getByLabel('Date of birth').fill('1976-05-07');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Likely duplicate' })).toBeVisible();
  await context.setOffline(false);
  await context.close();
});
