import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { newOrg } from './harness';

interface Registration {
  first: string;
  last: string;
  father: string;
  mother: string;
  born: string;
  sex?: string;
  phone?: string;
}

/** The form's labels in one language (the catalogue's words). */
const EN = { first: 'First name', last: 'Last name', father: "Father's first name", mother: "Mother's first name", born: 'Date of birth', sex: 'Sex', phone: 'Phone', save: 'Save contact' };
const AR = { first: 'الاسم الأول', last: 'اسم العائلة', father: 'اسم الأب', mother: 'اسم الأم', born: 'تاريخ الولادة', sex: 'الجنس', phone: 'الهاتف', save: 'حفظ' };

async function register(page: Page, p: Registration, label = EN): Promise<void> {
  await page.goto('/#/contacts/new');
  await page.getByLabel(label.first, { exact: true }).fill(p.first);
  await page.getByLabel(label.last, { exact: true }).fill(p.last);
  await page.getByLabel(label.father).fill(p.father);
  await page.getByLabel(label.mother).fill(p.mother);
  await page.getByLabel(label.born).fill(p.born);
  if (p.sex) await page.getByLabel(label.sex).selectOption({ label: p.sex });
  if (p.phone) await page.getByLabel(label.phone).fill(p.phone);
  await page.getByRole('button', { name: label.save, exact: true }).click();
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

async function search(page: Page, query: string): Promise<string[]> {
  await page.goto('/#/contacts');
  await page.getByLabel('Search contacts').fill(query);
  // One match among one contact: the list shows the search's result, not the previous one.
  await expect(page.getByText('1 match · 1 contact')).toBeVisible();
  return page.getByRole('list').getByRole('link').allInnerTexts();
}

test('[R8][X8] "Same person: merge" chooses field by field, keeps the other spelling as a name that finds the person, and shows the history', async ({ browser }) => {
  const { page, context } = await newOrg(browser, 'Nabatieh Relief');
  const fatima = { first: 'Fatima', last: 'Haddad', father: 'Ahmad', mother: 'Zeinab', born: '1990-05-12' };
  await register(page, { ...fatima, sex: 'Female' });
  await expect(page.getByRole('status').filter({ hasText: 'Saved Fatima' })).toBeVisible();

  // The same woman registered again in Arabic script, sex unknown, with a phone the first record lacks.
  await register(page, { first: 'فاطمة', last: 'حداد', father: 'أحمد', mother: 'زينب', born: '1990-05-12', phone: '+96170123456' });
  await expect(page.getByRole('alert').filter({ hasText: 'Likely duplicate' })).toContainText('Fatima Haddad');
  await page.getByRole('button', { name: 'Same person: merge' }).click();

  const choice = page.getByRole('region', { name: 'Same person: choose what to keep' });
  // Focus moves to the choice, so a keyboard user starts there.
  await expect(choice.getByRole('heading', { name: 'Same person: choose what to keep' })).toBeFocused();
  // Cancel goes back to the button that opened it; Enter opens the choice again, by keyboard alone.
  await choice.getByRole('button', { name: 'Cancel' }).click();
  await expect(choice).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Same person: merge' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(choice.getByRole('heading', { name: 'Same person: choose what to keep' })).toBeFocused();
  // By default the known value wins whichever record holds it: the kept record's sex, the new phone.
  await expect(choice.getByRole('group', { name: 'Sex' }).getByRole('radio', { name: /Female/ })).toBeChecked();
  await expect(choice.getByRole('group', { name: 'Sex' }).getByRole('radio', { name: /Unknown/ })).not.toBeChecked();
  await expect(choice.getByRole('group', { name: 'Phone' }).getByRole('radio', { name: /\+96170123456/ })).toBeChecked();
  await expect(choice.getByRole('group', { name: 'First name' }).getByRole('radio', { name: /Fatima/ })).toBeChecked();
  // The birth dates agree, so they are not asked about.
  await expect(choice.getByRole('group', { name: 'Date of birth' })).toHaveCount(0);
  // A choice by keyboard: the mother's name in Arabic script (arrow keys move within a radio group).
  await choice.getByRole('group', { name: "Mother's first name" }).getByRole('radio', { name: /Zeinab/ }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(choice.getByRole('group', { name: "Mother's first name" }).getByRole('radio', { name: /زينب/ })).toBeChecked();
  await expect(choice).toContainText('Kept as other names');
  await choice.getByRole('button', { name: 'Merge with these values' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Merged into Fatima Haddad' })).toBeVisible();

  // One person remains; the Arabic spelling finds her, also by its first letters alone (only her other name has them).
  // The row says which other name she has, so the match is explained.
  expect(await search(page, 'فاطمة')).toEqual([expect.stringMatching(/Fatima Haddad.*also فاطمة حداد/s)]);
  expect(await search(page, 'فا')).toEqual([expect.stringContaining('Fatima Haddad')]);

  // Her page: the chosen values, the other name, and the merged record as it was, with who merged it.
  await page.getByRole('link', { name: /Fatima Haddad/ }).click();
  await expect(page.getByRole('heading', { name: 'Edit contact' })).toBeVisible();
  await expect(page.getByLabel('Sex')).toHaveValue('female');
  await expect(page.getByLabel('Phone')).toHaveValue('+96170123456');
  await expect(page.getByLabel("Mother's first name")).toHaveValue('زينب');
  await expect(page.getByRole('list', { name: 'Other names' })).toContainText('فاطمة حداد');
  const history = page.getByRole('list', { name: 'Merged records' }).getByRole('listitem');
  await expect(history).toHaveCount(1);
  await expect(history).toContainText('فاطمة حداد');
  await expect(history).toContainText('father أحمد');
  await expect(history).toContainText('+96170123456');
  await expect(history).toContainText(/merged on \d{4}-\d{2}-\d{2} by admin/);

  // An edit recomputes her keys from the form and from her other name: she is still found under it.
  await page.getByLabel('Notes').fill('Registered twice, merged');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved Fatima' })).toBeVisible();
  await register(page, { first: 'فاطمة', last: 'حداد', father: 'أحمد', mother: 'Zeinab', born: '1990-05-12' });
  await expect(page.getByRole('alert').filter({ hasText: 'Likely duplicate' })).toContainText('Fatima Haddad');
  await context.close();
});

test('[X6][X7] in Arabic: the field choice and the merge history are translated, values isolated, with no serious axe violation', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 }, locale: 'ar-LB' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.locator('#org-name').fill('Org Merge');
  await page.locator('form:has(#org-name) button[type="submit"]').click();
  await expect(page.locator('header.topbar')).toBeVisible();
  await register(page, { first: 'Houman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' }, AR);
  await expect(page).toHaveURL(/#\/contacts$/);
  await register(page, { first: 'Hooman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07', sex: 'أنثى' }, AR);
  await page.getByRole('button', { name: 'الشخص نفسه: دمج' }).click();

  const choice = page.getByRole('region', { name: 'الشخص نفسه: اختر ما تُبقيه' });
  await expect(choice.getByRole('group', { name: 'الجنس' }).getByRole('radio', { name: /أنثى/ })).toBeChecked();
  await expect(choice.getByRole('group', { name: 'الاسم الأول' }).locator('bdi').first()).toHaveText('Houman');
  expect(await seriousViolations(page)).toEqual([]);
  await choice.getByRole('button', { name: 'ادمج بهذه القيم' }).click();
  await expect(page).toHaveURL(/#\/contacts$/);

  await page.getByRole('link', { name: /Houman Haddad/ }).click();
  await expect(page.getByRole('list', { name: 'أسماء أخرى' }).locator('bdi').first()).toHaveText('Hooman Haddad');
  await expect(page.getByRole('list', { name: 'السجلات المدموجة' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByLabel('الجنس')).toHaveValue('female');
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});
