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

/**
 * The rows with these primary keys (distinct, sorted), missing ones skipped. When they are at least half
 * of the keys the table holds from the first of them to the last (`among`: every key held, sorted), one
 * read of that range, a request, takes the place of a request per key.
 */
export async function rowsByKeys<T>(table: Table<T, any, any>, keys: readonly string[], among?: readonly string[]): Promise<T[]> {
  if (keys.length === 0) return [];
  const [first, last] = [keys[0]!, keys[keys.length - 1]!];
  const atMost = (key: string) => firstNotBelow(among?.length ?? 0, (i) => among![i]! <= key);
  if (among && keys.length * 2 >= atMost(last) - atMost(first) + 1) {
    const wanted = new Set(keys);
    const rows = (await table.where(':id').between(first, last, true, true).toArray()) as T[];
    const key = table.schema.primKey.keyPath as string;
    return rows.filter((row) => wanted.has((row as Record<string, string>)[key]!));
  }
  return (await table.bulkGet(keys as IndexableType[])).flatMap((row) => (row === undefined ? [] : [row]));
}

/** The first of positions 0…n−1 where `below` turns false (it holds on a prefix: a sorted list's binary search); n when it never does. */
export function firstNotBelow(n: number, below: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (below(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
