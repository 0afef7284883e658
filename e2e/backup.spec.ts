import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { addContacts, listedContacts, newOrg } from './harness';

const BACKUP_PASSPHRASE = 'cedar ridge backup 2026';

test('[X3] an encrypted backup names nobody; on a fresh browser a changed file or a wrong passphrase changes nothing, the right one gives back every contact and the organisation', async ({ browser }) => {
  test.setTimeout(300_000);
  const { page, context } = await newOrg(browser, 'Backup Relief');
  await addContacts(page, [
    { first: 'Theodosia', last: 'Karamanlidou', father: 'Stavros', mother: 'Eleni', born: '1972-02-14' },
    { first: 'محمود', last: 'الخطيب', father: 'يوسف', mother: 'فاطمة', born: '1988-07-03' },
  ]);
  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByLabel('Backup passphrase', { exact: true }).fill(BACKUP_PASSPHRASE);
  await page.getByLabel('Repeat the backup passphrase').fill(BACKUP_PASSPHRASE);
  const downloading = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Download a backup' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^ihyid-backup-\d{4}-\d{2}-\d{2}\.json$/);
  const file = await readFile((await download.path())!, 'utf8');
  await expect(page.getByRole('status').filter({ hasText: 'Backup downloaded' })).toBeVisible();
  for (const typed of ['Theodosia', 'Karamanlidou', 'Stavros', '1972-02-14', 'محمود', 'الخطيب', 'يوسف', '1988-07-03', 'Backup Relief']) expect(file.includes(typed), typed).toBe(false);
  await context.close();

  // A fresh browser: the first-run screen offers the restore.
  const fresh = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 } });
  const other = await fresh.newPage();
  await other.goto('/');
  await expect(other.getByRole('heading', { name: 'Restore from a backup' })).toBeVisible();
  const restore = async (text: string, passphrase: string) => {
    await other.getByLabel('Backup file').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await other.getByLabel('Backup passphrase').fill(passphrase);
    await other.getByRole('button', { name: 'Restore' }).click();
  };
  const parsed = JSON.parse(file) as { data: string };
  const changed = JSON.stringify({ ...parsed, data: parsed.data.slice(0, 40) + (parsed.data[40] === 'A' ? 'B' : 'A') + parsed.data.slice(41) });
  await restore(changed, BACKUP_PASSPHRASE);
  await expect(other.getByRole('alert')).toContainText('cut short or changed', { timeout: 60_000 });
  await restore(file.slice(0, Math.floor(file.length / 2)), BACKUP_PASSPHRASE);
  await expect(other.getByRole('alert')).toContainText('cut short or changed', { timeout: 60_000 });
  await restore(file, 'cedar ridge backup 2025');
  await expect(other.getByRole('alert')).toContainText('does not open with that passphrase', { timeout: 60_000 });
  // Nothing was changed: still the first-run screen.
  await expect(other.getByRole('heading', { name: 'Welcome to Ihyid' })).toBeVisible();

  await restore(file, BACKUP_PASSPHRASE);
  await expect(other.getByRole('heading', { name: 'Contacts' })).toBeVisible({ timeout: 60_000 });
  await expect(other.getByText('Backup Relief')).toBeVisible();
  const names = await listedContacts(other);
  expect(names.join('\n')).toContain('Theodosia Karamanlidou');
  expect(names.join('\n')).toContain('محمود الخطيب');
  // Search works on the restored records: the index was derived again on this device.
  await other.getByRole('searchbox', { name: 'Search contacts' }).fill('Karamanli');
  await expect.poll(() => other.getByRole('list').getByRole('link').allInnerTexts()).toEqual([expect.stringContaining('Theodosia')]);
  await fresh.close();
});
