import {
  matchKeysV1,
  phoneticIdV0,
  validateContactInput,
  type Contact,
  type PhoneticIdV0,
  type ValidateContactOptions,
} from '@ihyid/shared';
import { newContactRecord } from '../../storage/contacts';
import type { DuplicatePair, IhyidDb, ImportJob } from '../../storage/db';
import { pendingPair } from '../../storage/duplicates';
import { isBlankRow, rowToInput, type ColumnMapping } from './mapping';

/**
 * R4, R8, R9: the import itself, run inside the import worker. Rows are validated, keyed and
 * checked for duplicates in batches; each batch's contacts, its duplicate pairs and the job's
 * progress are written in ONE transaction, so a reload or a crash leaves the job exactly after
 * its last committed batch: resuming neither loses nor doubles a row.
 */

export const IMPORT_BATCH = 5000;
/** Per-row errors kept for the report; the count of rejected rows is always complete. */
export const IMPORT_ERRORS_KEPT = 1000;
/** Pairs recorded per imported row: enough to review, bounded for very common names. */
const PAIRS_PER_ROW = 5;

export interface ImportEnv {
  db: IhyidDb;
  randomBytes(n: number): Uint8Array;
  now(): Date;
  userName: string;
  defaultCountry: ValidateContactOptions['defaultCountry'];
}

export interface NewJob {
  id: string;
  fileName: string;
  mapping: ColumnMapping;
  totalRows: number;
}

export async function createImportJob(env: ImportEnv, init: NewJob, file: Blob | null): Promise<ImportJob> {
  const job: ImportJob = {
    ...init,
    mapping: init.mapping as Record<string, number>,
    headerRow: 0,
    createdAt: env.now().toISOString(),
    createdBy: env.userName,
    nextRow: 0,
    imported: 0,
    duplicates: 0,
    rejected: 0,
    errors: [],
    status: 'running',
  };
  await env.db.transaction('rw', [env.db.importJobs, env.db.importFiles], async () => {
    await env.db.importJobs.put(job);
    if (file) await env.db.importFiles.put({ id: job.id, blob: file });
  });
  return job;
}

export type ImportProgress = Pick<ImportJob, 'id' | 'nextRow' | 'totalRows' | 'imported' | 'duplicates' | 'rejected' | 'status'>;

interface BatchResult {
  contacts: Contact[];
  rejected: number;
  errors: ImportJob['errors'];
}

/** Validation and keys for rows [start, end); the sheet's row numbers count the header as row 1. */
function prepareBatch(env: ImportEnv, rows: readonly string[][], mapping: ColumnMapping, start: number, end: number): BatchResult {
  const out: BatchResult = { contacts: [], rejected: 0, errors: [] };
  const now = env.now();
  for (let r = start; r < end; r++) {
    const cells = rows[r]!;
    if (isBlankRow(cells)) continue;
    const valid = validateContactInput(rowToInput(cells, mapping), { defaultCountry: env.defaultCountry });
    if (!valid.ok) {
      out.rejected++;
      for (const [field, message] of Object.entries(valid.error)) out.errors.push({ row: r + 2, field, message: message! });
      continue;
    }
    const pid = phoneticIdV0(valid.value);
    const fields = { ...valid.value, phoneticIdV0: pid.ok ? (pid.value as PhoneticIdV0) : null, matchKeys: matchKeysV1(valid.value) };
    out.contacts.push(newContactRecord(fields, { createdBy: env.userName, now, randomBytes: env.randomBytes }));
  }
  return out;
}

/**
 * A 53-bit hash of a match key (cyrb53). The import keeps one number per indexed key in memory,
 * not the keys themselves, so that 100,000 contacts fit on a phone.
 */
