import Papa from 'papaparse';
import { readSheet } from 'read-excel-file/web-worker';

/**
 * R4: a CSV or XLSX file → rows of strings, in the import worker. The first non-blank row is the
 * header row. CSV delimiters (',' ';' tab; Kobo's CSV export uses ';') are detected; a UTF-8 byte
 * order mark is dropped. XLSX cells become strings here: dates as YYYY-MM-DD, numbers as written.
 */
export interface ParsedSheet {
  headers: string[];
  rows: string[][];
}

const pad = (n: number): string => String(n).padStart(2, '0');

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return `${cell.getUTCFullYear()}-${pad(cell.getUTCMonth() + 1)}-${pad(cell.getUTCDate())}`;
  return String(cell);
}

export function isSpreadsheetName(name: string): boolean {
  return /\.xlsx$/i.test(name);
}

export async function parseSheetFile(file: Blob, name: string): Promise<ParsedSheet> {
  let rows: string[][];
  if (isSpreadsheetName(name)) {
    const data = await readSheet(file);
    rows = data.map((row) => row.map(cellText));
  } else {
    const text = (await file.text()).replace(/^\ufeff/, '');
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
    rows = parsed.data;
  }
  const start = rows.findIndex((r) => r.some((c) => c.trim() !== ''));
  if (start < 0) return { headers: [], rows: [] };
  return { headers: rows[start]!.map((h) => h.trim()), rows: rows.slice(start + 1) };
}
