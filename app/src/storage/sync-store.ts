import Dexie, { type ObservabilitySet } from 'dexie';
import * as v from 'valibot';
import {
  bytesFromBase64Url,
  headsByRecord,
  hopKey,
  hopOf,
  makeVersion,
  MAX_HOPS,
  parseHlc,
  resolveConflict,
  revokedHop,
  stateOf,
  versionTime,
  type Contact,
  type ContactId,
  type HlcClock,
  type RecordKey,
  type RecordState,
  type RecordVersion,
  type SyncItem,
  type SyncStore,
  type VersionBody,
  type VersionId,
} from '@ihyid/shared';
import type { RecordKeys } from './at-rest/keyring';
import { SEALED_AS_VERSION } from './at-rest/seal-middleware';
import { rowsByKeys } from './index-lookup';
import { ChangedRows, HeldVersions } from './held-versions';
import { openStoredContacts, rawDb } from './raw-rows';
import { timed } from './sync-timing';
import { yieldTask } from './yield-task';
import { syncTables, versionTables, type IhyidDb, type StoredContact, type SyncConflictRow, type SyncVersionRow } from './db';
import { checkRow, replicatedTableOf, TableReplicator } from './synced-tables';
import { CONTACTS_COLLECTION, ContactSealer, contactIdOf, contactRecord, DeviceShape, DEVICES_COLLECTION, deviceRecord, LAST_SYNC, REVOCATIONS_COLLECTION, revocationRecord, type DeviceEntry } from './sync-records';

export type { SyncConflictRow, SyncVersionRow };
export * from './sync-records';

/**
 * X4 in the app: the organisation's contacts as a grow-only set of record versions
 * (shared/src/sync), kept in packs (held-versions.ts) beside the contacts they describe. The
 * contacts table stays what every feature reads; it is the materialised view of the versions:
 * a live record is its head's contact, a deleted one is absent, a conflict shows its newest put
 * head and is listed in `syncConflicts` for a caseworker to resolve field by field.
 *
 * A version's `data` is the contact sealed under the organisation's record key (AES-256-GCM, the
 * record key as associated data), so versions travel and rest encrypted; their clear fields are
 * ids, HLC stamps and parents only. Sync therefore needs a protected device (X2): a device without
 * the data key cannot read or write versions another device will open.
 */
export interface ConflictView {
  readonly record: RecordKey;
  readonly heads: readonly { readonly id: VersionId; readonly hlc: string; readonly contact: Contact | null; readonly mergedInto: ContactId | null }[];
  readonly base: Contact | null;
}

/**
 * One sync's view of the store (`DexieSyncStore.forSync`): the contacts it brings are kept apart,
 * with their match keys, for the duplicate check after it (`flagReceived`), which then reads no
 * contact again.
 */
export interface SyncSession extends SyncStore {
  /** The contacts this sync brought (stored: written by a committed transaction) that are shown now, with each one's match keys. */
  readonly received: ReadonlyMap<ContactId, readonly string[]>;
  /** I10: versions refused because a device already revoked then handed them on (a hop, §6.7), or too many hops. */
  readonly refused: number;
  /** Resolves once no write of this sync is in flight, whether it succeeded or not (a failed sync checks what it stored). */
  settled(): Promise<void>;
}

/** The contacts a write of received versions shows and removes (`store`), for its caller once it committed. */
interface Brought {
  readonly contacts: Contact[];
  readonly gone: ContactId[];
}

/**
 * I10, §6.7: who hands this sync its versions. `peer`: the device key `dev-auth` proved; `revokedAt`:
 * every revoked key's prefix (shared `hopKey`) and when its revocation took effect, read once, when
 * the first versions arrive.
 */
export interface Provenance {
  readonly peer: string;
  now(): number;
  revokedAt(): Promise<ReadonlyMap<string, number>>;
}

/** A contact as the contacts table stores a version's: with the version's sealed bytes (seal-middleware.ts `$v`), not sealed again. */
type ShownRow = Contact & { [SEALED_AS_VERSION]: Uint8Array };
const shownRow = (contact: Contact, version: RecordVersion, bytes = bytesFromBase64Url(version.body.data!)!): ShownRow => ({ ...contact, [SEALED_AS_VERSION]: bytes });

/** Received versions stored per transaction (`forSync`). */
const STORE_BATCH = 1000;

