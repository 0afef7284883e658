import { expect, test } from '@playwright/test';
import { enableProtocol } from './check-helpers';
import { addContacts, connect, newOrg, type Person } from './harness';

const houman: Person = { first: 'Houman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' };
const herman: Person = { first: 'Herman', last: 'Niederkoffler', father: 'Hans', mother: 'Marta', born: '1976-05-07' };
const victor: Person = { first: 'Victor', last: 'Niederhoffler', father: 'Artie', mother: 'Gemma', born: '1976-05-07' };

test('[A1][A4][A5][I8] the seed check between two browsers: A sees known, known, unknown and keeps it', async ({ browser }) => {
  const a = await newOrg(browser, 'Org A');
  const b = await newOrg(browser, 'Org B');
  await addContacts(a.page, [houman, herman, victor]);
  await addContacts(b.page, [houman, herman]);

  await connect(a, b);
  // A6: the seed protocol is off until an admin turns it on, through its warning; then A picks it.
  await enableProtocol(a.page, 'uscadi-v0');
  await a.page.getByRole('radio', { name: /uscadi-v0/ }).check();
  // A11: B's admin has not turned it on: B answers protocol-disabled without asking anyone.
  await a.page.getByRole('button', { name: 'Check overlap with Org B' }).click();
  await expect(a.page.getByText('Org B has not turned this check protocol on, so it cannot answer it.', { exact: false })).toBeVisible();
  await expect(b.page.getByRole('dialog', { name: 'Check request from Org A' })).toHaveCount(0);
  await enableProtocol(b.page, 'uscadi-v0');
  await a.page.getByRole('button', { name: 'Check overlap with Org B' }).click();

  // B sees who asks, which protocol and how many contacts, and consents.
  const prompt = b.page.getByRole('dialog', { name: 'Check request from Org A' });
  await expect(prompt).toContainText('3 contacts');
  await expect(prompt).toContainText('uscadi-v0');
  // A11: what the asker can test, in plain words: at most the entries it announced.
  await expect(prompt).toContainText('Org A can test at most 3 entries of its choosing against your list');
  await prompt.getByRole('button', { name: 'Accept' }).click();

  await expect(a.page.getByText('Check complete: 2 of 3 contacts are also known to Org B.')).toBeVisible();
  await expect(b.page.getByText("You answered Org A's check: 2 of their 3 contacts are known to you.")).toBeVisible();

  // The result is stored per contact and survives a reload (A5).
  await a.page.goto('/#/contacts');
  await a.page.reload();
  const row = (name: string) => a.page.getByRole('listitem').filter({ hasText: name });
  await expect(row('Houman Haddad')).toContainText('Also known to Org B');
  await expect(row('Herman Niederkoffler')).toContainText('Also known to Org B');
  await expect(row('Victor Niederhoffler')).toBeVisible();
  await expect(row('Victor Niederhoffler')).not.toContainText('Also known to');
  // B, which only answered, stores no per-contact result.
  await b.page.goto('/#/contacts');
  await expect(b.page.getByRole('listitem').filter({ hasText: 'Houman Haddad' })).toBeVisible();
  await expect(b.page.getByText('Also known to')).toHaveCount(0);
  await a.context.close();
  await b.context.close();
});

test('[A6] without an admin\'s choice only psi-v2 is offered', async ({ browser }) => {
  const a = await newOrg(browser, 'Org E');
  const b = await newOrg(browser, 'Org F');
  await connect(a, b);
  await expect(a.page.getByRole('radio')).toHaveCount(0);
  await expect(a.page.getByRole('checkbox', { name: /^Allow uscadi-v0/ })).not.toBeChecked();
  await a.page.getByRole('button', { name: 'Check overlap with Org F' }).click();
  await expect(b.page.getByRole('dialog', { name: 'Check request from Org E' })).toContainText('psi-v2');
  await a.context.close();
  await b.context.close();
});

test('[A4] a declined check stores nothing on either side', async ({ browser }) => {
  const a = await newOrg(browser, 'Org C');
  const b = await newOrg(browser, 'Org D');
  await addContacts(a.page, [houman]);
  await addContacts(b.page, [houman]);
  await connect(a, b);
  await a.page.getByRole('button', { name: 'Check overlap with Org D' }).click();
  await b.page.getByRole('dialog', { name: 'Check request from Org C' }).getByRole('button', { name: 'Decline' }).click();
  await expect(a.page.getByText('Org D declined the check.')).toBeVisible();
  await a.page.goto('/#/contacts');
  await expect(a.page.getByRole('listitem').filter({ hasText: 'Houman Haddad' })).toBeVisible();
  await expect(a.page.getByText('Also known to')).toHaveCount(0);
  await a.context.close();
  await b.context.close();
});