export function keyHash(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Which keys are already in the `*matchKeys` index, as hashes: read with one key cursor over the
 * index (no records are read), then kept up to date as batches are written. A hash hit is only a
 * hint: the batch then asks the index for that key. A miss is trusted, so the set must never lag
 * behind the index: see `ensureKnown`.
 */
export async function indexedKeyHashes(db: IhyidDb): Promise<Set<number>> {
  const hashes = new Set<number>();
  await db.contacts.orderBy('matchKeys').eachKey((key) => void hashes.add(keyHash(key as string)));
  return hashes;
}

/**
 * What the contacts table looked like when `KnownKeys.hashes` was last brought up to date: how
 * many contacts, and the newest `updatedAt`. Every other writer (a second runner of the same job,
 * such as the worker of the page that was just reloaded finishing its batch, another tab, the
 * editor, a merge, a transfer) adds, changes or removes a contact, and so changes one of the two.
 */
interface KnownKeys {
  hashes: Set<number>;
  stamp: string | null;
}

async function contactsStamp(db: IhyidDb): Promise<string> {
  const [count, newest] = await Promise.all([db.contacts.count(), db.contacts.orderBy('updatedAt').reverse().limit(1).keys()]);
  return `${count}|${String(newest[0] ?? '')}`;
}

/**
 * Inside the batch's transaction: re-reads the key hashes when anything but this runner wrote a
 * contact since they were read, so a key another writer stored is never taken for a new one.
 */
async function ensureKnown(db: IhyidDb, known: KnownKeys): Promise<void> {
  const stamp = await contactsStamp(db);
  if (stamp === known.stamp) return;
  known.hashes = await indexedKeyHashes(db);
  known.stamp = stamp;
}

/**
 * Pairs each new contact with the stored contacts sharing a key, found through the `*matchKeys`
 * index for the keys the hash set says may be there, and with earlier rows of the same batch.
 */
async function duplicatePairs(
  db: IhyidDb,
  known: ReadonlySet<number>,
  contacts: readonly Contact[],
  jobId: string,
  at: Date,
): Promise<{ pairs: DuplicatePair[]; flagged: number }> {
  const maybe = new Set<string>();
  for (const c of contacts) for (const k of c.matchKeys ?? []) if (known.has(keyHash(k))) maybe.add(k);
  const idsByKey = new Map<string, string[]>();
  const add = (key: string, id: string) => {
    const list = idsByKey.get(key);
    if (list) list.push(id);
    else idsByKey.set(key, [id]);
  };
  // One point lookup per possible key, all issued at once: IndexedDB pipelines them, where one
  // cursor jumping from key to key (anyOf) waits for every jump in turn.
  const keys = [...maybe];
  const index = db.contacts.where('matchKeys');
  const found = await Promise.all(keys.map((k) => index.equals(k).primaryKeys()));
  keys.forEach((k, i) => {
    for (const id of found[i]!) add(k, id as string);
  });
  const pairs: DuplicatePair[] = [];
  let flagged = 0;
  for (const c of contacts) {
    const shared = new Map<string, string[]>();
    for (const k of c.matchKeys ?? []) for (const other of idsByKey.get(k) ?? []) {
      const list = shared.get(other);
      if (list) list.push(k);
      else shared.set(other, [k]);
    }
    if (shared.size > 0) flagged++;
    for (const [other, keys] of [...shared].slice(0, PAIRS_PER_ROW)) pairs.push(pendingPair({ a: c.id, b: other, keys, foundBy: jobId, at }));
    for (const k of c.matchKeys ?? []) add(k, c.id);
  }
  return { pairs, flagged };
}

/**
 * Runs a job from its `nextRow` to the end, or until its status stops being 'running' (cancel).
 * `rows` are the sheet's data rows (header excluded), the same on every resume.
 */
export async function runImport(
  env: ImportEnv,
  jobId: string,
  rows: readonly string[][],
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportJob | undefined> {
  const { db } = env;
  // Read in the first batch's transaction (the stamp matches nothing yet), then kept current.
  const known: KnownKeys = { hashes: new Set(), stamp: null };
  for (;;) {
    const job = await db.importJobs.get(jobId);
    if (!job || job.status !== 'running') return job;
    if (job.nextRow >= job.totalRows) {
      const done: ImportJob = { ...job, status: 'done', finishedAt: env.now().toISOString() };
      await db.transaction('rw', [db.importJobs, db.importFiles], async () => {
        await db.importJobs.put(done);
        await db.importFiles.delete(jobId);
      });
      onProgress?.(done);
      return done;
    }
    const start = job.nextRow;
    const end = Math.min(job.totalRows, start + IMPORT_BATCH);
    const batch = prepareBatch(env, rows, job.mapping, start, end);
    const stampAfter = await db.transaction('rw', [db.contacts, db.pairs, db.importJobs], async () => {
      // Re-read inside the transaction: a cancel, or another tab resuming the same job, wins.
      const current = await db.importJobs.get(jobId);
      if (!current || current.status !== 'running' || current.nextRow !== start) return null;
      await ensureKnown(db, known);
      const { pairs, flagged } = await duplicatePairs(db, known.hashes, batch.contacts, jobId, env.now());
      await db.contacts.bulkAdd(batch.contacts);
      if (pairs.length > 0) await db.pairs.bulkPut(pairs);
      const next: ImportJob = {
        ...current,
        nextRow: end,
        imported: current.imported + batch.contacts.length,
        duplicates: current.duplicates + flagged,
        rejected: current.rejected + batch.rejected,
        errors: current.errors.length >= IMPORT_ERRORS_KEPT ? current.errors : [...current.errors, ...batch.errors].slice(0, IMPORT_ERRORS_KEPT),
      };
      await db.importJobs.put(next);
      const stamp = await contactsStamp(db);
      onProgress?.(next);
      return stamp;
    });
    // Only once the batch is committed do its keys count as stored.
    if (stampAfter !== null) {
      for (const c of batch.contacts) for (const k of c.matchKeys ?? []) known.hashes.add(keyHash(k));
      known.stamp = stampAfter;
    }
  }
}

/** Cancel: the running loop stops before its next batch; what was imported stays, and says so. */
export async function cancelImport(db: IhyidDb, jobId: string, at: Date): Promise<void> {
  await db.transaction('rw', [db.importJobs, db.importFiles], async () => {
    const job = await db.importJobs.get(jobId);
    if (job && job.status === 'running') await db.importJobs.put({ ...job, status: 'cancelled', finishedAt: at.toISOString() });
    await db.importFiles.delete(jobId);
  });
}
