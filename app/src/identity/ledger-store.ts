import type { LedgerEvent, LedgerStore } from '@ihyid/shared';
import { fromRow, toRow, type IdentityDb } from './db';

/** The ledger (I3) in IndexedDB: `add` writes a whole batch in one transaction (A8). */
export class DexieLedgerStore implements LedgerStore {
  constructor(private readonly db: IdentityDb) {}

  async ids(): Promise<string[]> {
    return (await this.db.events.toCollection().primaryKeys()) as string[];
  }

  async get(ids: readonly string[]): Promise<LedgerEvent[]> {
    const rows = await this.db.events.bulkGet(ids as string[]);
    return rows.flatMap((r) => (r ? [fromRow(r)] : []));
  }

  async all(): Promise<LedgerEvent[]> {
    return (await this.db.events.toArray()).map(fromRow);
  }

  async add(events: readonly LedgerEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    return this.db.transaction('rw', this.db.events, async () => {
      const existing = new Set((await this.db.events.bulkGet(events.map((e) => e.id))).flatMap((r) => (r ? [r.id] : [])));
      const fresh = [...new Map(events.filter((e) => !existing.has(e.id)).map((e) => [e.id, e])).values()];
      await this.db.events.bulkAdd(fresh.map(toRow));
      return fresh.map((e) => e.id);
    });
  }
}
