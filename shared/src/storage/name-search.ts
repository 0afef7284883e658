import type { Contact } from '../contact/contact.js';

/** The words of a search: what the user typed, split on white space. */
export function queryWords(query: string): string[] {
  return query.trim().split(/\s+/).filter(Boolean);
}

function startsWithIgnoreCase(value: string, prefix: string): boolean {
  return value.toLocaleLowerCase().startsWith(prefix.toLocaleLowerCase());
}

/**
 * Name search: every word of the query ("Houman Had") must start the first or the last name,
 * ignoring case. An implementation with indexes looks the first word up and filters with this.
 */
export function matchesNameQuery(c: Pick<Contact, 'firstName' | 'lastName'>, query: string): boolean {
  const words = queryWords(query);
  return words.length > 0 && words.every((w) => startsWithIgnoreCase(c.firstName, w) || startsWithIgnoreCase(c.lastName, w));
}
