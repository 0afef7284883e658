import type Dexie from 'dexie';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  backupAad,
  base64ToBytes,
  bytesToBase64,
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupError,
  err,
  ok,
  parseBackupFile,
  parseBackupPayload,
  type BackupHeader,
  type BackupPayload,
  type Result,
} from '@ihyid/shared';
import { DEFAULT_KDF, type DeriveKek, type KdfParams } from './keyring';
import { keysOfPack, newStamp, packVersions } from '../version-packs';
import type { SyncVersionRow, VersionPackRow } from '../records';

/**
 * X3 (#14 item 5): one file with the organisation's and the identity's databases, encrypted under a
 * backup passphrase (Argon2id as the vault, PROTOCOL.md "Backup"). Rows are read and written
 * through the app's connections: a backup holds them opened, whatever data key sealed them, and a
 * restore seals them (and re-derives every index hash) under the restoring device's own keys.
 */

/**
 * Tables not in a backup: an import's file is kept only until its import ends (a restored job is not
 * resumed); `terms` is derived from the contacts (term-index.ts), and the restore's writes of them rebuild it;
 * `syncMeta` holds only the versions' and the contacts' stamps, and a restore puts new ones; `versionKeys` is derived
 * from the packs, and a restore derives it again (`restoredTables`). The contacts are read and written as the
 * `contacts` table, a row each: their packs and keys (contact-packs.ts) are how this version lays them out.
 */
const SKIPPED = new Set(['importFiles', 'terms', 'syncMeta', 'versionKeys', 'contactPacks', 'contactKeys']);
/** Rows per read: each page is opened (decrypted) in one task, so a page stays a short one. */
const PAGE = 250;

export interface BackupDeps {
  derive: DeriveKek;
  randomBytes(n: number): Uint8Array;
  now(): Date;
  kdf?: KdfParams;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The backup's AES key, and a check value that tells a wrong passphrase from a changed file. */
async function keysOf(derive: DeriveKek, passphrase: string, salt: Uint8Array, kdf: KdfParams): Promise<{ key: CryptoKey; check: Uint8Array }> {
  const kek = await derive(passphrase, salt, kdf);
  try {
    const raw = hkdf(sha256, kek, undefined, encoder.encode('ihyid/x3/backup/v1'), 32);
    const check = hmac(sha256, kek, encoder.encode('ihyid/x3/check/v1')).subarray(0, 16);
    const key = await crypto.subtle.importKey('raw', raw as BufferSource, 'AES-GCM', false, ['encrypt', 'decrypt']);
    raw.fill(0);
    return { key, check };
  } finally {
    kek.fill(0);
  }
}

async function readAll(db: Dexie): Promise<BackupPayload['databases'][string]> {
  if (!db.isOpen()) await db.open();
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const table of db.tables) {
    if (SKIPPED.has(table.name)) continue;
    const rows: Record<string, unknown>[] = [];
    for (let after: unknown = null; ; ) {
      const page = (await (after === null ? table.orderBy(':id') : table.where(':id').above(after)).limit(PAGE).toArray()) as Record<string, unknown>[];
      // A key made before #14 is a CryptoKey that cannot be exported: it is left out, and a restored
      // device makes a key of its own (PROTOCOL.md, "Backup").
      rows.push(...page.filter((row) => !(table.name === 'keys' && row.pkcs8 === undefined)));
      if (page.length < PAGE) break;
      after = page[page.length - 1]![table.schema.primKey.keyPath as string];
    }
    tables[table.name] = rows;
  }
  return { verno: db.verno, tables };
}

