import type { PowProgress } from '../../workers/pow-client';

export function formatWhen(ms: number | null, now: number): string {
  if (ms === null) return 'never';
  const minutes = Math.round((now - ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return new Date(ms).toISOString().slice(0, 10);
}

/** A solution takes 2^bits tries on average but may take several times that: never show 100 % early. */
export function progressShare(p: PowProgress): number {
  return Math.min(0.99, p.tried / p.expected);
}

export const formatCount = (n: number) => n.toLocaleString('en');
