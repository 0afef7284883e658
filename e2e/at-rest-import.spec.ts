import { expect, test } from '@playwright/test';
import { rawDump, rawKeys } from './at-rest-helpers';
import { newOrg, protect, unlock } from './harness';
import { interruptedImport, reportCounts, resumeImport, syntheticCsv } from './import-helpers';

const PASSPHRASE = 'fig orchard by the sea 1937';

test('[X2][R4] with a passphrase, the file an interrupted import keeps for resuming is sealed: a raw dump shows none of its rows; after unlock it resumes', async ({ browser }) => {
  test.setTimeout(400_000);
  const org = await newOrg(browser, 'Sealed Import');
  await protect(org, PASSPHRASE);
  const { page } = org;
  const rows = 20_000;
  const data = syntheticCsv('e2e-at-rest-file', rows, 500);
  // A reload locks (X2) and stops the import: its job and its file stay, for resuming.
  await interruptedImport(page, 'kobo-big.csv', data.csv, rows);
  await unlock(page, PASSPHRASE);
  await expect(page.getByText('Ihyid · Sealed Import')).toBeVisible({ timeout: 60_000 });
  expect(await rawKeys(page, 'ihyid', 'importFiles')).toHaveLength(1);

  // The file's own lines (each row's cells joined by commas, as only the file holds them), and the
  // last rows' names and phones, which the import had not reached: none is in the database's bytes.
  const lines = data.csv.split('\n').slice(1, 60).filter((l) => l.length >= 20);
  const last = data.people.slice(-50).flatMap((p) => [`${p.row.firstName},${p.row.lastName}`, p.row.phone.startsWith('+') ? p.row.phone : '']).filter((s) => s.length >= 8);
  expect(lines.length + last.length).toBeGreaterThan(60);
  const dump = await rawDump(page, ['ihyid']);
  expect(dump).toContain('store:importFiles');
  for (const s of ['group_person/first_name', ...lines, ...last]) expect(dump.includes(s), s).toBe(false);

  // The sealed file opens for the import worker (it receives the key with the unlock): the import resumes and ends.
  await resumeImport(page, 300_000);
  expect(await reportCounts(page)).toEqual([`Imported: ${rows - data.expectedFlagged}`, `Held for review: ${data.expectedFlagged}`, 'Rejected: 0']);
  expect(await rawKeys(page, 'ihyid', 'importFiles')).toEqual([]);
  await org.context.close();
});