/** The backup file's text: every database in `dbs`, encrypted under `passphrase`. */
export async function makeBackup(dbs: readonly Dexie[], passphrase: string, deps: BackupDeps): Promise<string> {
  const databases: BackupPayload['databases'] = {};
  for (const db of dbs) databases[db.name] = await readAll(db);
  const payload: BackupPayload = { v: BACKUP_VERSION, databases };
  const kdf = deps.kdf ?? DEFAULT_KDF;
  const salt = deps.randomBytes(16);
  const nonce = deps.randomBytes(12);
  const { key, check } = await keysOf(deps.derive, passphrase, salt, kdf);
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    v: BACKUP_VERSION,
    createdAt: deps.now().toISOString(),
    kdf,
    salt: bytesToBase64(salt),
    nonce: bytesToBase64(nonce),
    check: bytesToBase64(check),
  };
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce as BufferSource, additionalData: encoder.encode(backupAad(header)) },
    key,
    encoder.encode(JSON.stringify(payload)),
  );
  return JSON.stringify({ ...header, data: bytesToBase64(new Uint8Array(sealed)) });
}

/** What a restore put back. */
export interface Restored {
  rows: Record<string, number>;
}

/**
 * Restores a backup over `dbs` (matched by name). Nothing is written unless the whole file opens and
 * parses: a wrong passphrase, a changed or cut file, or a newer format is refused first. Each
 * database is then replaced in one transaction (cleared and refilled), so a failure leaves it as it was.
 */
export async function restoreBackup(text: string, passphrase: string, dbs: readonly Dexie[], derive: DeriveKek): Promise<Result<Restored, BackupError>> {
  const file = parseBackupFile(text);
  if (!file.ok) return err(file.error);
  const { data, ...header } = file.value;
  const [salt, nonce, check, sealed] = [header.salt, header.nonce, header.check, data].map(base64ToBytes);
  if (!salt || !nonce || !check || !sealed || nonce.length !== 12 || salt.length < 16) return err(BackupError.Damaged);
  const keys = await keysOf(derive, passphrase, salt, header.kdf);
  if (!sameBytes(keys.check, check)) return err(BackupError.WrongPassphrase);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce as BufferSource, additionalData: encoder.encode(backupAad(header)) }, keys.key, sealed as BufferSource);
  } catch {
    return err(BackupError.Damaged);
  }
  const payload = parseBackupPayload(decoder.decode(plain));
  if (!payload.ok) return err(payload.error);
  const byName = new Map(dbs.map((db) => [db.name, db]));
  // Each database's rows as they are restored (the versions packed and their keys derived), made once.
  const restored = new Map(Object.entries(payload.value.databases).map(([name, saved]) => [name, restoredTables(saved.tables)]));
  for (const [name, saved] of Object.entries(payload.value.databases)) {
    const db = byName.get(name);
    // A database this version does not have, or one written by a newer schema, is not ours to write.
    if (!db) return err(BackupError.Unsupported);
    if (!db.isOpen()) await db.open();
    if (saved.verno > db.verno || Object.keys(restored.get(name)!).some((t) => !db.tables.some((x) => x.name === t))) return err(BackupError.Unsupported);
  }
  const rows: Record<string, number> = {};
  for (const [name, tables] of restored) {
    const db = byName.get(name)!;
    await db.transaction('rw', db.tables, async () => {
      for (const table of db.tables) await table.clear();
      for (const [table, list] of Object.entries(tables)) {
        await db.table(table).bulkPut(list);
        rows[`${name}/${table}`] = list.length;
      }
      // The versions were replaced: a new stamp, so every page holding them reads them again (held-versions.ts).
      if (db.tables.some((table) => table.name === 'syncMeta')) await db.table('syncMeta').put(newStamp());
    });
  }
  return ok({ rows });
}

/**
 * The tables a backup's rows are restored into: the versions' keys derived from their packs, and the
 * versions of a backup made before packs (schema v17, `syncVersions`: a row each) packed as a migration packs them.
 */
function restoredTables(tables: Readonly<Record<string, Record<string, unknown>[]>>): Record<string, Record<string, unknown>[]> {
  const { syncVersions, ...out } = tables;
  const packs = [...((out.versionPacks ?? []) as unknown as VersionPackRow[])];
  if (syncVersions) packs.push(...packVersions(syncVersions as unknown as SyncVersionRow[], packs.reduce((max, pack) => Math.max(max, pack.pack), 0) + 1));
  if (packs.length === 0) return out;
  return { ...out, versionPacks: packs as unknown as Record<string, unknown>[], versionKeys: packs.map(keysOfPack) as unknown as Record<string, unknown>[] };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
