import Dexie, { type DBCore, type DBCoreKeyRange, type DBCoreMutateRequest, type DBCoreTable, type DBCoreTransaction, type Middleware } from 'dexie';
import { contactBlockingTerms, type Contact } from '@ihyid/shared';
import { importTerm, keyHashes, nameTermHashes, type TermHash } from './key-hashes';

/**
 * R8, X8, D1 (#14, #16): the contacts' index terms, in postings rows instead of IndexedDB indexes.
 *
 * Four multi-entry indexes (match keys, name terms, blocking terms, imports: about 24 entries a
 * contact) made every contact written cost 24 index writes: 44 s of raw IndexedDB time for 100,000
 * sealed contacts (bench/idb-cost.mjs), more than the import and initial-sync targets before any
 * other work. Here every write of the contacts table adds ONE row to the `terms` table: the keyed
 * term hashes of the contacts it put (sorted, with their owner and kind) and the ids it deleted.
 * Each connection reads the rows it has not seen yet before a lookup (`TermIndex`) and answers from
 * memory: a binary search per row. A row's entry for a contact counts only while that row is the
 * newest one naming the contact, so an edit or a deletion needs no rewrite of older rows; a
 * compaction folds the rows into a few now and then.
 */

export const TERMS_TABLE = 'terms';
export const TERM_KINDS = ['key', 'name', 'block', 'import'] as const;
export type TermKind = (typeof TERM_KINDS)[number];

/** A row of the `terms` table. Only ids and keyed hashes: nothing a raw dump could read a person from. */
export interface TermsRow {
  /** Above every row before it: max(last + 1, the time in ms), so a table cleared and refilled keeps counting up. */
  seq: number;
  /** The contacts this write put; `owners` index into it. */
  ids: string[];
  /** The contacts this write deleted. */
  gone: string[];
  /** Written by a clear (or the v15 upgrade): every live contact's terms. Every row before it is void. */
  full?: boolean;
  /** The last row of a fold: the rows it replaced (deleted in the same transaction); the fold's rows hold their live entries. */
  folds?: number[];
  /** Ascending; `owners[i]` and `kinds[i]` (an index of TERM_KINDS) describe `terms[i]`. */
  terms: Float64Array;
  owners: Uint32Array;
  kinds: Uint8Array;
}

/** One contact's terms by kind (a contact an import did not list has no import term). */
export function contactTerms(c: Contact, hash: TermHash): number[][] {
  return ahead.get(hash)?.get(c) ?? [keyHashes(c.matchKeys, hash), nameTermHashes(c, hash), keyHashes(contactBlockingTerms(c), hash), keyHashes(c.imports?.map(importTerm), hash)];
}

/** Terms derived ahead of their write (`prepareTerms`), by hash function, then by contact object. */
const ahead = new WeakMap<TermHash, WeakMap<Contact, number[][]>>();

/**
 * Derives these contacts' terms ahead of their write, outside its transaction (an import does it for
 * its next batch while IndexedDB writes the current one): the terms row of a write of these very
 * objects, under the same hash, then reads them from here. The contacts must not change in between.
 */
export function prepareTerms(contacts: readonly Contact[], hash: TermHash, derived?: number[][][]): void {
  let byContact = ahead.get(hash);
  if (!byContact) ahead.set(hash, (byContact = new WeakMap()));
  // `derived`: the same terms, derived elsewhere under the same key (a worker's `contactTerms`).
  contacts.forEach((c, i) => {
    if (!byContact.has(c)) byContact.set(c, derived?.[i] ?? contactTerms(c, hash));
  });
}

interface Entries {
  terms: ArrayLike<number>;
  owners: ArrayLike<number>;
  kinds: ArrayLike<number>;
}

/** The entries in term order (ties by owner, then kind, so the same input gives the same row). */
function sorted(e: Entries): Pick<TermsRow, 'terms' | 'owners' | 'kinds'> {
  const order = new Uint32Array(e.terms.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => e.terms[a]! - e.terms[b]! || e.owners[a]! - e.owners[b]! || e.kinds[a]! - e.kinds[b]!);
  const terms = new Float64Array(order.length);
  const owners = new Uint32Array(order.length);
  const kinds = new Uint8Array(order.length);
  order.forEach((from, to) => {
    terms[to] = e.terms[from]!;
    owners[to] = e.owners[from]!;
    kinds[to] = e.kinds[from]!;
  });
  return { terms, owners, kinds };
}

