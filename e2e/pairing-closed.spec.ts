import { expect, test } from '@playwright/test';
import { newOrg, protect } from './harness';
import { metric } from './witness-helpers';

// I9, I10: a pairing link withdrawn on the admin device (its code screen closed unused) says so at
// once on the new device, with the admin's browser gone: the admin closed the room on the real server.
test.setTimeout(300_000);

test('[I10][I9] a pairing link withdrawn unused reads "withdrawn" at once on the new device, the admin device gone, and nothing is stored', async ({ browser, baseURL }) => {
  const a = await newOrg(browser, 'One Relief');
  await protect(a, 'olive grove at dawn 1948');
  await a.page.getByRole('link', { name: 'Devices' }).click();
  await a.page.getByRole('button', { name: 'Pair a new device' }).click();
  const link = (await a.page.getByLabel('Pairing link').textContent())!;
  const before = await metric(baseURL!, 'ihyid_signaling_rooms_closed_total');
  // Leaving the Devices screen closes the code screen: the code is withdrawn, its room closed.
  await a.page.getByRole('link', { name: 'Contacts' }).click();
  await expect.poll(() => metric(baseURL!, 'ihyid_signaling_rooms_closed_total')).toBeGreaterThan(before);
  await a.context.close();

  const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 } });
  const b = await context.newPage();
  await b.goto(`/${new URL(link).hash}`);
  await b.getByLabel('Name of this device').fill('Field phone 3');
  await b.getByLabel('Your name').fill('Rana');
  await b.getByLabel('New passphrase').fill('cedar road by the sea 77');
  await b.getByLabel('Repeat the passphrase').fill('cedar road by the sea 77');
  await b.getByRole('button', { name: 'Join' }).click();
  await expect(b.getByRole('alert')).toHaveText('This pairing link was withdrawn on the admin device. Ask for a new one.');
  // Nothing was adopted: the page still offers to join, not to unlock.
  await b.reload();
  await expect(b.getByRole('heading', { name: 'Join an organisation' })).toBeVisible();
  await context.close();
});
