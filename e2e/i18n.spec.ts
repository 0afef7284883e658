import { expect, test } from '@playwright/test';
import { addContact, newArabicOrg as arabicOrg } from './harness';

/** X6: Arabic and English, each complete, right to left where it should be, remembered. */

test('[X6] an ar-LB browser gets the Arabic interface, right to left, with Arabic plurals and digits', async ({ browser }) => {
  const { context, page } = await arabicOrg(browser, 'جمعية الأمل');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { name: 'الأشخاص' })).toBeVisible();
  await expect(page.getByText('لا أحد', { exact: true })).toBeVisible();

  await page.getByRole('link', { name: 'شخص جديد' }).click();
  await page.getByLabel('الاسم الأول').fill('فاطمة');
  await page.getByLabel('اسم العائلة').fill('الخوري');
  await page.getByLabel('اسم الأم').fill('زينب');
  await page.getByLabel('تاريخ الولادة').fill('1985-03-12');
  await page.getByLabel('الهاتف').fill('70123456');
  // dir="auto": Arabic typed in a field reads right to left; the phone stays left to right.
  expect(await page.getByLabel('الاسم الأول').evaluate((el) => el.matches(':dir(rtl)'))).toBe(true);
  expect(await page.getByLabel('الهاتف').evaluate((el) => el.matches(':dir(ltr)'))).toBe(true);
  await page.getByRole('button', { name: 'حفظ' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'حُفظ فاطمة الخوري' })).toBeVisible();
  // One person: the Arabic singular, not "1 contacts"; the birth date as Arabic writes it (Intl's
  // digits for 'ar', its month names), not the ISO form English shows.
  await expect(page.getByText('شخص واحد', { exact: true })).toBeVisible();
  const born = new Intl.DateTimeFormat('ar', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(1985, 2, 12));
  await expect(page.getByRole('list').getByRole('link')).toContainText(`مواليد ${born}`);
  await expect(page.getByRole('list').getByRole('link')).toContainText('مارس');

  // The same person again: the warning isolates the phone, so "+961…" is not reordered by the Arabic.
  await page.getByRole('link', { name: 'شخص جديد' }).click();
  await page.getByLabel('الاسم الأول').fill('فاطمة');
  await page.getByLabel('اسم العائلة').fill('الخوري');
  await page.getByLabel('اسم الأم').fill('زينب');
  await page.getByLabel('تاريخ الولادة').fill('1985-03-12');
  await page.getByRole('button', { name: 'حفظ' }).click();
  const warning = page.getByRole('alert').filter({ hasText: 'تكرار محتمل' });
  await expect(warning).toBeVisible();
  await expect(warning.locator('bdi[dir="ltr"]')).toHaveText('+96170123456');
  await expect(warning).toContainText('السبب:');
  await context.close();
});

test('[X6] the language switch changes the interface at once, and the choice is remembered', async ({ browser }) => {
  const { context, page } = await arabicOrg(browser, 'Caritas');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  await page.reload();
  // The browser still asks for Arabic, but the user chose English here.
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  await addContact(page, { first: 'Houman', last: 'Haddad', born: '1976-05-07' });
  await expect(page.getByText('1 contact', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'العربية' }).click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByText('شخص واحد', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'الأشخاص' })).toBeVisible();
  await context.close();
});