/** The row for one write: `put` contacts (the last of a repeated id counts) and `gone` ids. */
export function termsRow(seq: number, put: readonly Contact[], gone: readonly string[], hash: TermHash, full = false): TermsRow {
  const last = new Map<string, Contact>();
  for (const c of put) last.set(c.id, c);
  const ids = [...last.keys()];
  const terms: number[] = [];
  const owners: number[] = [];
  const kinds: number[] = [];
  ids.forEach((id, owner) => {
    contactTerms(last.get(id)!, hash).forEach((list, kind) => {
      for (const t of list) {
        terms.push(t);
        owners.push(owner);
        kinds.push(kind);
      }
    });
  });
  return { seq, ids, gone: gone.filter((id) => !last.has(id)), ...(full ? { full } : {}), ...sorted({ terms, owners, kinds }) };
}

/** The fields older versions stored on a contact for their indexes: dropped from every write. */
const OLD_INDEX_FIELDS = ['keyHashes', 'nameTerms', 'blockTerms', 'importTerms'] as const;

function withoutIndexFields(request: DBCoreMutateRequest): DBCoreMutateRequest {
  if (request.type !== 'add' && request.type !== 'put') return request;
  const values = request.values.map((value: Record<string, unknown>) => {
    if (!OLD_INDEX_FIELDS.some((f) => f in value)) return value;
    const copy = { ...value };
    for (const f of OLD_INDEX_FIELDS) delete copy[f];
    return copy;
  });
  return { ...request, values };
}

const ANY: DBCoreKeyRange = { type: 3 as DBCoreKeyRange['type'], lower: undefined, upper: undefined };

/** The next row's seq, inside `trans` (which holds the table for writing, so no other writer interleaves). */
function nextSeq(terms: DBCoreTable, trans: DBCoreTransaction): Promise<number> {
  return terms
    .query({ trans, values: false, limit: 1, direction: 'prev', query: { index: terms.schema.primaryKey, range: ANY } })
    .then(({ result }) => Math.max(((result[0] as number | undefined) ?? 0) + 1, Date.now()));
}

/** Per transaction, its last terms row write: the next one waits for it. */
const inTurn = new WeakMap<object, Promise<unknown>>();

/** Whether the transaction holds the terms table: an upgrade from before v15 runs its older steps without it. */
function holdsTerms(trans: DBCoreTransaction): boolean {
  const names = (trans as unknown as IDBTransaction).objectStoreNames;
  return names === undefined || names.contains(TERMS_TABLE);
}

/**
 * Architecture Invariant: every add, put and delete of a contact adds, in the same transaction, the
 * terms row that describes it, so no writer can forget its index entries or store stale ones (saves,
 * edits, merges, imports, syncs, restores). Every transaction that holds the contacts table holds the
 * terms table too. Rows are written after the contacts they describe, with the ids that were written.
 */
