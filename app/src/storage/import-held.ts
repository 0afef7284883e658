import { pendingPair, type Contact, type ContactStore, type Decider, type DuplicatePair } from '@ihyid/shared';
import { syncTables, type HeldRow, type IhyidDb } from './db';

/**
 * #12, R4, R8: the rows an import held for review, and the two decisions about each. A decision
 * writes the contact, its pairs and the held row's new status in ONE transaction, through the
 * device's ContactStore (which on a syncing device also makes the record versions, X4), so a reload
 * in the middle leaves either the whole decision or none of it; deciding again changes nothing.
 */

export type HeldDecision =
  | { ok: true; row: HeldRow }
  /** The held row is gone, or the contact to merge into no longer exists (merged away without a trace). */
  | { ok: false; reason: 'gone' };

export interface HeldRowStore {
  /** Rows waiting for a decision, oldest import first, then by row. */
  pending(limit: number): Promise<HeldRow[]>;
  countPending(): Promise<number>;
  get(id: string): Promise<HeldRow | undefined>;
  /** The contacts the row matched as they are now (one merged since: the contact it went into), with the keys shared. */
  candidatesOf(row: HeldRow): Promise<{ contact: Contact; keys: string[] }[]>;
  /** "Same person": the row goes into `intoId` as a merge would (the existing record is kept, R8). */
  merge(id: string, intoId: string, who: Decider): Promise<HeldDecision>;
  /** "Different person": the row becomes a new contact, recorded as different from every candidate (R8). */
  importAsNew(id: string, who: Decider): Promise<HeldDecision>;
}

export class DexieHeldRowStore implements HeldRowStore {
  constructor(
    private readonly db: IhyidDb,
    private readonly contacts: ContactStore,
    private readonly syncing: boolean,
  ) {}

  pending(limit: number): Promise<HeldRow[]> {
    return this.db.importHeld.where('status').equals('held').limit(limit).toArray();
  }

  countPending(): Promise<number> {
    return this.db.importHeld.where('status').equals('held').count();
  }

  get(id: string): Promise<HeldRow | undefined> {
    return this.db.importHeld.get(id);
  }

  async candidatesOf(row: HeldRow): Promise<{ contact: Contact; keys: string[] }[]> {
    const now = await this.current(row.candidates.map((c) => c.id));
    const out: { contact: Contact; keys: string[] }[] = [];
    now.forEach((contact, i) => {
      if (contact && !out.some((o) => o.contact.id === contact.id)) out.push({ contact, keys: row.candidates[i]!.keys });
    });
    return out;
  }

  /** Every table the contact store may write, so its own transactions run inside this one. */
  private decide(id: string, work: (row: HeldRow) => Promise<HeldRow | null>): Promise<HeldDecision> {
    const { db } = this;
    const tables = [...new Set([db.importHeld, db.contacts, db.terms, db.pairs, db.merged, ...(this.syncing ? syncTables(db) : [])])];
    return db.transaction('rw', tables, async () => {
      const row = await db.importHeld.get(id);
      if (!row) return { ok: false, reason: 'gone' } as const;
      // Decided already (a second click, another tab): the first decision stands.
      if (row.status !== 'held') return { ok: true, row } as const;
      const decided = await work(row);
      if (!decided) return { ok: false, reason: 'gone' } as const;
      await db.importHeld.put(decided);
      return { ok: true, row: decided } as const;
    });
  }

  merge(id: string, intoId: string, who: Decider): Promise<HeldDecision> {
    return this.decide(id, async (row) => {
      const [into] = await this.current([intoId]);
      if (!into) return null;
      // The keys the import saw, or, for a contact the row matched through another held row or a merge since, those it shares now.
      const keys = row.candidates.find((c) => c.id === into.id)?.keys ?? (into.matchKeys ?? []).filter((k) => row.contact.matchKeys?.includes(k));
      await this.contacts.add([row.contact]);
      // The pair as the import would have flagged it (its keys say why), and the row's other likely
      // duplicates, which the merge moves to the kept contact (planMerge) so they are still reviewed.
      const flagged = await this.flagged(row, [into.id]);
      await this.contacts.addPendingPairs([pendingPair({ a: row.contact.id, b: into.id, keys, foundBy: row.jobId, at: new Date(row.heldAt) }), ...flagged]);
      if (!(await this.contacts.merge(into.id, row.contact.id, who))) return null;
      return { ...row, status: 'merged', intoId: into.id, decidedAt: who.at.toISOString(), decidedBy: who.by };
    });
  }

  importAsNew(id: string, who: Decider): Promise<HeldDecision> {
    return this.decide(id, async (row) => {
      const candidates = await this.current(row.candidates.map((c) => c.id));
      await this.contacts.add([row.contact]);
      const decided: DuplicatePair[] = [];
      candidates.forEach((c, i) => {
        if (!c || c.id === row.contact.id) return;
        const pair = pendingPair({ a: row.contact.id, b: c.id, keys: row.candidates[i]!.keys, foundBy: row.jobId, at: new Date(row.heldAt) });
        if (!decided.some((p) => p.id === pair.id)) decided.push({ ...pair, status: 'different', decidedAt: who.at.toISOString(), decidedBy: who.by });
      });
      for (const pair of decided) await this.contacts.putPair(pair);
      // R8: anyone else it looks like (saved or imported since it was held) is flagged as a save would.
      await this.contacts.addPendingPairs(await this.flagged(row, decided.map((p) => (p.a === row.contact.id ? p.b : p.a))));
      return { ...row, status: 'imported', intoId: row.contact.id, decidedAt: who.at.toISOString(), decidedBy: who.by };
    });
  }

  /**
   * The candidates as they are now: one merged away since is followed to the contact it went into
   * (the merged record says where); undefined where nothing is left.
   */
  private async current(ids: readonly string[]): Promise<(Contact | undefined)[]> {
    const found = await this.contacts.getMany(ids);
    const missing = ids.filter((_, i) => !found[i]);
    if (missing.length === 0) return found;
    const merged = await this.contacts.mergedRecords(missing);
    const into = new Map(missing.map((id, i) => [id, merged[i]?.intoId]));
    return Promise.all(ids.map(async (id, i) => found[i] ?? (into.get(id) ? (await this.current([into.get(id)!]))[0] : undefined)));
  }

  /** Pending pairs between the row's new contact and every other contact sharing a key, except `besides`. */
  private async flagged(row: HeldRow, besides: readonly string[]): Promise<DuplicatePair[]> {
    const keys = row.contact.matchKeys ?? [];
    const others = (await this.contacts.withMatchKeys(keys)).filter((c) => c.id !== row.contact.id && !besides.includes(c.id));
    const at = new Date(row.heldAt);
    return others.map((c) => pendingPair({ a: row.contact.id, b: c.id, keys: (c.matchKeys ?? []).filter((k) => keys.includes(k)), foundBy: row.jobId, at }));
  }
}
