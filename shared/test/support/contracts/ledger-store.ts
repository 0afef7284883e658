import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../../src/identity/events.js';
import type { LedgerStore } from '../../../src/identity/ledger.js';
import { org, T0 } from '../../identity-fixtures.js';

/**
 * What the identity code needs of a ledger store (shared/src/identity/ledger.ts), asked of every
 * implementation: MemoryLedgerStore (shared/test) and the app's DexieLedgerStore on fake-indexeddb
 * (app/test). `make` returns an empty store.
 */
export function runLedgerStoreContract(name: string, make: () => Promise<LedgerStore>): void {
  const events = async (): Promise<LedgerEvent[]> => Promise.all([org('A').register(T0), org('B').register(T0 + 1), org('C').register(T0 + 2)]);
  const sorted = (xs: readonly string[]) => [...xs].sort();

  describe(`LedgerStore contract: ${name}`, () => {
    it('[I3] starts empty', async () => {
      const store = await make();
      expect(await store.ids()).toEqual([]);
      expect(await store.all()).toEqual([]);
      expect(await store.add([])).toEqual([]);
    });

    it('[I3] add returns the ids that were new, once each, and keeps events exactly as given', async () => {
      const store = await make();
      const [a, b, c] = await events();
      expect(sorted(await store.add([a!, b!]))).toEqual(sorted([a!.id, b!.id]));
      // Already held, and a duplicate inside one batch: only c is new, once.
      expect(await store.add([a!, c!, c!])).toEqual([c!.id]);
      expect(sorted(await store.ids())).toEqual(sorted([a!.id, b!.id, c!.id]));
      const all = await store.all();
      expect(all.sort((x, y) => x.id.localeCompare(y.id))).toEqual([a!, b!, c!].sort((x, y) => x.id.localeCompare(y.id)));
    });

    it('[I3] get returns the held events among the ids asked, in the order asked, and skips unknown ids', async () => {
      const store = await make();
      const [a, b, c] = await events();
      await store.add([a!, b!]);
      expect(await store.get([b!.id, 'f'.repeat(64), a!.id])).toEqual([b!, a!]);
      expect(await store.get([c!.id])).toEqual([]);
    });
  });
}