export const termsMiddleware = (hash: TermHash): Middleware<DBCore> => ({
  stack: 'dbcore',
  name: 'ihyid-terms',
  create: (down) => ({
    ...down,
    transaction: (stores, mode, options) => down.transaction(stores.includes('contacts') && !stores.includes(TERMS_TABLE) ? [...stores, TERMS_TABLE] : stores, mode, options),
    table: (name) => {
      const table = down.table(name);
      if (name !== 'contacts') return table;
      // `clear`: the table's rows go first (the new row is `full`), so no voided row stays behind for a fold to uncover.
      // Two writes of one transaction issued together take their seqs in turn (each after the other's row).
      const write = (trans: DBCoreTransaction, row: (seq: number) => TermsRow | null, clear = false): Promise<unknown> => {
        if (!holdsTerms(trans)) return Promise.resolve();
        const terms = down.table(TERMS_TABLE);
        const run = () =>
          nextSeq(terms, trans).then((seq) => {
            const value = row(seq);
            if (value === null) return undefined;
            const add = () => terms.mutate({ trans, type: 'add', values: [value] });
            return clear ? terms.mutate({ trans, type: 'deleteRange', range: ANY }).then(add) : add();
          });
        const before = inTurn.get(trans);
        const next = before ? before.then(run, run) : run();
        inTurn.set(trans, next);
        return next;
      };
      // Plain `then`, no `async` (as in the seal middleware): an await here leaves Dexie's transaction zone.
      const mutate = (request: DBCoreMutateRequest): ReturnType<DBCoreTable['mutate']> => {
        const clean = withoutIndexFields(request);
        if (clean.type === 'deleteRange') {
          // Everything (a clear) voids every row; a range first names the contacts it deletes.
          if (clean.range.type === ANY.type) return table.mutate(clean).then((res) => write(clean.trans, (seq) => termsRow(seq, [], [], hash, true), true).then(() => res));
          return table
            .query({ trans: clean.trans, values: false, query: { index: table.schema.primaryKey, range: clean.range } })
            .then(({ result }) => table.mutate(clean).then((res) => write(clean.trans, (seq) => termsRow(seq, [], result as string[], hash)).then(() => res)));
        }
        return table.mutate(clean).then((res) => {
          const ok = (i: number) => res.failures[i] === undefined;
          if (clean.type === 'delete') {
            const gone = (clean.keys as string[]).filter((_, i) => ok(i));
            return write(clean.trans, (seq) => (gone.length === 0 ? null : termsRow(seq, [], gone, hash))).then(() => res);
          }
          const put = (clean.values as Contact[]).filter((_, i) => ok(i));
          return write(clean.trans, (seq) => (put.length === 0 ? null : termsRow(seq, put, [], hash))).then(() => res);
        });
      };
      return { ...table, mutate };
    },
  }),
});

interface Segment {
  seq: number;
  terms: Float64Array;
  /** Interned ids (`TermIndex.ids`). */
  owners: Uint32Array;
  kinds: Uint8Array;
}

/** Small rows (a save, an edit, a small sync) beyond which a lookup outside a transaction folds them. */
export const COMPACT_AFTER = 32;
/**
 * A row with fewer entries than this is small (a save or an edit: about 24 entries a contact): a fold
 * takes it. Rows of an import's or a sync's batches, and of the X2 migration's pages, stay as they
 * are; a fold's own rows stay small until they hold about 80 contacts, so a fold is always cheap.
 */
export const FOLD_BELOW = 2_000;
const ROWS_A_READ = 1;

function lowerBound(terms: Float64Array, t: number): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One connection's view of the `terms` table, read incrementally: before every lookup it reads the
 * rows written since (by any tab, worker or device sync), inside the caller's transaction when there
 * is one, so a lookup inside a write transaction sees the table as that transaction does.
 */
export class TermIndex {
  private segments: Segment[] = [];
  /** The newest row this connection applied (0: none). */
  private last = 0;
  private readonly ids: string[] = [];
  private readonly idNo = new Map<string, number>();
  /** Per interned id: the seq of the newest row naming it, negated when that row deleted it. */
  private latest: number[] = [];
  /** The small rows applied (FOLD_BELOW), which the next fold takes. */
  private small: number[] = [];
  private compacting: Promise<void> | null = null;

  constructor(private readonly db: Dexie) {}

  /** For each hash, the contacts whose current terms of `kind` hold it (each contact once). */
  async holders(kind: TermKind, hashes: readonly number[]): Promise<string[][]> {
    await this.catchUp();
    const k = TERM_KINDS.indexOf(kind);
    return hashes.map((h) => this.lookup(k, h));
  }

  /** Every hash of `kind` some contact holds now. */
  async hashes(kind: TermKind): Promise<Set<number>> {
    await this.catchUp();
    const k = TERM_KINDS.indexOf(kind);
    const out = new Set<number>();
    for (const s of this.segments) {
      for (let i = 0; i < s.terms.length; i++) if (s.kinds[i] === k && this.counts(s, i)) out.add(s.terms[i]!);
    }
    return out;
  }

  /** Forget everything: the next lookup reads the table from the start. */
  reset(): void {
    this.segments = [];
    this.last = 0;
    this.latest = [];
    this.small = [];
    this.ids.length = 0;
    this.idNo.clear();
  }

  private lookup(kind: number, hash: number): string[] {
    const found = new Set<string>();
    for (const s of this.segments) {
      for (let i = lowerBound(s.terms, hash); i < s.terms.length && s.terms[i] === hash; i++) {
        if (s.kinds[i] === kind && this.counts(s, i)) found.add(this.ids[s.owners[i]!]!);
      }
    }
    return [...found];
  }

