import { expect, test, type Page } from '@playwright/test';
import { connect, newOrg } from './harness';
import { metric } from './witness-helpers';

// I9: a used or revoked link says so at once even when its inviter is offline: the inviter closed the
// link's room on the real server (close-room), and the server alone refuses whoever opens it later.
test.setTimeout(180_000);

const CLOSED = 'ihyid_signaling_rooms_closed_total';
const WAITING = 'Waiting for your partner to open the link…';

/** Opens `link` in a page that has never seen it; its first screen must be the refusal, never a wait. */
async function openRefused(page: Page, link: string, sentence: string): Promise<void> {
  await page.goto(`/${link}`);
  await expect(page.getByRole('alert')).toContainText(sentence);
  await expect(page.getByText(WAITING)).toHaveCount(0);
  // Nothing of the link was kept: no partner is listed.
  await expect(page.getByRole('listitem', { name: /^Partner / })).toHaveCount(0);
}

test('[I9] a used link, its inviter offline: a third organisation reads "already used" at once', async ({ browser, baseURL }) => {
  const a = await newOrg(browser, 'Org A');
  const b = await newOrg(browser, 'Org B');
  const before = await metric(baseURL!, CLOSED);
  await connect(a, b);
  const link = new URL(b.page.url()).hash;
  await expect(a.page.getByRole('listitem', { name: 'Invitation used by Org B' })).toContainText('Used by Org B');
  // The close reached the server (A's own, and B's as the partner it bound) before A goes offline.
  await expect.poll(() => metric(baseURL!, CLOSED)).toBeGreaterThan(before);
  await a.context.close();
  await b.context.close();

  const c = await newOrg(browser, 'Org C');
  await openRefused(c.page, link, 'This invitation link was already used by another organisation. A link works once: ask whoever sent it for a new one.');
  await c.context.close();
});

test('[I9] a link revoked while its inviter was offline is closed once it is back online, then reads "revoked" at once with the inviter gone', async ({ browser, baseURL }) => {
  const a = await newOrg(browser, 'Org A');
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await a.page.getByRole('button', { name: 'Create invitation' }).click();
  const link = new URL(await a.page.getByLabel('Invitation link').inputValue()).hash;
  await expect(a.page.getByText(WAITING)).toBeVisible();

  // Revoked offline: the close is owed, kept on A's device, and goes when the network is back.
  const before = await metric(baseURL!, CLOSED);
  await a.context.setOffline(true);
  await a.page.getByRole('button', { name: 'Revoke' }).click();
  await expect(a.page.getByRole('list').getByText(/Revoked/)).toBeVisible();
  await a.context.setOffline(false);
  await expect.poll(() => metric(baseURL!, CLOSED), { timeout: 60_000 }).toBeGreaterThan(before);
  await a.context.close();

  const c = await newOrg(browser, 'Org C');
  await openRefused(c.page, link, 'This invitation link was revoked by whoever sent it. Ask them for a new one.');
  await c.context.close();
});
