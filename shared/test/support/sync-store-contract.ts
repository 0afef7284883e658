import { expect, it } from 'vitest';
import { HlcClock } from '../../src/sync/hlc.js';
import { runSync } from '../../src/sync/session.js';
import type { SyncStore } from '../../src/sync/store.js';
import { inMemorySyncLink } from '../../src/sync/transport.js';
import { makeVersion, type RecordKey, type VersionId } from '../../src/sync/version.js';

const T0 = 1_767_225_600_000;

function versions(node: string, count: number, start = T0) {
  let now = start;
  const clock = new HlcClock(node, () => now);
  return Array.from({ length: count }, (_, i) => {
    now += 7;
    return makeVersion(clock, { record: `contacts/${node}${i}` as RecordKey, parents: [], op: 'put', data: `payload ${i}` });
  });
}

/**
 * What every SyncStore must do, run against the in-memory store here and against the app's
 * IndexedDB store where it lives (STYLE.md: one contract, every implementation).
 */
export function runSyncStoreContract(name: string, make: () => Promise<SyncStore>): void {
  it(`[X4] ${name}: items are (HLC wall time, id) of every held version, once each`, async () => {
    const store = await make();
    const list = versions('a', 5);
    await store.put(list);
    await store.put(list.slice(0, 2));
    const items = [...(await store.items())].sort((x, y) => x.ts - y.ts);
    expect(items).toEqual(list.map((v) => ({ ts: Number(v.body.hlc.slice(0, 15)), id: v.id })));
  });

  it(`[X4] ${name}: get returns the held versions asked for and skips unknown ids`, async () => {
    const store = await make();
    const list = versions('b', 4);
    await store.put(list);
    const got = await store.get([list[2]!.id, 'f'.repeat(64) as VersionId, list[0]!.id]);
    expect(new Set(got.map((v) => v.id))).toEqual(new Set([list[2]!.id, list[0]!.id]));
    expect(got.find((v) => v.id === list[2]!.id)).toEqual(list[2]);
  });

  it(`[X4] ${name}: two stores of this kind hold the same set after a sync`, async () => {
    const [a, b] = [await make(), await make()];
    const shared = versions('s', 40);
    await a.put([...shared, ...versions('a', 30, T0 + 1000)]);
    await b.put([...shared, ...versions('b', 50, T0 + 2000)]);
    const link = inMemorySyncLink();
    const [ra, rb] = await Promise.all([
      runSync({ transport: link.ends[0], store: a, initiator: true }),
      runSync({ transport: link.ends[1], store: b, initiator: false }),
    ]);
    expect(ra.ok && rb.ok).toBe(true);
    const ids = async (s: SyncStore) => new Set((await s.items()).map((it) => it.id));
    expect(await ids(a)).toEqual(await ids(b));
    expect((await ids(a)).size).toBe(120);
  });
}
