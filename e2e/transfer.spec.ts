import { expect, test } from '@playwright/test';
import { people, seedContacts, storedCounts } from './check-helpers';
import { connect, newOrg } from './harness';

test.setTimeout(180_000);

test('[A7][A8] closing one peer mid-transfer stores nothing on either side, and a retry succeeds', async ({ browser }) => {
  // Lists large enough that the exchange lasts seconds, so the close lands in the middle of it.
  const shared = people(500, 'S', '1931-01-01');
  const a = await newOrg(browser, 'Org A');
  const b = await newOrg(browser, 'Org B');
  await seedContacts(a.page, [...shared, ...people(2500, 'A', '1951-01-01')]);
  await seedContacts(b.page, [...shared, ...people(2500, 'B', '1971-01-01')]);
  await connect(a, b);

  await a.page.getByRole('button', { name: 'Check overlap with Org B' }).click();
  await b.page.getByRole('dialog', { name: 'Check request from Org A' }).getByRole('button', { name: 'Accept' }).click();
  // B goes away while points are crossing: its tab closes.
  await expect(b.page.getByText(/^(Sending|Receiving|Blinding the partner's list) \(/)).toBeVisible();
  await b.page.close();

  await expect(a.page.getByRole('alert')).toContainText('The connection to the partner was lost. Nothing half-done was saved');
  expect(await storedCounts(a.page)).toEqual({ overlaps: 0, checks: 0 });
  const b2 = await b.context.newPage();
  await b2.goto('/#/contacts');
  expect(await storedCounts(b2)).toEqual({ overlaps: 0, checks: 0 });

  // A clean restart: the invitation bound them (I9), so B's new page and A meet again by themselves (#12), and the check runs whole.
  await b2.goto('/#/partners');
  await expect(a.page.getByRole('heading', { name: 'Connected to Org B' })).toBeVisible({ timeout: 60_000 });
  await expect(b2.getByRole('heading', { name: 'Connected to Org A' })).toBeVisible();
  await a.page.getByRole('button', { name: 'Check overlap with Org B' }).click();
  await b2.getByRole('dialog', { name: 'Check request from Org A' }).getByRole('button', { name: 'Accept' }).click();
  await expect(a.page.getByText('Check complete: 500 of 3000 contacts are also known to Org B.', { exact: false })).toBeVisible({ timeout: 90_000 });
  await expect(b2.getByText('Check complete: 500 of 3000 contacts are also known to Org A.', { exact: false })).toBeVisible();
  expect(await storedCounts(a.page)).toEqual({ overlaps: 500, checks: 1 });
  expect(await storedCounts(b2)).toEqual({ overlaps: 500, checks: 1 });
  await a.context.close();
  await b.context.close();
});
