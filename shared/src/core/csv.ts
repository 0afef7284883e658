/**
 * R5: RFC 4180 CSV, the one writer every export uses. Fields with a comma, quote or line break are
 * quoted. A cell a spreadsheet could run as a formula (starting with =, +, -, @, a tab or a carriage
 * return) gets a leading apostrophe, as OWASP's CSV-injection guidance says; an E.164 phone number
 * thus reads '+961…, which spreadsheets show as text.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
