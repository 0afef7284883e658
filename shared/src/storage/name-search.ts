import type { Contact } from '../contact/contact.js';
import { nameKeyV1 } from '../matching/name-key.js';

/**
 * X8: search finds a person under any spelling the duplicate check would match. A query word
 * matches a contact when it starts one of the words of the first or last name (ignoring case), or
 * when its phonetic name key (nameKeyV1, R7) is that of a word or of the whole name: "Mohamad",
 * "Mohammed" and "محمد" find محمد, "Alhassan" finds الحسن, "Hadad" finds Haddad.
 *
 * A store finds candidates through an index of `nameTerms` (hashed, keyed once X2 is on) and then
 * keeps those `matchesNameQuery` accepts, so the index may over-match but never decides.
 */

/** The names search reads: the first and last name, and those of each alias (R8: other spellings from merges). */
export type SearchableNames = Pick<Contact, 'firstName' | 'lastName'> & { readonly aliases?: readonly Pick<Contact, 'firstName' | 'lastName'>[] };

const namesOf = (c: SearchableNames): string[] => [c.firstName, c.lastName, ...(c.aliases ?? []).flatMap((a) => [a.firstName, a.lastName])];

/** Query words shorter than this match by prefix only: a key of one or two letters joins too much. */
const KEY_MIN_LENGTH = 3;
/** Prefixes indexed per name word: a longer query word is found through its first three letters. */
const PREFIX_MAX = 3;

/** The words of a search: what the user typed, split on white space. */
export function queryWords(query: string): string[] {
  return query.trim().split(/\s+/).filter(Boolean);
}

function wordsOf(name: string): string[] {
  return name.toLocaleLowerCase().split(/[\s\-_.'’]+/).filter(Boolean);
}

/** What the name index holds for a contact: every word's key and first one to three letters, and each whole name's key. */
export function nameTerms(c: SearchableNames): string[] {
  const terms = new Set<string>();
  for (const name of namesOf(c)) {
    const whole = nameKeyV1(name);
    if (whole !== '') terms.add(`k:${whole}`);
    for (const word of wordsOf(name)) {
      const key = nameKeyV1(word);
      if (key !== '') terms.add(`k:${key}`);
      for (let n = 1; n <= Math.min(PREFIX_MAX, word.length); n++) terms.add(`p:${word.slice(0, n)}`);
    }
  }
  return [...terms];
}

/** The index terms one query word is looked up under; a contact with any of them is a candidate. */
export function queryTerms(word: string): string[] {
  const lower = word.toLocaleLowerCase();
  const terms = [`p:${lower.slice(0, PREFIX_MAX)}`];
  if (lower.length >= KEY_MIN_LENGTH) {
    const key = nameKeyV1(word);
    if (key !== '') terms.push(`k:${key}`);
  }
  return terms;
}

function wordMatches(c: SearchableNames, word: string): boolean {
  const lower = word.toLocaleLowerCase();
  const names = namesOf(c);
  if (names.some((name) => wordsOf(name).some((w) => w.startsWith(lower)) || name.toLocaleLowerCase().startsWith(lower))) return true;
  if (lower.length < KEY_MIN_LENGTH) return false;
  const key = nameKeyV1(word);
  return key !== '' && names.some((name) => nameKeyV1(name) === key || wordsOf(name).some((w) => nameKeyV1(w) === key));
}

/** Every word of the query matches the first or the last name, or an alias's (see above). */
export function matchesNameQuery(c: SearchableNames, query: string): boolean {
  const words = queryWords(query);
  return words.length > 0 && words.every((w) => wordMatches(c, w));
}
