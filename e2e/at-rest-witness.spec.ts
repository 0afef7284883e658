import { expect, test } from '@playwright/test';
import { rawDump, rawKeys } from './at-rest-helpers';
import { protect } from './harness';
import { newDevice, offset, todayAsShown, turnOnWitness, witnessTokens } from './witness-helpers';

const SITE = { latitude: 33.8938, longitude: 35.5018 };
const PASSPHRASE = 'cedar shade at noon 1926';

/** The local calendar day as the witness store writes it (W6), in the page's zone. */
const localDay = (page: import('@playwright/test').Page) =>
  page.evaluate(() => {
    const now = new Date();
    return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  });

test('[X2][W3][W5][W6] with a passphrase, the witness database shows no token and no meeting day: rows held before are sealed by the first unlock, later tokens, alerts and exposures are written sealed', async ({ browser }) => {
  test.setTimeout(300_000);
  // A will be protected; B, 5 m away, keeps its data in the clear, so its tokens (the same as A's) can be read raw.
  const a = await newDevice(browser, 'Sealed Witness', SITE);
  const b = await newDevice(browser, 'Open Witness', offset(SITE, 5));
  for (const device of [a, b]) await turnOnWitness(device.page);
  await expect.poll(() => witnessTokens(a.page), { timeout: 30_000 }).toHaveLength(1);
  await expect.poll(() => witnessTokens(b.page)).toHaveLength(1);
  const before = await witnessTokens(b.page);
  // Without a passphrase a token is its row's key, in the clear.
  expect(await witnessTokens(a.page)).toEqual(before);
  expect(before[0]).toMatch(/^[0-9a-f]{64}$/);

  // The passphrase: the first unlock names A's token by a keyed id and seals it.
  await protect(a, PASSPHRASE);
  const sealedIds = await rawKeys(a.page, 'ihyid-witness', 'ownTokens');
  expect(sealedIds).toHaveLength(1);
  expect(sealedIds[0]).toMatch(/^[0-9a-f]{32}$/);
  expect(sealedIds).not.toEqual(before);

  // Witness mode again on A, unlocked: a new meeting with B is written sealed.
  await turnOnWitness(a.page);
  await expect.poll(() => witnessTokens(b.page), { timeout: 30_000 }).toHaveLength(2);
  await expect.poll(() => rawKeys(a.page, 'ihyid-witness', 'ownTokens')).toHaveLength(2);
  const tokens = await witnessTokens(b.page);

  // B declares: A, online, is alerted; the alerts it keeps to pass on and its exposure are sealed too.
  await b.page.getByRole('button', { name: 'Declare a positive test…' }).click();
  await b.page.getByRole('button', { name: 'Yes, declare and alert' }).click();
  await expect(b.page.getByRole('status').filter({ hasText: 'Declared. 2 tokens were sent and deleted from this device.' })).toBeVisible({ timeout: 60_000 });
  const alert = a.page.getByRole('alert').filter({ hasText: 'Possible exposure on' });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  await expect(alert).toContainText(await todayAsShown(a.page));
  await expect.poll(() => rawKeys(a.page, 'ihyid-witness', 'heldAlerts')).toHaveLength(2);
  expect(await rawKeys(a.page, 'ihyid-witness', 'exposureDays')).toHaveLength(1);

  const all = await rawDump(a.page);
  expect(all).toContain('db:ihyid-witness');
  for (const token of tokens) expect(all.includes(token), token).toBe(false);
  const witness = await rawDump(a.page, ['ihyid-witness']);
  expect(witness).toContain('store:exposureDays');
  // The meeting's day (the exposure's, and the one each held token carried): 10 characters that random bytes do not make.
  expect(witness.includes(await localDay(a.page))).toBe(false);
  for (const device of [a, b]) await device.context.close();
});
