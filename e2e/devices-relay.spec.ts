import { expect, test } from '@playwright/test';
import { goOffline, indicator, names, pair } from './device-helpers';
import { addContacts, newOrg, protect, unlock } from './harness';

const PASSPHRASE_A = 'fig tree by the well 1950';
const PASSPHRASE_B = 'blue door on the hill 12';
const PASSPHRASE_C = 'salt wind over the port 3';

// I10, X4 (§6.7): a revoked phone hands its changes to a device that has not heard of the revocation
// yet; the device that revoked it refuses them when that device passes them on, and the uninformed
// device drops them once the revocation reaches it.
test('[I10] [X4] what a revoked device hands on through a device that has not heard of the revocation reaches no other device, and goes from that one once it hears', async ({ browser }) => {
  test.setTimeout(900_000);
  const a = await newOrg(browser, 'One Relief');
  await protect(a, PASSPHRASE_A);
  const b = await pair(browser, a, 'Field phone 2', 'Sami', PASSPHRASE_B);
  const c = await pair(browser, a, 'Field phone 3', 'Rana', PASSPHRASE_C);
  // All three meet: what A registers reaches both phones.
  await addContacts(a.page, [{ first: 'Amal', last: 'Haddad', father: 'Yusuf', mother: 'Rima', born: '1980-02-03' }]);
  for (const page of [b.page, c.page]) await expect.poll(() => names(page, /Amal/), { timeout: 180_000 }).toBe(1);

  // A, offline, revokes C: only A knows.
  await goOffline(a.context, a.page, PASSPHRASE_A);
  await a.page.goto('/#/devices');
  await a.page.getByRole('button', { name: 'Revoke Field phone 3' }).click();
  await expect(a.page.getByRole('list', { name: 'Paired devices' })).toContainText('revoked');

  // C registers someone; B, which has not heard, takes it from C. B registers someone of its own.
  await addContacts(c.page, [{ first: 'Ziad', last: 'Nasser', father: 'Karim', mother: 'Hind', born: '1979-06-01' }]);
  await expect.poll(() => names(b.page, /Ziad/), { timeout: 180_000 }).toBe(1);
  await addContacts(b.page, [{ first: 'Layla', last: 'Mansour', father: 'Karim', mother: 'Hind', born: '1975-11-12' }]);
  await c.context.close();

  // A comes back and meets B: A takes Layla and refuses Ziad; B hears of the revocation and drops Ziad.
  await a.context.setOffline(false);
  await a.page.reload();
  await unlock(a.page, PASSPHRASE_A);
  await expect(indicator(a.page)).toContainText('Connected to 1 device', { timeout: 180_000 });
  await expect.poll(() => names(a.page, /Layla/), { timeout: 180_000 }).toBe(1);
  expect(await names(a.page, /Ziad/)).toBe(0);
  await expect.poll(() => names(b.page, /Ziad/), { timeout: 180_000 }).toBe(0);
  await expect(b.page.getByRole('link', { name: /Amal/ })).toHaveCount(1);
  await expect(b.page.getByRole('link', { name: /Layla/ })).toHaveCount(1);
  // And it stays so: the next sync between them carries nothing of Ziad either way.
  await addContacts(a.page, [{ first: 'Omar', last: 'Aziz', father: 'Samir', mother: 'Dina', born: '1970-03-04' }]);
  await expect.poll(() => names(b.page, /Omar Aziz/), { timeout: 180_000 }).toBe(1);
  for (const page of [a.page, b.page]) expect(await names(page, /Ziad/)).toBe(0);
  await b.context.close();
  await a.context.close();
});
