import { expect, type Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { generateSyntheticRows, matchKeys, validateContactInput, type SyntheticPerson } from '../shared/dist/index.js';

/**
 * Helpers for the import and duplicate browser tests (R4, R5, R8): a generated Kobo-style CSV, the
 * number of rows the app must flag (computed here with the same matchKeys), and the import steps.
 */

/** KoboToolbox XML-name headers with group prefixes, plus Kobo's own meta columns (ignored). */
export const KOBO_HEADERS = [
  'start',
  'group_person/first_name',
  'group_person/last_name',
  'group_person/father_name',
  'group_person/mother_name',
  'group_person/date_of_birth',
  'group_person/sex',
  'group_contact/phone',
  'group_id/document_type',
  'group_id/document_number',
  'location',
  'household_size',
  '_uuid',
  '_submission_time',
];

const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export interface SyntheticCsv {
  csv: string;
  people: SyntheticPerson[];
  /** Rows sharing a match key with an earlier row, as the import's duplicate pass must find. */
  expectedFlagged: number;
}

export function syntheticCsv(seed: string, rows: number, duplicates: number): SyntheticCsv {
  const people = generateSyntheticRows({ seed, rows, duplicates });
  const lines = [KOBO_HEADERS.join(',')];
  const seen = new Set<string>();
  let expectedFlagged = 0;
  people.forEach((p, i) => {
    const r = p.row;
    lines.push(
      ['2026-11-01T09:00:00', r.firstName, r.lastName, r.fatherName, r.motherName, r.birthDate, r.sex, r.phone, r.documentType, r.documentNumber, r.location, r.householdSize, `uuid-${i}`, '2026-11-01']
        .map(quote)
        .join(','),
    );
    const valid = validateContactInput(r, { today: '2026-11-22' });
    if (!valid.ok) return;
    const keys = matchKeys(valid.value);
    if (keys.some((k) => seen.has(k))) expectedFlagged++;
    for (const k of keys) seen.add(k);
  });
  return { csv: `${lines.join('\n')}\n`, people, expectedFlagged };
}

export const IMPORT_FILE_LABEL = 'Spreadsheet file (CSV or XLSX)';

/** Chooses the file and waits for the mapping step; returns with the import not yet started. */
export async function chooseImportFile(page: Page, name: string, content: string | Buffer): Promise<void> {
  await page.goto('/#/import');
  await page.getByLabel(IMPORT_FILE_LABEL).setInputFiles({ name, mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream', buffer: Buffer.from(content) });
  await expect(page.getByRole('heading', { name: 'Match the columns' })).toBeVisible();
}

export async function importFile(page: Page, name: string, content: string | Buffer, rows: number): Promise<void> {
  await chooseImportFile(page, name, content);
  await page.getByRole('button', { name: `Import ${rows} rows` }).click();
  await expect(page.getByRole('heading', { name: 'Import report' })).toBeVisible({ timeout: 120_000 });
}

/** R4: starts importing `rows` rows and reloads the page once the first batch is saved, so the import stops part-way. */
export async function interruptedImport(page: Page, name: string, content: string, rows: number): Promise<void> {
  await chooseImportFile(page, name, content);
  await page.getByRole('button', { name: `Import ${rows} rows` }).click();
  const progress = page.getByRole('progressbar', { name: 'Import progress' });
  await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 120_000 }).toBeGreaterThan(0);
  await page.reload();
}

/** R4: the import screen offers the interrupted import again; resumed, it ends with its report. */
export async function resumeImport(page: Page, timeout: number): Promise<void> {
  await page.goto('/#/import');
  const offer = page.getByRole('alert').filter({ hasText: 'stopped at row' });
  await expect(offer).toBeVisible();
  await offer.getByRole('button', { name: 'Resume import' }).click();
  await expect(page.getByRole('heading', { name: 'Import report' })).toBeVisible({ timeout });
}

export async function reportCounts(page: Page): Promise<string[]> {
  return page.getByRole('list', { name: 'Import counts' }).getByRole('listitem').allInnerTexts();
}

/**
 * A minimal XLSX (one sheet, inline strings) written here with fflate, so the XLSX path of the
 * import is tested on a real zip without a spreadsheet writer in the dependencies.
 */
export function minimalXlsx(rows: readonly (readonly string[])[]): Buffer {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const col = (i: number) => String.fromCharCode(65 + i);
  const sheetRows = rows
    .map((r, y) => `<row r="${y + 1}">${r.map((c, x) => `<c r="${col(x)}${y + 1}" t="inlineStr"><is><t>${esc(c)}</t></is></c>`).join('')}</row>`)
    .join('');
  const files: Record<string, string> = {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`,
  };
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)]))));
}
