import { expect, test } from '@playwright/test';
import { indicator, names, pair } from './device-helpers';
import { addContacts, newOrg, protect } from './harness';

const PASSPHRASE_A = 'fig tree by the well 1950';
const PASSPHRASE_B = 'blue door on the hill 12';
const PASSPHRASE_C = 'salt wind over the port 3';

// I10, X1 (#16 item 2): the admin gives each new device its role when the codes match. A device
// paired as admin pairs the next one itself (its chain goes through it to the root); a device paired
// as a caseworker's does not pair at all, and what it registers reaches the root device.
test('[I10] [X1] a laptop paired as admin pairs a phone; the phone, paired as a caseworker\'s, cannot pair, and the root device takes what it registers', async ({ browser }) => {
  test.setTimeout(600_000);
  const a = await newOrg(browser, 'One Relief');
  await protect(a, PASSPHRASE_A);
  const laptop = await pair(browser, a, 'Coordinator laptop', 'Sami', PASSPHRASE_B, 'admin');
  // The laptop pairs the phone from its own Devices screen.
  const phone = await pair(browser, laptop, 'Field phone 3', 'Rana', PASSPHRASE_C);

  await phone.page.goto('/#/devices');
  await expect(phone.page.getByText('This device was paired as a caseworker device: only an admin device pairs or revokes devices.')).toBeVisible();
  await expect(phone.page.getByRole('button', { name: 'Pair a new device' })).toHaveCount(0);

  // The root device never paired the phone: it learns of it from the laptop, and meets it itself,
  // which its check of the phone's chain (phone ← laptop ← root) lets through.
  await a.page.goto('/#/contacts');
  await expect(indicator(a.page)).toContainText('Connected to 2 devices', { timeout: 180_000 });
  // With the laptop gone, what the phone registers can only come to the root device from the phone.
  await laptop.context.close();
  await addContacts(phone.page, [{ first: 'Ziad', last: 'Nasser', father: 'Karim', mother: 'Hind', born: '1979-06-01' }]);
  await expect.poll(() => names(a.page, /Ziad/), { timeout: 180_000 }).toBe(1);
  for (const org of [phone, a]) await org.context.close();
});
