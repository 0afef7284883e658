import i18next from 'i18next';
import type { BirthDate, Contact } from '@ihyid/shared';
import { formatDay, formatYear } from '../../i18n/format';

/** "First Last", as the caseworker typed them (Arabic or Latin script alike). */
export function contactName(c: Pick<Contact, 'firstName' | 'lastName'>): string {
  return `${c.firstName} ${c.lastName}`.trim();
}

/** R1: a year alone is shown as approximate so nobody reads it as a known date. */
export function formatBirth(birth: BirthDate): string {
  return birth.kind === 'date' ? formatDay(birth.date) : i18next.t('contacts.approx', { year: formatYear(birth.year) });
}

/**
 * The list's "Saved <name>" message travels in the history entry of the navigation itself, so it
 * needs neither a global store nor the URL (which would put a name in the address bar).
 */
export function navigateWithNotice(path: string, notice: string, navigate: (path: string) => void): void {
  navigate(path);
  window.history.replaceState({ ...(window.history.state as object | null), notice }, '');
}

/** Reads the notice without side effects, so React may call it twice (StrictMode). */
export function peekNotice(): string | null {
  const state = window.history.state as { notice?: unknown } | null;
  return state && typeof state.notice === 'string' ? state.notice : null;
}

/** Removes the notice from the history entry, so Back/Forward does not show it again. */
export function clearNotice(): void {
  const state = window.history.state as Record<string, unknown> | null;
  if (!state || !('notice' in state)) return;
  const { notice: _notice, ...rest } = state;
  window.history.replaceState(Object.keys(rest).length ? rest : null, '');
}
