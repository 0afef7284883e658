import type { DBCore, DBCoreMutateRequest, Middleware } from 'dexie';
import { contactBlockingTerms, nameTerms, type Contact, type SearchableNames } from '@ihyid/shared';

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

/** X8: the hashes of a contact's name terms (`nameTerms`, aliases' names included), which the `*nameTerms` index holds. */
export function nameTermHashes(c: SearchableNames, hash: TermHash = keyHash): number[] {
  return keyHashes(nameTerms(c), hash);
}

/**
 * D1: the index term of an import job. Under X2 only its keyed hash is stored, so the raw database
 * does not show which contacts came in one file (nor the job's id, which the job's row keeps).
 */
export const importTerm = (jobId: string): string => `import:${jobId}`;

/** The fields the `*keyHashes`, `*nameTerms`, `*blockTerms` and `*importTerms` indexes read; written only by `keyHashesMiddleware`. */
export interface HashedKeys {
  keyHashes?: number[];
  nameTerms?: number[];
  /** R8, #15: its blocking terms' hashes (`contactBlockingTerms`); their own index, so a block term never answers a match-key lookup. */
  blockTerms?: number[];
  /** D1: the hashes of its imports' terms (`importTerm`), so an import's people are found without opening every contact. */
  importTerms?: number[];
}

function withHashes(request: DBCoreMutateRequest, hash: TermHash): DBCoreMutateRequest {
  if (request.type !== 'add' && request.type !== 'put') return request;
  const values = request.values.map((value: unknown) => {
    const { importTerms: _stale, ...record } = value as Contact & HashedKeys;
    // Only a contact an import listed has the field: the others (most, typed in) store no empty entry.
    const imports = keyHashes(record.imports?.map(importTerm), hash);
    return {
      ...record,
      keyHashes: keyHashes(record.matchKeys, hash),
      nameTerms: nameTermHashes(record, hash),
      blockTerms: keyHashes(contactBlockingTerms(record), hash),
      ...(imports.length > 0 ? { importTerms: imports } : {}),
    };
  });
  return { ...request, values };
}

/**
 * Architecture Invariant: a stored contact's `keyHashes` always equals keyHashes(matchKeys), its
 * `nameTerms` the hashes of its name terms, its `blockTerms` those of its blocking terms and its
 * `importTerms` those of its imports. They are
 * derived here, under Dexie, for every add and put on the contacts table (saves, edits, merges,
 * imports, upgrades), so no writer can forget it or pass a stale one.
 */
export const keyHashesMiddleware = (hash: TermHash): Middleware<DBCore> => ({
  stack: 'dbcore',
  name: 'ihyid-key-hashes',
  create: (down) => ({
    ...down,
    table: (name) => {
      const table = down.table(name);
      if (name !== 'contacts') return table;
      return { ...table, mutate: (request) => table.mutate(withHashes(request, hash)) };
    },
  }),
});
