import type { DBCore, DBCoreCursor, DBCoreMutateRequest, DBCoreTable, Middleware } from 'dexie';
import type { RecordKeys } from './keyring';
import { contactRecord, versionAad } from '../sync-records';
import { yieldTask } from '../yield-task';

/** A database's sealed tables: each table's name → the fields it keeps in the clear, its primary key first. */
export type SealedTables = Readonly<Record<string, readonly string[]>>;

/**
 * X2: what each table of the organisation's database keeps in the clear (its primary key and the
 * index fields, which hold ids, statuses, times or keyed hashes only); everything else of a record
 * is sealed into `$x` (older versions sealed it into `$s`, still read).
 */
export const SEALED_TABLES: SealedTables = {
  // A row stored before v15 may still hold its old index fields (keyed hashes) beside these, until rewritten.
  contacts: ['id', 'updatedAt'],
  pairs: ['id', 'a', 'b', 'status', 'foundAt'],
  merged: ['id', 'intoId'],
  overlaps: ['id', 'contactId', 'checkId'],
  checks: ['id', 'checkedAt'],
  invitations: ['id', 'createdAt'],
  importJobs: ['id', 'status', 'createdAt'],
  // R4: the uploaded file, kept until its import ends (its bytes as base64, import-jobs.ts).
  importFiles: ['id'],
  // #12: a held row is a whole contact as read from the sheet, and the contacts it matched.
  importHeld: ['id', 'jobId', 'status'],
  settings: ['key'],
  profile: ['key'],
  // D1–D5: a list's name, programme and members, who serves each member and the partner's name, the audit trail;
  // D4: a round's plan (the list's name and programme, the participants) and how each of our pairs ended.
  lists: ['id', 'updatedAt'],
  listAssignments: ['id', 'listId', 'contactId'],
  listAudit: ['id', 'at', 'listId'],
  listRounds: ['roundId', 'listId'],
  // A10: a check that did not finish (the partner's name); I9: a bound partner's name and pair secret.
  checkAudit: ['id', 'at'],
  bonds: ['fingerprint'],
};

/**
 * X2 in the identity database ('ihyid-identity'): attestation requests and held values, trusted
 * attesters, partners' names, and the signing key's PKCS#8 bytes (`keys.pkcs8`). `privateKey`
 * stays outside the seal: it is a CryptoKey (which JSON cannot carry), present only in rows made
 * before the key was wrapped (PROTOCOL.md, "Data at rest"). The ledger's events are public, signed
 * and already sent to every partner: they stay in the clear. Partners' device revocations (I10) are
 * sealed like the partners' names: which organisations we met is ours to keep.
 */
export const IDENTITY_SEALED_TABLES: SealedTables = {
  keys: ['id', 'publicKey', 'createdAt', 'privateKey'],
  requests: ['requestId', 'direction', 'status'],
  held: ['attestationId'],
  trust: ['key'],
  peers: ['key', 'lastSeen'],
  revocations: ['id', 'org'],
};

/**
 * X2 in the witness database ('ihyid-witness', storage/witness-db.ts): a row is named by a keyed id
 * of its token or day (`RecordKeys.keyedId`), never the token itself. A token we hold keeps only
 * that id in the clear: its expiry (the deletion hour after the meeting's day, W4) would date the
 * meeting. A held alert keeps its expiry in the clear for the sweep and the capacity trim: it is the
 * expiry a declaration already published to every device (W5). An exposure keeps only its id.
 */
export const WITNESS_SEALED_TABLES: SealedTables = {
  ownTokens: ['id'],
  heldAlerts: ['id', 'expiresAt'],
  exposureDays: ['id'],
};

/** A row sealed by an older version: AES-256-GCM under the record key (RecordKeys.seal). Read, never written. */
const SEALED_V1 = '$s';
/** A row sealed now: XChaCha20-Poly1305 under the row key (RecordKeys.sealRow). */
const SEALED = '$x';

/**
 * X2, X4: a row stored as its record version's data (§6.5): the version's sealed bytes, which open
 * under the record key with the version's own associated data to the whole row. A device showing a
 * contact that a sync brought stores the bytes it received instead of sealing the contact again.
 */
export const SEALED_AS_VERSION = '$v';

