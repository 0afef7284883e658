import { expect, test } from '@playwright/test';
import { addContact, addContacts, listedContacts, newOrg } from './harness';

test('[R7][R8] Arabic script and Latin spellings of one person warn, with the reasons; twins do not', async ({ browser }) => {
  const { page, context } = await newOrg(browser, 'Tyre Relief');
  await addContacts(page, [{ first: 'Hassan', last: 'El Khoury', father: 'Ali', mother: 'Zeinab', born: '2001-03-04' }]);
  // Hussein is Hassan's twin: same parents, family name and birth date, another name. No warning.
  await addContacts(page, [{ first: 'Hussein', last: 'El Khoury', father: 'Ali', mother: 'Zeinab', born: '2001-03-04' }]);

  await addContact(page, { first: 'حسن', last: 'الخوري', father: 'علي', mother: 'زينب', born: '2001-04-03' });
  const warning = page.getByRole('alert').filter({ hasText: 'Likely duplicate' });
  await expect(warning).toContainText('Hassan El Khoury');
  await expect(warning).toContainText("same first and last name and both parents' names");
  await expect(warning).toContainText('same first and last name (as pronounced) and birth date');
  // #15 item 2: the local scorer's verdict, with the evidence field by field.
  await expect(warning).toContainText('Likely the same person');
  await warning.getByText('Field by field').click();
  const evidence = warning.getByRole('list', { name: 'Field by field' });
  await expect(evidence).toContainText("Father's name: sounds the same");
  await expect(evidence).toContainText('Birth date: day and month swapped');
  expect(await listedContacts(page)).toHaveLength(2);
  await context.close();
});

test('[R8] first and family names swapped at the second registration: likely, and the warning says they are swapped', async ({ browser }) => {
  const { page, context } = await newOrg(browser, 'Nabatieh Relief');
  await addContacts(page, [{ first: 'Rania', last: 'Haddad', father: 'Ali', mother: 'Zeinab', born: '1995-06-20' }]);
  await addContact(page, { first: 'Haddad', last: 'Rania', father: 'Ali', mother: 'Zeinab', born: '1995-06-20' });
  const warning = page.getByRole('alert').filter({ hasText: 'Likely duplicate' });
  await expect(warning).toContainText('Likely the same person');
  await expect(warning).toContainText('First and last names are swapped between the two records.');
  await context.close();
});

test('[R8][R9] a one-letter typo in the family name shares no match key: found by blocking, warned as likely with the reasons; the twin is not', async ({ browser }) => {
  const { page, context } = await newOrg(browser, 'Akkar Relief');
  // No father, place or phone: every match key of these records carries the family name.
  await addContacts(page, [{ first: 'Karim', last: 'Haddad', mother: 'Zeinab', born: '1990-07-15' }]);
  // Karim's twin shares his family name, mother and birth date (a blocking term): scored, no pair, no warning.
  await addContacts(page, [{ first: 'Hussein', last: 'Haddad', mother: 'Zeinab', born: '1990-07-15' }]);

  await addContact(page, { first: 'Karim', last: 'Haddaf', mother: 'Zeinab', born: '1990-07-15' });
  const warning = page.getByRole('alert').filter({ hasText: 'Likely duplicate' });
  await expect(warning).toContainText('Karim Haddad');
  await expect(warning).toContainText('Likely the same person');
  await expect(warning).not.toContainText('Hussein');
  await expect(warning).toContainText('no match key is shared, but the birth date, phone or name is');
  await warning.getByText('Field by field').click();
  const evidence = warning.getByRole('list', { name: 'Field by field' });
  await expect(evidence).toContainText('Last name: similar (a typo apart)');
  await expect(evidence).toContainText('First name: the same');
  expect(await listedContacts(page)).toHaveLength(2);
  await context.close();
});

test('[R8] "Save anyway" remembers the pair as different people; "Same person: merge" keeps one record', async ({ browser }) => {
  const { page, context } = await newOrg(browser, 'Sidon Relief');
  await addContacts(page, [{ first: 'Mohammad', last: 'Haddad', father: 'Ahmad', mother: 'Fatima', born: '1980-01-02' }]);

  await addContact(page, { first: 'Muhammad', last: 'Hadad', father: 'Ahmed', mother: 'Fatmeh', born: '1980' });
  await expect(page.getByRole('alert').filter({ hasText: 'Likely duplicate' })).toBeVisible();
  await page.getByRole('button', { name: 'Save anyway' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved Muhammad' })).toBeVisible();

  // Editing the second record does not ask again about the pair already decided.
  await page.getByRole('link', { name: /Muhammad Hadad/ }).click();
  await page.getByLabel('Notes').fill('Second registration, another person');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved Muhammad' })).toBeVisible();

  // A third registration of the first one, merged: the list keeps two records.
  await addContact(page, { first: 'Mohamed', last: 'Haddad', father: 'Ahmad', mother: 'Fatima', born: '1980-01-02' });
  await page.getByRole('button', { name: 'Same person: merge' }).first().click();
  await page.getByRole('button', { name: 'Merge with these values' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Merged into' })).toBeVisible();
  await page.reload();
  expect(await listedContacts(page)).toHaveLength(2);
  await context.close();
});