  /** An entry counts while its row is the newest naming its contact. */
  private counts(s: Segment, i: number): boolean {
    return this.latest[s.owners[i]!] === s.seq;
  }

  private intern(id: string): number {
    let n = this.idNo.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.ids.push(id);
      this.idNo.set(id, n);
    }
    return n;
  }

  private apply(row: TermsRow): void {
    if (row.seq <= this.last) return;
    if (row.full) {
      this.segments = [];
      this.latest = [];
      this.small = [];
    }
    const interned = row.ids.map((id) => this.intern(id));
    for (const n of interned) this.latest[n] = row.seq;
    for (const id of row.gone) this.latest[this.intern(id)] = -row.seq;
    const owners = new Uint32Array(row.owners.length);
    for (let i = 0; i < owners.length; i++) owners[i] = interned[row.owners[i]!]!;
    if (row.terms.length > 0) this.segments.push({ seq: row.seq, terms: row.terms, owners, kinds: row.kinds });
    if (row.terms.length < FOLD_BELOW) this.small.push(row.seq);
    if (row.folds) {
      // Every entry of the folded rows that still counts is in the fold's rows, applied before this last one.
      const folded = new Set(row.folds);
      this.segments = this.segments.filter((seg) => !folded.has(seg.seq));
      this.small = this.small.filter((seq) => !folded.has(seq));
    }
    this.last = row.seq;
  }

  private async catchUp(): Promise<void> {
    const trans = Dexie.currentTransaction;
    if (trans && !trans.storeNames.includes(TERMS_TABLE)) throw new Error(`A term lookup inside a transaction needs the ${TERMS_TABLE} table in it`);
    const table = this.db.table<TermsRow, number>(TERMS_TABLE);
    const from = this.last;
    // One row a read: each read is its own task on the page, and an import's row holds 120,000 entries.
    const read = async (after: number): Promise<TermsRow[]> => {
      const out: TermsRow[] = [];
      for (;;) {
        const rows = await table.where(':id').above(after).limit(ROWS_A_READ).toArray();
        out.push(...rows);
        if (rows.length < ROWS_A_READ) return out;
        after = rows.at(-1)!.seq;
      }
    };
    let rows = await read(from);
    // The row applied last must still be there, or have been folded by a row since: if not, the table
    // was cleared (and refilled, a restore) since, and what is there now replaces what this connection holds.
    if (from > 0 && !rows.some((row) => row.full || row.folds?.includes(from))) {
      const [first] = await table.where(':id').aboveOrEqual(from).limit(1).primaryKeys();
      if (first !== from && this.last === from) {
        this.reset();
        rows = await read(0);
      }
    }
    for (const row of rows) this.apply(row);
    // Rows this transaction read may be its own, not yet committed: if it aborts, they never were.
    if (trans && rows.length > 0 && trans.mode === 'readwrite') trans.idbtrans.addEventListener('abort', () => this.reset());
    if (!trans && this.small.length > COMPACT_AFTER && this.compacting === null) {
      this.compacting = this.compact()
        .catch(() => undefined)
        .finally(() => (this.compacting = null));
    }
  }

  /**
   * Folds the small rows (saves, edits, small syncs) into as few rows as hold their live entries,
   * `COMPACT_IDS` contacts a row, the last naming the rows it replaced (`folds`). The big rows of an
   * import or a sync stay: folding them would rewrite about 31 MB at 100,000 contacts, where the
   * small rows are a few KB. What counts is this connection's view (`latest`); the fold is written in
   * one transaction over the table, after any row written since, unless such a row names a contact it folds.
   */
  async compact(): Promise<void> {
    const table = this.db.table<TermsRow, number>(TERMS_TABLE);
    const small = [...this.small];
    const upTo = this.last;
    if (small.length < 2) return;
    await Dexie.ignoreTransaction(async () => {
      const rows = (await table.bulkGet(small)).filter((row): row is TermsRow => row !== undefined);
      if (rows.length !== small.length) return;
      const seq = Math.max(upTo + 1, Date.now());
      const live = (id: string, at: number) => this.latest[this.idNo.get(id) ?? -1] === at;
      const folded = [...compactRows(rows, seq, live)];
      await this.db.transaction('rw', table, async () => {
        // Rows written since (a save while this was built) stay, and come before the fold's rows, which
        // then must not name any contact they name (their entries would count over newer ones): if one
        // does, the fold waits for the next lookup.
        const since = await table.where(':id').above(upTo).toArray();
        const touched = new Set(since.flatMap((row) => [...row.ids, ...row.gone]));
        if (since.some((row) => row.full || row.folds) || folded.some((row) => row.ids.some((id) => touched.has(id)))) return;
        if ((await table.where(':id').anyOf(small).count()) !== small.length) return;
        const base = Math.max((since.at(-1)?.seq ?? upTo) + 1, seq);
        await table.bulkDelete(small);
        await table.bulkAdd(folded.map((row, i) => ({ ...row, seq: base + i })));
      });
    });
  }
}