/** The tables whose rows may be stored as their version, and each row's version associated data (sync-records.ts). */
const VERSION_AAD: Readonly<Record<string, (primaryKey: string) => string>> = {
  contacts: (id) => versionAad(contactRecord(id)),
};

type Row = Record<string, unknown>;

function aadOf(table: string, primaryKey: unknown): string {
  return `${table}\u0000${String(primaryKey)}`;
}

/** The version bytes a row to be written carries, when its table may be stored so. */
function asVersion(table: string, row: Row): Uint8Array | null {
  const bytes = row[SEALED_AS_VERSION];
  return bytes instanceof Uint8Array && VERSION_AAD[table] ? bytes : null;
}

/** Where a stored row's secret is, how it is sealed and the associated data it opens with; null for a row in the clear. */
function sealedPart(table: string, clear: readonly string[], row: Row): { field: string; sealed: Uint8Array; aad: string; gcm: boolean } | null {
  const primaryKey = row[clear[0]!];
  if (row[SEALED] instanceof Uint8Array) return { field: SEALED, sealed: row[SEALED], aad: aadOf(table, primaryKey), gcm: false };
  if (row[SEALED_V1] instanceof Uint8Array) return { field: SEALED_V1, sealed: row[SEALED_V1], aad: aadOf(table, primaryKey), gcm: true };
  const version = asVersion(table, row);
  return version ? { field: SEALED_AS_VERSION, sealed: version, aad: VERSION_AAD[table]!(String(primaryKey)), gcm: true } : null;
}

/**
 * The sealed form of a row: the clear fields, and the rest sealed under the record key with the
 * table and primary key as associated data.
 */
export function sealRow(keys: RecordKeys, table: string, clear: readonly string[], row: Row): Row {
  const out: Row = {};
  const version = asVersion(table, row);
  if (version) {
    // Stored as its version: the clear fields and the version's bytes, which hold the whole row.
    for (const field of clear) if (field in row) out[field] = row[field];
    out[SEALED_AS_VERSION] = version;
    return out;
  }
  const secret: Row = {};
  for (const [field, value] of Object.entries(row)) {
    if (clear.includes(field)) out[field] = value;
    else secret[field] = value;
  }
  out[SEALED] = keys.sealRow(secret, aadOf(table, row[clear[0]!]));
  return out;
}

/** The row as the app wrote it. A row without `$x`, `$s` or `$v` is returned as it is (plaintext left by an older version). */
export function openRow(keys: RecordKeys, table: string, clear: readonly string[], row: Row | undefined): Row | undefined {
  if (row === undefined || row === null) return row;
  const part = sealedPart(table, clear, row);
  if (!part) return row;
  const { [part.field]: _sealed, ...rest } = row;
  return { ...((part.gcm ? keys.open(part.sealed, part.aad) : keys.openRow(part.sealed, part.aad)) as Row), ...rest };
}

/** Rows `openRows` opens between two yields. */
const OPEN_SLICE = 500;

/**
 * `openRow` for many rows at once, outside any transaction: the AES-GCM ones (older rows, rows stored
 * as their version) together on WebCrypto (RecordKeys.openMany), the others as `openRow` does.
 */
export async function openRows(keys: RecordKeys, table: string, clear: readonly string[], rows: readonly Row[]): Promise<Row[]> {
  const parts = rows.map((row) => sealedPart(table, clear, row));
  const opened = await keys.openMany(parts.flatMap((part) => (part?.gcm ? [{ sealed: part.sealed, aad: part.aad }] : [])));
  let at = 0;
  const out: Row[] = [];
  for (const [i, row] of rows.entries()) {
    // The others open here, synchronously (about 30 µs each): a page of thousands yields now and then, so no task runs long.
    if (i > 0 && i % OPEN_SLICE === 0) await yieldTask();
    const part = parts[i];
    if (!part) {
      out.push(row);
      continue;
    }
    const { [part.field]: _sealed, ...rest } = row;
    out.push({ ...((part.gcm ? opened[at++] : keys.openRow(part.sealed, part.aad)) as Row), ...rest });
  }
  return out;
}

