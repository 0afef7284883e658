import { expect, test } from '@playwright/test';
import { people, seedContacts, storedCounts, storedOverlapNames } from './check-helpers';
import { connect, newOrg } from './harness';

test.setTimeout(180_000);

test('[A3][A5] psi-v2 by default: 1,000 contacts each, 300 shared, each side sees exactly those 300', async ({ browser }) => {
  const shared = people(300, 'S', '1931-01-01');
  const onlyA = people(700, 'A', '1951-01-01');
  const onlyB = people(700, 'B', '1971-01-01');
  const a = await newOrg(browser, 'Org A');
  const b = await newOrg(browser, 'Org B');
  await seedContacts(a.page, [...shared, ...onlyA]);
  await seedContacts(b.page, [...onlyB, ...shared]);

  await connect(a, b);
  await a.page.getByRole('button', { name: 'Check overlap with Org B' }).click();
  const prompt = b.page.getByRole('dialog', { name: 'Check request from Org A' });
  // A9: both sizes in plain words, and what the asker can test, bounded by what it announced.
  await expect(prompt).toContainText(/asks to check its 1000 contacts \(\d+ entries\)/);
  await expect(prompt.getByLabel('Your side of the check')).toHaveText(/^Your side: 1000 contacts \(\d+ entries\)\.$/);
  await expect(prompt).toContainText(/Org A can test at most the \d+ entries it announced against your list, and learns which of those you hold/);
  await expect(prompt).toContainText('psi-v2');
  await prompt.getByRole('button', { name: 'Accept' }).click();

  // Each contact brings its match keys (R7); the partner's announced size is its contacts and distinct keys (A9).
  await expect(a.page.getByText(/^Check complete: 300 of 1000 contacts are also known to Org B\. Org B announced 1000 contacts \(\d+ entries\)\.$/)).toBeVisible({ timeout: 60_000 });
  await expect(b.page.getByText(/^Check complete: 300 of 1000 contacts are also known to Org A\. Org A announced 1000 contacts \(\d+ entries\)\.$/)).toBeVisible();

  // Exactly the 300 shared people, on both sides, stored per contact (A5).
  const expected = shared.map((p) => `${p.first} ${p.last} ${p.born}`).sort();
  expect((await storedOverlapNames(a.page)).sort()).toEqual(expected);
  expect((await storedOverlapNames(b.page)).sort()).toEqual(expected);
  expect(await storedCounts(a.page)).toEqual({ overlaps: 300, checks: 1 });

  // R5: the results export as CSV, one row per shared contact.
  const download = a.page.waitForEvent('download');
  await a.page.getByRole('button', { name: 'Export overlap results (CSV)' }).click();
  const csv = await (await download).createReadStream().then(async (stream) => {
    let text = '';
    for await (const chunk of stream) text += chunk;
    return text;
  });
  expect(csv.startsWith('\ufeff')).toBe(true);
  const lines = csv.slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('contact_id,first_name,last_name,birth,partner,check_date,protocol,check_id');
  expect(lines).toHaveLength(301);
  expect(lines[1]).toContain(',Org B,');
  expect(lines[1]).toContain(',psi-v2,');
  await a.context.close();
  await b.context.close();
});

test('[A4][I7] a standing rule accepts psi-v2 from an attested partner without asking', async ({ browser }) => {
  const a = await newOrg(browser, 'Org G');
  const b = await newOrg(browser, 'Org H');
  await seedContacts(a.page, people(5, 'S', '1931-01-01'));
  await seedContacts(b.page, people(3, 'S', '1931-01-01'));
  for (const org of [a, b]) {
    await org.page.getByRole('link', { name: 'Identity' }).click();
    await expect(org.page.getByText('Registered', { exact: true })).toBeVisible({ timeout: 30_000 });
    await org.page.getByRole('link', { name: 'Partners' }).click();
  }
  await connect(a, b);

  // Not attested yet: H may accept, but no rule can be made for G.
  await a.page.getByRole('button', { name: 'Check overlap with Org H' }).click();
  let prompt = b.page.getByRole('dialog', { name: 'Check request from Org G' });
  await expect(prompt).toContainText('A standing rule needs an attestation of this partner by an organisation you trust');
  await expect(prompt.getByRole('checkbox')).toHaveCount(0);
  await prompt.getByRole('button', { name: 'Decline' }).click();

  // I7 over the live session: G asks H to attest its name, and H does.
  await a.page.getByRole('link', { name: 'Identity' }).click();
  await b.page.getByRole('link', { name: 'Identity' }).click();
  await a.page.getByRole('listitem', { name: 'Org H' }).getByRole('button', { name: 'Ask Org H to attest our name' }).click();
  await b.page.getByRole('listitem', { name: 'Request from Org G' }).getByRole('button', { name: 'Attest' }).click();
  await expect(b.page.getByRole('listitem', { name: 'Org G' }).getByLabel('Attestations', { exact: true })).toContainText('organisation-name · verified by us');
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await b.page.getByRole('link', { name: 'Partners' }).click();

  await a.page.getByRole('button', { name: 'Check overlap with Org H' }).click();
  prompt = b.page.getByRole('dialog', { name: 'Check request from Org G' });
  await prompt.getByRole('checkbox', { name: 'Always accept psi-v2 checks from Org G while its “organisation-name” attestation holds' }).check();
  await prompt.getByRole('button', { name: 'Accept' }).click();
  await expect(a.page.getByText('Check complete: 3 of 5 contacts are also known to Org H.', { exact: false })).toBeVisible();
  await expect(b.page.getByRole('button', { name: 'Remove rule for Org G' })).toBeVisible();

  // The next request runs without a prompt on H: both sides end up with two stored checks.
  await a.page.getByRole('button', { name: 'Check overlap with Org H' }).click();
  await expect(b.page.getByRole('listitem').filter({ hasText: 'Org G asked you · private check' })).toHaveCount(2);
  await expect(b.page.getByRole('dialog', { name: 'Check request from Org G' })).toHaveCount(0);
  await expect(async () => expect((await storedCounts(a.page)).checks).toBe(2)).toPass();
  await a.context.close();
  await b.context.close();
});