/** Contacts a compacted row holds (about 24 entries each). */
export const COMPACT_IDS = 5000;

/**
 * The live entries of `rows` as rows of at most `COMPACT_IDS` contacts, seq `seq`, `seq + 1`…; the
 * last one names the rows it replaces (`folds`). An entry is live when `isLive(its contact, its
 * row's seq)`: by default, when its row is the newest of `rows` naming the contact. Each row's
 * entries come out sorted by merging the already sorted runs of the old rows.
 */
export function* compactRows(rows: readonly TermsRow[], seq: number, isLive?: (id: string, seq: number) => boolean): Generator<TermsRow> {
  const newest = new Map<string, number>();
  for (const row of rows) {
    if (row.full) newest.clear();
    for (const id of row.ids) newest.set(id, row.seq);
    for (const id of row.gone) newest.set(id, -row.seq);
  }
  const alive = isLive ?? ((id: string, at: number) => newest.get(id) === at);
  const latest = new Map<string, number>();
  for (const row of rows) for (const id of row.ids) if (alive(id, row.seq)) latest.set(id, row.seq);
  const live = [...latest.keys()];
  const chunkOf = new Map<string, [chunk: number, owner: number]>();
  live.forEach((id, i) => chunkOf.set(id, [Math.floor(i / COMPACT_IDS), i % COMPACT_IDS]));
  const chunks = Math.max(1, Math.ceil(live.length / COMPACT_IDS));
  for (let c = 0; c < chunks; c++) {
    const runs: Run[] = [];
    for (const row of rows) {
      const keep: number[] = [];
      const owner: number[] = [];
      for (let i = 0; i < row.terms.length; i++) {
        const id = row.ids[row.owners[i]!]!;
        const at = chunkOf.get(id);
        if (at !== undefined && at[0] === c && latest.get(id) === row.seq) {
          keep.push(i);
          owner.push(at[1]);
        }
      }
      if (keep.length > 0) runs.push({ terms: Float64Array.from(keep, (i) => row.terms[i]!), owners: Uint32Array.from(owner), kinds: Uint8Array.from(keep, (i) => row.kinds[i]!) });
    }
    // Each run is sorted by term: merging them pairwise keeps the whole sorted in O(n log runs).
    while (runs.length > 1) {
      const merged: Run[] = [];
      for (let i = 0; i < runs.length; i += 2) merged.push(i + 1 < runs.length ? mergeRuns(runs[i]!, runs[i + 1]!) : runs[i]!);
      runs.splice(0, runs.length, ...merged);
    }
    const all = runs[0] ?? { terms: new Float64Array(0), owners: new Uint32Array(0), kinds: new Uint8Array(0) };
    yield { seq: seq + c, ids: live.slice(c * COMPACT_IDS, (c + 1) * COMPACT_IDS), gone: [], ...(c === chunks - 1 ? { folds: rows.map((r) => r.seq) } : {}), ...all };
  }
}

type Run = Pick<TermsRow, 'terms' | 'owners' | 'kinds'>;

function mergeRuns(a: Run, b: Run): Run {
  const n = a.terms.length + b.terms.length;
  const out = { terms: new Float64Array(n), owners: new Uint32Array(n), kinds: new Uint8Array(n) };
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const fromA = j >= b.terms.length || (i < a.terms.length && a.terms[i]! <= b.terms[j]!);
    const src = fromA ? a : b;
    const at = fromA ? i++ : j++;
    out.terms[k] = src.terms[at]!;
    out.owners[k] = src.owners[at]!;
    out.kinds[k] = src.kinds[at]!;
  }
  return out;
}
