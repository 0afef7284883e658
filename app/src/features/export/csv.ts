/**
 * R5: RFC 4180 CSV. Fields with a comma, quote or line break are quoted; a cell that a spreadsheet
 * would run as a formula (starting with =, @, or a tab/CR) gets a leading apostrophe. A leading + or
 * - is left alone: E.164 phone numbers start with +, and spreadsheets read those as numbers.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