const toVersion = (row: SyncVersionRow): RecordVersion => (row.via ? { id: row.id, body: row.body, via: row.via } : { id: row.id, body: row.body });
const toRow = (version: RecordVersion): SyncVersionRow => {
  const row: SyncVersionRow = { id: version.id, ts: versionTime(version), record: version.body.record, body: version.body };
  if (!version.via || version.via.length === 0) return row;
  return { ...row, via: [...version.via], viaHops: [...new Set(version.via.map(paddedHop))] };
};

/** A hop with its time zero-padded (`*viaHops`), so that one key's hops sort by time. */
const paddedHop = (hop: string): string => {
  const [key, ms] = hop.split(':');
  return `${key}:${ms!.padStart(15, '0')}`;
};

export class DexieSyncStore implements SyncStore {
  readonly sealer: ContactSealer;
  /** #16 item 2: decisions, merge history, lists, results and audit entries, as versions. */
  readonly tables: TableReplicator;
  /** What a sync reads of the versions held, kept between syncs (held-versions.ts). */
  readonly held: HeldVersions;
  /** Contacts written since the last `adopt` (held-versions.ts): only those can lack a version. */
  private readonly changed: ChangedRows;
  /** Where received contacts' index terms are derived, off the page's thread (`deriveTermsWith`); here when unset. */
  private termsOf: ((contacts: readonly Contact[]) => Promise<number[][][]>) | null = null;
  /** The last `adopt` asked for: each waits for the one before it (a sync's after the background one). */
  private adopting: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: IhyidDb,
    private readonly keys: () => RecordKeys,
    readonly clock: HlcClock,
    held?: HeldVersions,
  ) {
    this.sealer = new ContactSealer(keys);
    this.held = held ?? new HeldVersions(db);
    this.changed = new ChangedRows(db, ['contacts']);
    this.tables = new TableReplicator(db, this.sealer, clock, this.held);
  }

  /** From the versions' keys, read once and then kept (held-versions.ts): no version is read or opened. */
  items(): Promise<readonly SyncItem[]> {
    return timed('items', () => this.held.items());
  }

  /**
   * Held versions by id, in the order asked: their packs, each read once. Ids a sync asks for come in
   * reconciliation order, which is mostly the order versions were written in, so a batch of them lies in a few packs.
   */
  async get(ids: readonly VersionId[]): Promise<readonly RecordVersion[]> {
    const rows = await timed('get', () => this.held.read(() => this.held.rows(ids)));
    const byId = new Map(rows.map((row) => [row.id, row] as const));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toVersion(row)] : [];
    });
  }

  /**
   * Received versions: each put's data must open as its record's contact before anything is
   * stored (a version sealed under another key fails the whole batch); then the versions and the
   * records they change are written in one transaction.
   */
  async put(versions: readonly RecordVersion[]): Promise<void> {
    await this.storeChecked(versions, await this.check(versions));
  }

  /**
   * Checks received versions as `put` does (throws SyncDataError: none of them is stored) and
   * returns the contacts opened, as the rows materialise stores when it shows them (each version
   * opened once): their terms (§4.7) are derived here too, outside the transaction that writes them
   * (db.ts `prepareContacts`), while the write before it is in flight.
   */
  private async check(versions: readonly RecordVersion[]): Promise<Map<VersionId, ShownRow>> {
    const opened = new Map<VersionId, ShownRow>();
    const sealed = versions.filter((version) => version.body.data !== undefined);
    // Outside any transaction: WebCrypto opens them, several times faster than the sealer's synchronous AES-GCM.
    const { values, bytes } = await timed('open', () => this.sealer.openMany(sealed.map((version) => ({ record: version.body.record, data: version.body.data! }))));
    sealed.forEach((version, i) => {
      const record = version.body.record;
      if (replicatedTableOf(record)) checkRow(record, values[i]);
      else if (record.startsWith(`${CONTACTS_COLLECTION}/`)) opened.set(version.id, shownRow(this.sealer.contactOf(record, values[i]), version, bytes[i]));
      else this.sealer.checkValue(record, values[i]);
    });
    const shown = [...opened.values()];
    this.db.prepareContacts(shown, this.termsOf && shown.length > 0 ? await this.termsOf(shown) : undefined);
    return opened;
  }

  /**
   * R9: a received batch's index terms (§4.7) are derived by `derive` (main.tsx: the data worker, which
   * holds the same data key), not on the page's thread, where they cost about 85 µs a contact while the
   * page also checks and stores the batches (bench:sync). It must return what term-index.ts
   * `contactTerms` returns for each contact under this device's index key, in order.
   */
  deriveTermsWith(derive: (contacts: readonly Contact[]) => Promise<number[][][]>): void {
    this.termsOf = derive;
  }

  /** Versions `check` passed, and the records they change, in one transaction. */
  private async storeChecked(versions: readonly RecordVersion[], opened: ReadonlyMap<VersionId, ShownRow>, received?: Map<ContactId, readonly string[]>): Promise<void> {
    for (const version of versions) this.clock.observe(parseHlc(version.body.hlc)!);
    const brought: Brought = { contacts: [], gone: [] };
    await this.tables.prepare();
    await timed('store', () => this.db.transaction('rw', [...syncTables(this.db), ...this.tables.tables()], () => this.store(versions, opened, brought)));
    // Committed (the transaction's promise resolves after its commit; an aborted one rejected): what this sync brought.
    for (const contact of brought.contacts) received?.set(contact.id, contact.matchKeys ?? []);
    for (const id of brought.gone) received?.delete(id);
  }

  /**
   * Local writes: the new versions of `contacts` (parents: their current heads) and tombstones of
   * `deleted` ones, inside the caller's transaction when there is one (synced-contacts.ts).
   */
  async recordLocal(puts: readonly Contact[], deletes: readonly { id: string; mergedInto?: string }[] = []): Promise<void> {
    await this.db.transaction('rw', syncTables(this.db), async () => {
      await this.held.begin();
      // Every record's heads at once: their packs read once, not once a contact.
      const heads = await this.held.headIds([...puts, ...deletes].map((c) => contactRecord(c.id)));
      const parentsOf = (id: string) => heads.get(contactRecord(id)) ?? [];
      const made: RecordVersion[] = [];
      for (const contact of puts) made.push(makeVersion(this.clock, { record: contactRecord(contact.id), parents: parentsOf(contact.id), op: 'put', data: this.sealer.seal(contact) }));
      for (const gone of deletes) {
        made.push(makeVersion(this.clock, { record: contactRecord(gone.id), parents: parentsOf(gone.id), op: 'delete', ...(gone.mergedInto ? { mergedInto: contactRecord(gone.mergedInto) } : {}) }));
      }
      await this.write(made);
      // A local version's parents are every head, so it ends any conflict its record was in.
      await this.db.syncConflicts.bulkDelete(made.map((version) => version.body.record));
    });
  }

  /** The caseworker's answer to a conflict: the chosen contact (null: deleted), whose parents are every head. */
  async resolve(record: RecordKey, contact: Contact | null): Promise<boolean> {
    return this.db.transaction('rw', syncTables(this.db), async () => {
      const state = await this.state(record);
      if (state?.kind !== 'conflict') return false;
      const version = resolveConflict(this.clock, state, contact === null ? null : this.sealer.seal(contact));
      await this.write([version]);
      await this.materialise([record]);
      return true;
    });
  }

  /**
   * Contacts no version describes yet (saved before sync existed, or imported by the data worker,
   * which writes contacts directly) get a first version. Key-only reads; returns how many.
   */
  adopt(batch = 2000, stop?: () => boolean): Promise<number> {
    // One at a time: an adopt that took the changed ids while another is still writing would return
    // before the contacts it took are versioned, and a sync would start without them.
    const run = this.adopting.then(() => this.adoptChanged(batch, stop));
    this.adopting = run.catch(() => undefined);
    return run;
  }

  /** `stop`, asked between batches: when it says so, what is left is given back whole for the next adopt. */
  private async adoptChanged(batch: number, stop?: () => boolean): Promise<number> {
    const changed = this.changed.take('contacts');
    try {
      // 'all' after any write of 50 rows or more (Dexie then reports the whole table, not the keys): every
      // contact held, in id order, from what the connection keeps of the contacts' packs (§4.8: the keys
      // rows of the packs written since it last looked), not a walk over the contacts. Not the terms
      // (§4.7): taking in an import's new terms cost the page ~100 ms tasks while the import ran.
      if (changed !== 'all') return await this.adoptAmong([...changed].sort() as ContactId[], batch, undefined, stop);
      const live = (await this.db.contacts.toCollection().primaryKeys()) as string[];
      return await this.adoptAmong(live as ContactId[], batch, live, stop);
    } catch (error) {
      this.changed.restore('contacts');
      throw error;
    }
  }

  /** `candidates` sorted; `live`, when known, every contact held, sorted (rows are then read by range where dense). */
  private async adoptAmong(candidates: readonly ContactId[], batch: number, live?: readonly string[], stop?: () => boolean): Promise<number> {
    const versioned = await this.held.heldRecords();
    const ids = candidates.filter((id) => !versioned(contactRecord(id)));
    const raw = await rawDb(this.db.name);
    // Read as stored and sealed again outside any transaction, both on WebCrypto (several times faster
    // than the synchronous AES-GCM a transaction needs). Only the import worker writes contacts without
    // a version, and only new ones, so what is read here is what the versions will say.
    const load = async (from: number): Promise<Contact[]> => {
      const stored = await rowsByKeys<Record<string, unknown>>(raw.table('contacts'), ids.slice(from, from + batch), live);
      const rows = (await openStoredContacts(this.db.name, this.keys(), stored)) as StoredContact[];
      return rows.map(({ keyHashes: _h, nameTerms: _t, blockTerms: _b, importTerms: _i, ...c }) => c as Contact);
    };
    // A pipeline: the next batch is read and opened while this one is sealed and versioned, and this one's
    // write is in flight while the next is sealed (one of each at most). The write holds only the versions'
    // tables, so the next batch's read of the contacts does not wait for it.
    let next: Promise<Contact[]> | null = ids.length > 0 ? load(0) : null;
    let writing: Promise<unknown> = Promise.resolve();
    let done = 0;
    for (let i = 0; i < ids.length; i += batch) {
      if (i > 0 && stop?.()) {
        await writing;
        this.changed.restore('contacts');
        return done;
      }
      const contacts = await next!;
      done += contacts.length;
      next = i + batch < ids.length ? load(i + batch) : null;
      // Awaited at the next turn; a failure here must not leave it unhandled.
      next?.catch(() => undefined);
      const data = await this.sealer.sealMany(contacts);
      // No version describes them yet: each first version has no parents.
      const made: RecordVersion[] = [];
      for (const [k, c] of contacts.entries()) {
        // Each id hashes the version's canonical JSON: a batch of thousands yields now and then (R9).
        if (k > 0 && k % 500 === 0) await yieldTask();
        made.push(makeVersion(this.clock, { record: contactRecord(c.id), parents: [], op: 'put', data: data[k]! }));
      }
      await writing;
      writing = this.db.transaction('rw', versionTables(this.db), async () => {
        // Looked at again inside the transaction: a save since the look above has made its own version.
        await this.held.begin();
        await this.write(made.filter((version) => !this.held.hasRecord(version.body.record)));
      });
      // Awaited with the next batch, or below.
      writing.catch(() => undefined);
    }
    await writing;
    return ids.length;
  }


  /**
   * A view of this store for one sync, which keeps what that sync brought (SyncSession). `from` says
   * who hands the versions over (required: a sync without it would store whatever hops the sender
   * claims): each received version gets the hop this device saw, and one that a revoked device handed
   * on after its revocation, here or upstream, is refused (§6.7).
   */
  forSync(from: Provenance): SyncSession {
    const received = new Map<ContactId, readonly string[]>();
    let refused = 0;
    let revokedAt: Promise<ReadonlyMap<string, number>> | null = null;
    const admit = async (frame: readonly RecordVersion[]): Promise<RecordVersion[]> => {
      const revoked = await (revokedAt ??= from.revokedAt());
      const hop = hopOf(from.peer, from.now());
      const out: RecordVersion[] = [];
      for (const version of frame) {
        const via = [...(version.via ?? []), hop];
        if (via.length > MAX_HOPS || revokedHop(via, revoked) !== null) refused++;
        else out.push({ ...version, via });
      }
      return out;
    };
    // A frame carries about 40 contact versions: each checked as it comes, then stored STORE_BATCH at a
    // time, one transaction each, while the next ones are checked (one write in flight at most).
    let versions: RecordVersion[] = [];
    let opened = new Map<VersionId, ShownRow>();
    let writing: Promise<void> = Promise.resolve();
    const write = () => {
      const [batch, open] = [versions, opened];
      [versions, opened] = [[], new Map()];
      writing = writing.then(() => this.storeChecked(batch, open, received));
      // Seen by the next batch, `flush` or `settled`; a sync that ends first (abort, close) must not leave it unhandled.
      writing.catch(() => undefined);
    };
    return {
      received,
      get refused() {
        return refused;
      },
      items: () => this.items(),
      index: () => timed('items', () => this.held.index()),
      get: (ids) => this.get(ids),
      put: async (incoming) => {
        const frame = await admit(incoming);
        const checked = await this.check(frame);
        versions.push(...frame);
        for (const [id, contact] of checked) opened.set(id, contact);
        if (versions.length < STORE_BATCH) return;
        await writing;
        write();
      },
      flush: async () => {
        if (versions.length > 0) write();
        await writing;
      },
      settled: () => writing.then(
        () => undefined,
        () => undefined,
      ),
    };
  }

  /**
   * I10, §6.7: the versions this device accepted by a hop from a revoked device after its revocation
   * (it did not know then) go, and the records they touched show what their other versions say: a
   * record only they made is removed. One range of `*viaHops` per revoked key finds exactly those, so
   * it runs after every sync, failed ones too: a version another link accepted before the revocation
   * reached it goes at the next. Returns how many versions went.
   */
  async purgeRevoked(revokedAt: ReadonlyMap<string, number>): Promise<number> {
    if (revokedAt.size === 0) return 0;
    await this.tables.prepare();
    return this.db.transaction('rw', [...syncTables(this.db), ...this.tables.tables()], async () => {
      await this.held.begin();
      const rows = await this.held.rows([...revokedAt].flatMap(([key, at]) => this.held.hoppedAfter(key, at)));
      const bad = new Map(rows.map((row) => [row.id, row]));
      if (bad.size === 0) return 0;
      await this.held.remove([...bad.keys()]);
      const records = [...new Set([...bad.values()].map((row) => row.record))];
      // Every mark is recomputed: materialise clears one only where several versions are left.
      await this.db.syncConflicts.bulkDelete(records);
      const orphans = new Set(records.filter((record) => this.held.idsOf(record).length === 0));
      const isContact = (r: RecordKey) => r.startsWith(`${CONTACTS_COLLECTION}/`);
      await this.materialise(records.filter((r) => isContact(r) && !orphans.has(r)));
      // A record only the refused versions made: nothing shows it any more, nor a duplicate pair or a
      // list assignment naming it (their removal replicates as any local change). Merge history stays:
      // a contact merged into it may live only there.
      const goneContacts = [...orphans].filter(isContact).map(contactIdOf);
      await this.db.contacts.bulkDelete(goneContacts);
      if (goneContacts.length > 0) {
        await this.db.pairs.where('a').anyOf(goneContacts).or('b').anyOf(goneContacts).delete();
        await this.db.listAssignments.where('contactId').anyOf(goneContacts).delete();
      }
      await this.tables.materialise(records.filter((r) => !isContact(r) && !orphans.has(r)));
      for (const record of [...orphans].filter((r) => !isContact(r))) {
        const made = [...bad.values()].find((row) => row.record === record && row.body.data !== undefined);
        if (made) await this.tables.remove(record, made.body.data!);
      }
      return bad.size;
    });
  }

  /** I10: adds a signed revocation (shared `revokeDevice`) to what replicates. */
  addRevocation(deviceKey: string, signed: unknown): Promise<void> {
    return this.putValue(revocationRecord(deviceKey), signed);
  }

  /** I10: a device paired from here, with the chain issued to it, for every device to meet. */
  addDevice(deviceKey: string, chain: readonly unknown[]): Promise<void> {
    return this.putValue(deviceRecord(deviceKey), { key: deviceKey, chain });
  }

  /** A new version of a record that is a sealed value, not a contact (a revocation, a device): its parents are every head. */
  private async putValue(record: RecordKey, value: unknown): Promise<void> {
    await this.db.transaction('rw', syncTables(this.db), async () => {
      await this.held.begin();
      const parents = (await this.held.headIds([record])).get(record) ?? [];
      await this.write([makeVersion(this.clock, { record, parents, op: 'put', data: this.sealer.sealValue(record, value) })]);
    });
  }

  /** The organisation's paired devices this device has heard of (unchecked: meeting checks). */
  async devices(): Promise<DeviceEntry[]> {
    const rows = await this.held.read(() => this.held.rowsOf(this.held.recordsStartingWith(`${DEVICES_COLLECTION}/`)));
    return rows.flatMap((row) => {
      const parsed = row.body.data === undefined ? null : v.safeParse(DeviceShape, this.sealer.openValue(row.record, row.body.data));
      return parsed?.success ? [parsed.output] : [];
    });
  }

  /**
   * X4: when this device last completed a sync (ISO time), in the setting `sync-last`. The device's
   * own record of its syncs, written by whichever user is unlocked (a caseworker's device syncs too),
   * not a setting an admin chooses.
   */
  async lastSynced(): Promise<string | null> {
    const value = (await this.db.settings.get(LAST_SYNC))?.value;
    return typeof value === 'string' ? value : null;
  }

  async markSynced(now: Date): Promise<void> {
    await this.db.settings.put({ key: LAST_SYNC, value: now.toISOString(), updatedAt: now.toISOString() });
  }

  /** Versions stamped after `ms` (HLC wall time): what this device holds that its last sync did not see. From memory. */
  countSince(ms: number): Promise<number> {
    return this.held.countSince(ms);
  }

  /**
   * Calls `listener` with the names of this database's tables a committed write changed (Dexie's
   * storagemutated, which also carries other tabs' and the workers' writes). Returns the unsubscribe.
   */
  watch(listener: (tables: ReadonlySet<string>) => void): () => void {
    const prefix = `idb://${this.db.name}/`;
    const handler = (parts: ObservabilitySet) => {
      const tables = new Set(Object.keys(parts).flatMap((part) => (part.startsWith(prefix) ? [part.slice(prefix.length).split('/')[0]!] : [])));
      if (tables.size > 0) listener(tables);
    };
    Dexie.on('storagemutated', handler);
    return () => Dexie.on.storagemutated.unsubscribe(handler);
  }

  /**
   * Every signed revocation held, unchecked, with the hops it came by (§6.7; none for one made here):
   * the caller validates each against the organisation's root and counts it by how it came (countingOwnRevocations).
   */
  async revocationVersions(): Promise<{ signed: unknown; via: readonly string[] }[]> {
    const rows = await this.held.read(() => this.held.rowsOf(this.held.recordsStartingWith(`${REVOCATIONS_COLLECTION}/`)));
    return rows.flatMap((row) => (row.body.data === undefined ? [] : [{ signed: this.sealer.openValue(row.record, row.body.data), via: row.via ?? [] }]));
  }

  /** The state of one record from its stored versions (merge.ts). */
  async state(record: RecordKey): Promise<RecordState | null> {
    const versions = (await this.held.read(() => this.held.rowsOf([record]))).map(toVersion);
    const heads = headsByRecord(versions).get(record);
    return heads ? stateOf(record, heads) : null;
  }

  async conflicts(limit: number): Promise<RecordKey[]> {
    return (await this.db.syncConflicts.limit(limit).toArray()).map((row) => row.record);
  }

  countConflicts(): Promise<number> {
    return this.db.syncConflicts.count();
  }

  /**
   * A conflict as the review shows it: each head's contact (null for a tombstone: deleted or merged
   * away), newest first, and the version they last had in common when every head replaced the same
   * one (the usual case: one edit on each device), so fields only one device changed merge alone.
   */
  async conflictView(record: RecordKey): Promise<ConflictView | null> {
    const state = await this.state(record);
    if (state?.kind !== 'conflict') return null;
    const parents = new Set(state.heads.map((head) => head.body.parents.join(',')));
    const [only] = parents;
    const baseRow = parents.size === 1 && only && !only.includes(',') ? (await this.held.read(() => this.held.rows([only])))[0] : undefined;
    return {
      record,
      heads: state.heads.map((head) => ({ id: head.id, hlc: head.body.hlc, contact: this.openVersion(head), mergedInto: head.body.mergedInto ? contactIdOf(head.body.mergedInto) : null })),
      base: baseRow ? this.openVersion(toVersion(baseRow)) : null,
    };
  }

  /** Every version's data opened, for a caller comparing heads (the conflict review). */
  openVersion(version: RecordVersion): Contact | null {
    return version.body.data === undefined ? null : this.sealer.open(version.body.record, version.body.data);
  }

  /** Stores versions not yet held and brings their records' contacts and conflict marks up to date. */
  private async store(versions: readonly RecordVersion[], opened?: ReadonlyMap<VersionId, ShownRow>, brought?: Brought): Promise<void> {
    // What is held in memory answers "held?" (held-versions.ts): only versions held already are read.
    await this.held.begin();
    const rows = await this.held.rows(versions.filter((version) => this.held.has(version.id)).map((version) => version.id));
    const held = new Map(rows.map((row) => [row.id, row] as const));
    const fresh = versions.filter((version) => !held.has(version.id));
    // §6.7: a version held already, come again by fewer hops, keeps the shorter path: a relay that padded
    // its hops towards the limit (which would stop it one device further on) does not decide for good.
    // Only a path a sync recorded (`forSync` adds this device's hop): a version put without one never replaces hops.
    const shorter = versions.filter((version) => held.has(version.id) && (version.via?.length ?? 0) > 0 && version.via!.length < (held.get(version.id)!.via?.length ?? 0));
    if (shorter.length > 0) await this.held.replace(shorter.map(toRow));
    if (fresh.length === 0) return;
    await this.write(fresh);
    const records = [...new Set(fresh.map((version) => version.body.record))];
    await this.materialise(records.filter((record) => record.startsWith(`${CONTACTS_COLLECTION}/`)), fresh, opened, brought);
    await this.tables.materialise(records);
  }

  /** Stores versions inside the caller's transaction (held-versions.ts `write`). */
  private write(versions: readonly RecordVersion[]): Promise<void> {
    return this.held.write(versions.map(toRow));
  }

  /**
   * The contacts and conflict marks of these records, from their versions: bulk reads and writes per
   * batch. The versions just stored (`fresh`) and the contacts their check opened are taken as they
   * are; only the records' other versions are read back (from their packs; none for a record `fresh` is all of).
   */
  private async materialise(records: readonly RecordKey[], fresh: readonly RecordVersion[] = [], opened?: ReadonlyMap<VersionId, ShownRow>, out?: Brought): Promise<void> {
    // A Dexie promise first, even with nothing to do: an async function that returns at once leaves the caller's transaction zone.
    await this.held.begin();
    if (records.length === 0) return;
    const known = new Map(fresh.map((version) => [version.id, version]));
    // Each id once: a batch may carry the same version twice.
    const ids = [...new Set(records.flatMap((record) => this.held.idsOf(record)))] as VersionId[];
    const older = await this.held.rows(ids.filter((id) => !known.has(id)));
    const versions = [...ids.flatMap((id) => known.get(id) ?? []), ...older.map(toVersion)];
    const heads = headsByRecord(versions);
    // A record with one version was never in conflict: only the others may have a mark to clear.
    const counts = new Map<RecordKey, number>();
    for (const version of versions) counts.set(version.body.record, (counts.get(version.body.record) ?? 0) + 1);
    const shown: Contact[] = [];
    // Each shown contact stored as its head's sealed data (seal-middleware.ts `$v`): not sealed again.
    const rows: ShownRow[] = [];
    const gone: ContactId[] = [];
    const conflicts: SyncConflictRow[] = [];
    const settled: RecordKey[] = [];
    for (const record of records) {
      const list = heads.get(record);
      if (!list) continue;
      const state = stateOf(record, list);
      if (state.kind === 'conflict') conflicts.push({ record });
      else if (counts.get(record)! > 1) settled.push(record);
      const head = state.kind === 'live' ? state.head : state.kind === 'conflict' ? state.heads.find((h) => h.body.op === 'put') : undefined;
      if (head) {
        const row = opened?.get(head.id) ?? shownRow(this.openVersion(head)!, head);
        shown.push(row);
        rows.push(row);
      } else gone.push(contactIdOf(record));
    }
    await this.db.syncConflicts.bulkPut(conflicts);
    await this.db.syncConflicts.bulkDelete(settled);
    await this.db.contacts.bulkPut(rows);
    await this.db.contacts.bulkDelete(gone);
    out?.contacts.push(...shown);
    out?.gone.push(...gone);
  }

}
