import { expect, test } from '@playwright/test';
import { seriousViolations } from './axe';
import { newArabicOrg } from './harness';
import { KOBO_HEADERS } from './import-helpers';

/** Six people with Arabic names, as a Kobo form in Lebanon exports them. */
const PEOPLE = [
  { first: 'فاطمة', last: 'الخوري', father: 'حسن', mother: 'زينب', born: '1985-03-12', sex: 'female' },
  { first: 'محمد', last: 'حداد', father: 'علي', mother: 'مريم', born: '1979-11-02', sex: 'male' },
  { first: 'ليلى', last: 'نصر الله', father: 'يوسف', mother: 'سعاد', born: '1992-06-20', sex: 'female' },
  { first: 'أحمد', last: 'سليمان', father: 'خالد', mother: 'هدى', born: '2001-01-15', sex: 'male' },
  { first: 'رنا', last: 'عيسى', father: 'جورج', mother: 'نادية', born: '1988-09-30', sex: 'female' },
  { first: 'عمر', last: 'الحسيني', father: 'محمود', mother: 'آمنة', born: '1995-12-05', sex: 'male' },
];
const FILE = 'المستفيدون.csv';
const CSV = `${[
  KOBO_HEADERS.join(','),
  ...PEOPLE.map((p, i) => ['2026-11-01T09:00:00', p.first, p.last, p.father, p.mother, p.born, p.sex, '', '', '', 'صور', '4', `uuid-${i}`, '2026-11-01'].join(',')),
].join('\n')}\n`;

test('[R4][R8][X6] in Arabic, the same list imported twice holds every row for review; the held rows are decided in Arabic, right to left, and the decisions survive a reload (#12)', async ({ browser }) => {
  const { page, context } = await newArabicOrg(browser, 'جمعية صور للإغاثة');
  // Counts and row numbers in Arabic's own digits, as the page's Intl writes them.
  const n = (x: number) => page.evaluate((v) => new Intl.NumberFormat('ar').format(v), x);
  const chooseFile = async () => {
    await page.getByLabel('ملف جدول بيانات (CSV أو XLSX)').setInputFiles({ name: FILE, mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await expect(page.getByRole('heading', { name: 'مطابقة الأعمدة' })).toBeVisible();
  };
  const counts = () => page.getByRole('list', { name: 'أعداد الاستيراد' }).getByRole('listitem').allInnerTexts();
  const importSix = async () => {
    // Six is one of Arabic's "few" (3–10): "صفوف", not the English plural read out.
    await page.getByRole('button', { name: `استيراد ${await n(6)} صفوف` }).click();
    await expect(page.getByRole('heading', { name: 'تقرير الاستيراد' })).toBeVisible({ timeout: 60_000 });
  };

  await page.goto('/#/import');
  await chooseFile();
  await importSix();
  expect(await counts()).toEqual([`مستورَد: ${await n(6)}`, `محجوز للمراجعة: ${await n(0)}`, `مرفوض: ${await n(0)}`]);

  await page.getByRole('button', { name: 'استيراد ملف آخر' }).click();
  await chooseFile();
  // Holding is the default, asked before the import starts.
  await expect(page.getByRole('radio', { name: 'حجز التكرارات المحتملة للمراجعة' })).toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);
  await importSix();
  expect(await counts()).toEqual([`مستورَد: ${await n(0)}`, `محجوز للمراجعة: ${await n(6)}`, `مرفوض: ${await n(0)}`]);

  await page.getByRole('link', { name: 'مراجعة الصفوف المحجوزة' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const held = page.getByRole('list', { name: 'الصفوف المحجوزة للمراجعة' }).getByRole('article');
  await expect(held).toHaveCount(6);
  await expect(page.getByText(`${await n(6)} صفوف محجوزة من الاستيراد تنتظر قرارًا.`)).toBeVisible();
  // Nothing was flagged as a pair: the held rows wait instead.
  await expect(page.getByText('لا شيء للمراجعة.')).toBeVisible();
  const name = (i: number) => `${PEOPLE[i]!.first} ${PEOPLE[i]!.last}`;
  // The file's header is row 1: person i is row i + 2.
  const card = async (i: number) => page.getByRole('article', { name: `${name(i)}، الصف ${await n(i + 2)} من ${FILE}` });
  // Each held row is shown beside the contact it matched, and reads right to left.
  await expect((await card(0)).getByRole('group', { name: `يطابق ${name(0)}` })).toBeVisible();
  expect(await (await card(0)).evaluate((el) => el.matches(':dir(rtl)'))).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  await (await card(0)).getByRole('button', { name: 'شخص مختلف: استيراد' }).click();
  await expect(await card(0)).toHaveCount(0);
  await (await card(1)).getByRole('button', { name: 'الشخص نفسه: دمج في الموجود' }).click();
  await expect(await card(1)).toHaveCount(0);
  await expect(held).toHaveCount(4);

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByText(`${await n(4)} صفوف محجوزة من الاستيراد تنتظر قرارًا.`)).toBeVisible();
  await expect(held).toHaveCount(4);
  await expect(await card(0)).toHaveCount(0);
  await expect(await card(1)).toHaveCount(0);
  // The "different" pair is remembered, never flagged (R8); the merged row is in its person's history.
  await expect(page.getByText('لا شيء للمراجعة.')).toBeVisible();
  await page.goto('/#/contacts');
  // Six imported and one imported as new; seven is "few" too.
  await expect(page.getByText(`${await n(7)} أشخاص`, { exact: false })).toBeVisible();
  await context.close();
});
