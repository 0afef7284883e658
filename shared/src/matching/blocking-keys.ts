import type { Contact } from '../contact/contact.js';
import { aliasVariants } from '../contact/merge-fields.js';
import { birthParts, normaliseDocumentNumber, type MatchKeyInput } from './match-keys.js';
import { matchKeysV2 } from './match-keys-v2.js';
import { nameKeyV1 } from './name-key.js';

/**
 * R8, PROTOCOL.md §4.5: blocking terms, the broader candidates of the organisation's own
 * deduplication. Unlike a match key, a term needs no first name or no birth date and may be shared by
 * siblings, twins or namesakes: it only proposes a pair, and the local scorer (scorer.ts) decides
 * whether it is one. They never leave the organisation: a partner check (A2, A3) sends match keys
 * only, since a term this broad would tell a partner who shares a birth date with whom.
 *
 * The birth date alone (day and month in either order, as `bornKey`), as Splink's FEBRL examples
 * block: it finds the re-registration whose family name is mistyped, which every match key misses
 * (FEBRL 3 blocking recall 0.9842 → 0.9919 against family name + birth date). Then the date with
 * the place, the first name with the birth year, first and family name, the phone, the document.
 * Not the halves of the document with the place or the family name (measured: PROTOCOL.md §4.5).
 * Each term starts with `b:`, which no match key (canonical JSON) does.
 */
export function blockingTerms(r: MatchKeyInput): string[] {
  // A row stored before the birth field existed (schema v5 and older) has none: no date terms.
  const { year, born } = birthParts(r.birth ?? null);
  const first = nameKeyV1(r.firstName ?? '');
  const last = nameKeyV1(r.lastName ?? '');
  const place = nameKeyV1(r.location ?? '');
  const doc = normaliseDocumentNumber(r.documentNumber ?? '');
  const terms: string[] = [];
  if (born) terms.push(`b:born:${born}`);
  if (born && place) terms.push(`b:born-place:${born}:${place}`);
  if (first && year) terms.push(`b:first-year:${first}:${year}`);
  if (first && last) terms.push(`b:first-last:${first}:${last}`);
  if (r.phone) terms.push(`b:phone:${r.phone}`);
  if (doc.length >= 4) terms.push(`b:doc:${doc}`);
  return terms;
}

/**
 * The blocking terms of a stored contact and of its aliases (the other spellings merges left), as
 * its match keys cover its aliases: what the app's `*blockTerms` index holds, hashed (R8, X2).
 */
export function contactBlockingTerms(c: Pick<Contact, keyof MatchKeyInput | 'aliases'>): string[] {
  return [...new Set([c, ...aliasVariants(c, c.aliases)].flatMap(blockingTerms))];
}

/** What the bench blocks on: the match keys (v2) and the blocking terms, as the app's duplicate check does. */
export function blockingKeys(r: MatchKeyInput): string[] {
  return [...matchKeysV2(r), ...blockingTerms(r)];
}

/**
 * A term shared by more records than this proposes no pair (a 1 January of approximate dates, a
 * shared office phone): the pairs it would bring are almost all different people, and too many to score.
 */
export const BLOCK_CAP = 200;

/** Candidate pairs [i, j] (i < j) of records sharing a blocking key; a key shared by more than `cap` records is skipped. */
export function candidatePairs(keysPerRecord: readonly (readonly string[])[], cap = BLOCK_CAP): Array<[number, number]> {
  const byKey = new Map<string, number[]>();
  keysPerRecord.forEach((keys, i) => {
    for (const k of new Set(keys)) {
      const list = byKey.get(k);
      if (list) list.push(i);
      else byKey.set(k, [i]);
    }
  });
  const seen = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const list of byKey.values()) {
    if (list.length < 2 || list.length > cap) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const id = list[x]! * 4_194_304 + list[y]!;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push([list[x]!, list[y]!]);
      }
    }
  }
  return out;
}
