import { expect, test } from '@playwright/test';
import { connect, newOrg } from './harness';

test.setTimeout(180_000);

test('[I9] an invitation binds once: listed under the partner\'s name, refused when reopened, and both meet again after a reload without it', async ({ browser }) => {
  const a = await newOrg(browser, 'Org A');
  const b = await newOrg(browser, 'Org B');
  await connect(a, b);
  const link = new URL(b.page.url()).hash;

  // A's link is used up by B, and listed under B's name.
  await expect(a.page.getByRole('listitem', { name: 'Invitation used by Org B' })).toContainText('Used by Org B');
  await expect(a.page.getByLabel('Invitation link')).toHaveCount(0);

  // A third organisation opening the link while A and B are on it gets a clear answer at once: the
  // link was used, and its room closed (e2e/invitations-closed.spec.ts: the same with A offline).
  const c = await newOrg(browser, 'Org C');
  await c.page.goto(`/${link}`);
  await expect(c.page.getByRole('alert')).toContainText('This invitation link was already used by another organisation.');

  // Both reload: no session survives, and nobody asks: each meets the other again under their pair
  // secret (#12), listed once under its name.
  await a.page.reload();
  await b.page.reload();
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await b.page.getByRole('link', { name: 'Partners' }).click();
  await expect(a.page.getByRole('listitem', { name: 'Partner Org B' }).getByRole('heading', { name: 'Connected to Org B' })).toBeVisible();
  await expect(b.page.getByRole('listitem', { name: 'Partner Org A' }).getByRole('heading', { name: 'Connected to Org A' })).toBeVisible();
  // B opens the old link again: its device knows it is bound to A and keeps meeting A as its partner.
  await b.page.goto(`/${link}`);
  await expect(b.page.getByRole('listitem', { name: 'Partner Org A' }).getByRole('heading', { name: 'Connected to Org A' })).toBeVisible();
  await expect(b.page.getByText('Waiting for your partner to open the link…')).toHaveCount(0);
  await expect(a.page.getByRole('listitem', { name: /^Partner / })).toHaveCount(1);

  await a.context.close();
  await b.context.close();
  await c.context.close();
});

test('[I9] an expired link says so at once; a revoked one is no longer offered', async ({ browser }) => {
  const a = await newOrg(browser, 'Org A');
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await a.page.getByLabel('Link valid for').selectOption('1');
  await a.page.getByRole('button', { name: 'Create invitation' }).click();
  const link = new URL(await a.page.getByLabel('Invitation link').inputValue()).hash;
  const expiry = Number(link.split('.').at(-1));
  expect(expiry * 1000 - Date.now()).toBeGreaterThan(23 * 3600_000);

  // The same link with an expiry in the past: the invitee's own device refuses it before any network.
  const b = await newOrg(browser, 'Org B');
  await b.page.goto(`/${link.replace(/\.\d+$/, '.1000000000')}`);
  await expect(b.page.getByRole('alert')).toContainText('This invitation expired on 2001-09-09. Ask your partner for a new one.');
  await expect(b.page.getByText('Waiting for your partner to open the link…')).toHaveCount(0);

  // A revokes its link: it leaves the room, the link is gone, and the list says so.
  await a.page.getByRole('button', { name: 'Revoke' }).click();
  await expect(a.page.getByLabel('Invitation link')).toHaveCount(0);
  await expect(a.page.getByRole('list').getByText(/Revoked/)).toBeVisible();
  await a.context.close();
  await b.context.close();
});
