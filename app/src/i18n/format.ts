import i18next from 'i18next';

/**
 * X6: numbers and dates as the reader's language writes them (Arabic-Indic digits in Arabic where
 * the locale uses them). English keeps ISO days (2026-11-21): unambiguous for teams that mix US and
 * European habits, and what exports and partners use.
 */
const lang = (): string => i18next.resolvedLanguage ?? i18next.language ?? 'en';

// A formatter costs far more to build than to use (a check's progress formats numbers hundreds of times a second): one per language and style.
const formatters = new Map<string, Intl.NumberFormat>();
function numberFormat(grouping: boolean): Intl.NumberFormat {
  const key = `${lang()}|${grouping}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.NumberFormat(lang(), grouping ? undefined : { useGrouping: false })));
  return format;
}

export const formatNumber = (n: number): string => numberFormat(true).format(n);

/** A year without grouping ("1985", "١٩٨٥"), never "1,985". */
export const formatYear = (n: number): string => numberFormat(false).format(n);

/** 'YYYY-MM-DD' (or a full ISO time) as a calendar day, read without a time-zone shift. */
export function formatDay(iso: string): string {
  const day = iso.slice(0, 10);
  if (lang() === 'en') return day;
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d!));
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(lang(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** A region's name in the reader's language ('LB' → 'Lebanon', 'لبنان'); the code where unknown. */
export function regionName(code: string): string {
  try {
    return new Intl.DisplayNames([lang()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** '1985-03-12' in words, in the reader's language ("12 March 1985"), so a misread day shows. */
export function spelledDay(iso: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.getUTCDate() !== Number(m[3])) return null;
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : lang(), { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}
