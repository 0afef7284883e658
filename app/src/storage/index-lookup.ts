import type { IndexableType, Table } from 'dexie';

/**
 * The primary keys of the rows whose `index` holds each of `keys` (one list per key, in order): one
 * lookup per key, all in one read transaction (the caller's, when it has one).
 *
 * Not Dexie's `anyOf`: it walks one cursor from the smallest key to the largest, jumping with
 * `continue(key)`, and Chromium's cursor steps through the entries on the way, so a few hundred keys
 * spread over a big index read most of it (10 s for 400 match keys over the `*keyHashes` index of
 * 100,000 contacts, bench:sync).
 */
export function primaryKeysOfEach<K>(table: Table, index: string, keys: readonly IndexableType[]): Promise<K[][]> {
  return table.db.transaction('r', table, () => Promise.all(keys.map((key) => table.where(index).equals(key).primaryKeys() as Promise<K[]>)));
}

/** `primaryKeysOfEach`, for the rows themselves (each row once per key it is found by). */
// Any key and insert type: only rows are read.
export async function rowsOfEach<T>(table: Table<T, any, any>, index: string, keys: readonly IndexableType[]): Promise<T[]> {
  const found = await table.db.transaction('r', table, () => Promise.all(keys.map((key) => table.where(index).equals(key).toArray())));
  return found.flat();
}
