import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../src/core/csv.js';

describe('CSV (R5)', () => {
  it('[R5] quotes a field with a comma, quote or line break, doubling the quotes', () => {
    expect(csvCell('Haddad, Rami')).toBe('"Haddad, Rami"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(4)).toBe('4');
  });

  it('[R5] defuses every cell a spreadsheet could run as a formula (= + - @ tab CR), the OWASP rule', () => {
    for (const text of ['=1+1', '+961 3 123456', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(text).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('Rami=ok')).toBe('Rami=ok');
  });

  it('[R5] a record is its cells joined by commas and ended by CRLF', () => {
    expect(csvLine(['a', 'b,c', null, '+1'])).toBe(`a,"b,c",,'+1\r\n`);
  });
});