/**
 * The cursor with its value opened. Every member is delegated explicitly: Chromium's cursor is a
 * native IDBCursor, whose getters and methods refuse any other `this` (an Object.create of it alone
 * would throw "Illegal invocation" on `key`).
 */
function wrapCursor(cursor: DBCoreCursor | null, open: (row: Row) => Row | undefined): DBCoreCursor | null {
  if (cursor === null) return null;
  let at: unknown = Symbol('none');
  let value: Row | undefined;
  const wrapped: DBCoreCursor = Object.create(cursor, {
    trans: { get: () => cursor.trans },
    key: { get: () => cursor.key },
    primaryKey: { get: () => cursor.primaryKey },
    done: { get: () => cursor.done },
    value: {
      get: () => {
        if (at !== cursor.primaryKey) {
          at = cursor.primaryKey;
          value = open(cursor.value as Row);
        }
        return value;
      },
    },
    continue: { value: (key?: unknown) => cursor.continue(key) },
    continuePrimaryKey: { value: (key: unknown, primaryKey: unknown) => cursor.continuePrimaryKey(key, primaryKey) },
    advance: { value: (count: number) => cursor.advance(count) },
    start: { value: (onNext: () => void) => cursor.start(onNext) },
    stop: { value: (v?: unknown) => cursor.stop(v) },
    next: { value: () => cursor.next().then((c) => (c === cursor ? wrapped : wrapCursor(c, open))) },
    fail: { value: (error: Error) => cursor.fail(error) },
  }) as DBCoreCursor;
  return wrapped;
}

/** Rows sealed ahead of their write (`presealRows`), by the row object the write will be given, with the keys they were sealed under. */
const presealed = new WeakMap<object, { readonly keys: RecordKeys; readonly table: string; readonly sealed: Row }>();

/**
 * Seals rows ahead of their write, outside its transaction (an import seals its next batch while
 * IndexedDB writes the current one): the write of these very objects then stores what was sealed here.
 * The rows must not change between the two (an import's contacts are made for the write and never
 * changed); a row not sealed ahead, or sealed under other keys, is sealed at its write as always.
 */
export function presealRows(keys: RecordKeys, table: string, rows: readonly Row[], tables: SealedTables = SEALED_TABLES): void {
  const clear = tables[table];
  if (!clear) return;
  for (const row of rows) presealed.set(row, { keys, table, sealed: sealRow(keys, table, clear, row) });
}

function sealedTable(table: DBCoreTable, keys: () => RecordKeys, clear: readonly string[]): DBCoreTable {
  const open = (row: Row | undefined) => openRow(keys(), table.name, clear, row);
  const seal = (request: DBCoreMutateRequest): DBCoreMutateRequest => {
    if (request.type !== 'add' && request.type !== 'put') return request;
    const k = keys();
    const sealed = (row: Row): Row => {
      const ahead = presealed.get(row);
      return ahead && ahead.keys === k && ahead.table === table.name ? ahead.sealed : sealRow(k, table.name, clear, row);
    };
    return { ...request, values: request.values.map(sealed) };
  };
  return {
    ...table,
    mutate: (request) => table.mutate(seal(request)),
    // Plain `then`, no `async`: an `await` here moves the caller's continuation out of Dexie's
    // transaction zone, so a Collection.modify over a sealed table lost its transaction
    // ("reading 'table'" in Dexie's hooks) and fake-indexeddb committed imports early.
    get: (request) => table.get(request).then(open),
    getMany: (request) => table.getMany(request).then((rows) => rows.map(open)),
    query: (request) => (request.values ? table.query(request).then((response) => ({ ...response, result: response.result.map(open) })) : table.query(request)),
    openCursor: (request) => (request.values ? table.openCursor(request).then((cursor) => wrapCursor(cursor, open)) : table.openCursor(request)),
  };
}

/**
 * Seals every table of `tables` on write and opens it on read, below every other middleware
 * (the index middleware derives its keyed hashes from the clear record first). `keys()` throws
 * while locked, so a locked database neither reads nor writes personal data.
 */
export function sealMiddleware(keys: () => RecordKeys, tables: SealedTables = SEALED_TABLES): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'ihyid-seal',
    level: 0,
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        const clear = tables[name];
        return clear ? sealedTable(table, keys, clear) : table;
      },
    }),
  };
}
