import i18next from 'i18next';
import { formatDay, formatNumber } from '../../i18n/format';
import type { PowProgress } from '../../workers/pow-client';

export function formatWhen(ms: number | null, now: number): string {
  if (ms === null) return i18next.t('identity.never');
  const minutes = Math.round((now - ms) / 60_000);
  if (minutes < 1) return i18next.t('identity.justNow');
  if (minutes < 60) return i18next.t('identity.minutesAgo', { count: formatNumber(minutes) });
  if (minutes < 48 * 60) return i18next.t('identity.hoursAgo', { count: formatNumber(Math.round(minutes / 60)) });
  return formatDay(new Date(ms).toISOString());
}

/** A solution takes 2^bits tries on average but may take several times that: never show 100 % early. */
export function progressShare(p: PowProgress): number {
  return Math.min(0.99, p.tried / p.expected);
}

export const formatCount = (n: number) => formatNumber(n);
