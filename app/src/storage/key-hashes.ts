import { nameTerms, type SearchableNames } from '@ihyid/shared';

/**
 * R8: the duplicate index holds a 53-bit hash (cyrb53) of each match key rather than the key's
 * canonical JSON. An index entry shrinks from about 220 bytes to about 80, which is most of what an
 * import of 100,000 contacts spends writing. A hash hit is a candidate only: every reader compares
 * the records' real `matchKeys` before it calls two contacts alike, so a collision (about one in
 * 10^4 over a million keys) can cost a lookup, never a wrong flag.
 */
export function keyHash(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** How index terms are hashed: `keyHash`, or under X2 the keyed `RecordKeys.indexHash`. */
export type TermHash = (term: string) => number;

export function keyHashes(keys: readonly string[] | undefined, hash: TermHash = keyHash): number[] {
  return [...new Set((keys ?? []).map(hash))];
}

/** X8: the hashes of a contact's name terms (`nameTerms`, aliases' names included), which the name terms hold (term-index.ts). */
export function nameTermHashes(c: SearchableNames, hash: TermHash = keyHash): number[] {
  return keyHashes(nameTerms(c), hash);
}

/**
 * D1: the index term of an import job. Under X2 only its keyed hash is stored, so the raw database
 * does not show which contacts came in one file (nor the job's id, which the job's row keeps).
 */
export const importTerm = (jobId: string): string => `import:${jobId}`;

/** The index fields rows stored before v15 carry (term-index.ts keeps the terms since). */
export interface HashedKeys {
  keyHashes?: number[];
  nameTerms?: number[];
  blockTerms?: number[];
  importTerms?: number[];
}
