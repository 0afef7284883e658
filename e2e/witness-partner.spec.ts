import { expect, test } from '@playwright/test';
import { connect } from './harness';
import { newDevice, offset, todayAsShown, turnOnWitness, witnessTokens } from './witness-helpers';

// W5: alerts travel over partner sessions too, not only witness links. A and C stand 5 m apart in
// Beirut and share a token; B is 300 m away and meets neither. A is offline when C declares; B, online,
// keeps the declared token. Later A and B connect as partners (an overlap-check session, no witness
// link) and A learns of its exposure through B.
const SITE = { latitude: 33.8938, longitude: 35.5018 };

test('[W5][W6] an alert held by one partner reaches the other over the partner session and shows the exposure', async ({ browser }) => {
  test.setTimeout(150_000);
  const a = await newDevice(browser, 'Alpha', SITE);
  const c = await newDevice(browser, 'Charlie', offset(SITE, 5));
  const b = await newDevice(browser, 'Bravo', offset(SITE, 300));
  for (const device of [a, c, b]) await turnOnWitness(device.page);

  await test.step('[W3] A and C hold the same token; B, far away, holds none', async () => {
    await expect.poll(() => witnessTokens(a.page), { timeout: 30_000 }).toHaveLength(1);
    await expect.poll(() => witnessTokens(c.page)).toHaveLength(1);
    expect(await witnessTokens(a.page)).toEqual(await witnessTokens(c.page));
    expect(await witnessTokens(b.page)).toEqual([]);
  });

  await test.step('[W5] A goes offline; C declares; B, online, keeps the declared token to pass on', async () => {
    await a.page.close();
    await c.page.getByRole('button', { name: 'Declare a positive test…' }).click();
    await c.page.getByRole('button', { name: 'Yes, declare and alert' }).click();
    await expect(c.page.getByRole('status').filter({ hasText: 'Declared. 1 token was sent and deleted from this device.' })).toBeVisible();
    await expect(b.page.getByText('Declared tokens kept to pass on to devices that were offline: 1')).toBeVisible();
    await expect(b.page.getByRole('alert')).toHaveCount(0);
    await c.context.close();
  });

  await test.step('[W5][W6] A comes back, connects to B as a partner (not a witness), and is alerted', async () => {
    a.page = await a.context.newPage();
    await a.page.goto('/');
    await expect(a.page.getByText('Ihyid · Alpha')).toBeVisible();
    // Witness mode stays off on A: nothing reaches it from the server or a witness link.
    expect(await witnessTokens(a.page)).toHaveLength(1);
    await connect(a, b);
    await expect(a.page.getByRole('link', { name: /Witness.*exposure alert/ })).toBeVisible();
    expect(await witnessTokens(a.page)).toEqual([]);
    await a.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Witness/ }).click();
    const alert = a.page.getByRole('alert').filter({ hasText: 'Possible exposure on' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(await todayAsShown(a.page));
    // B passed the alert on and is not exposed itself.
    await expect(b.page.getByRole('link', { name: /Witness.*exposure alert/ })).toHaveCount(0);
  });

  for (const device of [a, b]) await device.context.close();
});
