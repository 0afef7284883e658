import { expect, test } from '@playwright/test';
import { metric, newDevice, offset, storedText, todayAsShown, turnOnWitness, witnessTokens } from './witness-helpers';

// Four phones in a distribution site, in Beirut. A and B stand 5 m apart, D 12 m west of A (17 m from
// B), C 200 m away. The server runs with its defaults (15 m, 1 s ticks, reports every 10 s): each
// device reports at once when witness mode starts, so no test step waits for a 10 s period.
const SITE = { latitude: 33.8938, longitude: 35.5018 };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/;

test('[W1][W2][W3][W4][W5][W6] nearby phones share a token; a declaration alerts B online and D later through B', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const a = await newDevice(browser, 'Alpha', SITE);
  const b = await newDevice(browser, 'Bravo', offset(SITE, 5));
  const c = await newDevice(browser, 'Charlie', offset(SITE, 200));
  const d = await newDevice(browser, 'Delta', offset(SITE, -12));
  for (const device of [a, b, c, d]) await turnOnWitness(device.page);

  await test.step('[W2][W3] A and B 5 m apart hold the same token, A and D another; C 200 m away holds none', async () => {
    await expect.poll(() => witnessTokens(a.page), { timeout: 30_000 }).toHaveLength(2);
    await expect.poll(() => witnessTokens(b.page)).toHaveLength(1);
    await expect.poll(() => witnessTokens(d.page)).toHaveLength(1);
    const [ta, tb, td] = await Promise.all([witnessTokens(a.page), witnessTokens(b.page), witnessTokens(d.page)]);
    expect(ta).toEqual([...tb, ...td].sort());
    expect(tb).not.toEqual(td);
    for (const token of ta) expect(token).toMatch(/^[0-9a-f]{64}$/);
    await expect(a.page.getByText('Witness tokens on this device: 2')).toBeVisible();
    // C had every tick since to be matched with someone, and never was.
    await a.page.waitForTimeout(2500);
    expect(await witnessTokens(c.page)).toEqual([]);
    expect(await witnessTokens(b.page)).toEqual(tb);
  });

  await test.step('[W1] session and contact ids are never stored on the device', async () => {
    for (const device of [a, b, d]) expect(await storedText(device.page)).not.toMatch(UUID);
  });

  await test.step('D closes the app: it is offline during the declaration', async () => {
    await d.page.close();
  });

  await test.step('[W5] A declares after confirming; its tokens leave the device once the server acknowledges', async () => {
    await a.page.getByRole('button', { name: 'Declare a positive test…' }).click();
    await expect(a.page.getByText(/This sends your 2 witness tokens/)).toBeVisible();
    await a.page.getByRole('button', { name: 'Yes, declare and alert' }).click();
    await expect(a.page.getByRole('status').filter({ hasText: 'Declared. 2 tokens were sent and deleted from this device.' })).toBeVisible();
    expect(await witnessTokens(a.page)).toEqual([]);
    await expect(a.page.getByRole('alert')).toHaveCount(0);
  });

  await test.step('[W6] B, online, is alerted with the day of the meeting; its matching token is deleted', async () => {
    const alert = b.page.getByRole('alert').filter({ hasText: 'Possible exposure on' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(await todayAsShown(b.page));
    await expect(alert).toContainText('What to do');
    await expect(alert).not.toContainText(/\d{1,2}:\d{2}/); // the day, never the hour
    expect(await witnessTokens(b.page)).toEqual([]);
    await expect(b.page.getByRole('link', { name: /Witness.*exposure alert/ })).toBeVisible();
    // C, exposed to no one, keeps the declared tokens to pass them on.
    await expect(c.page.getByText('Declared tokens kept to pass on to devices that were offline: 2')).toBeVisible();
    await expect(c.page.getByRole('alert')).toHaveCount(0);
    // W7: A's own session heard its declaration back (it went over a connection of its own): no exposure.
    await expect(a.page.getByRole('alert')).toHaveCount(0);
  });

  await test.step('[W5][W6] D comes back online near B (17 m from A) and learns of its exposure through B', async () => {
    await d.context.setGeolocation(offset(SITE, 17));
    d.page = await d.context.newPage();
    await d.page.goto('/#/witness');
    // Holding a token, D's app loaded witnessing at start; the declaration is over, so nothing came from the server.
    await turnOnWitness(d.page);
    const alert = d.page.getByRole('alert').filter({ hasText: 'Possible exposure on' });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(alert).toContainText(await todayAsShown(d.page));
    // Its token with A is gone; it holds only the new token made with B.
    await expect.poll(() => witnessTokens(d.page)).toHaveLength(1);
    const [tb, td] = await Promise.all([witnessTokens(b.page), witnessTokens(d.page)]);
    expect(td).toEqual(tb);
  });

  await test.step('[W2] once every device has gone, the server holds no position', async () => {
    for (const device of [a, b, c, d]) await device.context.close();
    await expect.poll(() => metric(baseURL!, 'ihyid_witness_positions_held'), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => metric(baseURL!, 'ihyid_witness_sessions')).toBe(0);
  });
});
