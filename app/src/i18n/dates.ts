const pad = (s: string): string => s.padStart(2, '0');

/**
 * Dates as people and sheets write them: ISO (also with a time, as Kobo does), day-first with
 * / - or . (the Lebanese habit: 12/03/1985 is 12 March), Arabic-Indic digits, or a year alone.
 * The form and the import both read dates through this; anything else passes through for the
 * validator to refuse with its sentence.
 */
export function normaliseLocalDate(raw: string): string {
  const text = raw.trim().replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660));
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(text);
  if (m) return `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`;
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (m) return `${m[3]}-${pad(m[2]!)}-${pad(m[1]!)}`;
  return text;
}
