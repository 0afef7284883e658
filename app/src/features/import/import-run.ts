import {
  matchKeys,
  phoneticIdV0,
  localDateOf,
  validateContactInput,
  type Contact,
  type PhoneticIdV0,
  type ValidateContactOptions,
} from '@ihyid/shared';
import { pendingPair, type DuplicatePair } from '@ihyid/shared';
import { newContactRecord } from '../../storage/contacts';
import type { ImportJob } from '../../storage/db';
import type { ImportBatchView, ImportJobStore } from '../../storage/import-jobs';
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
  imports: ImportJobStore;
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
  await env.imports.create(job, file);
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
    const input = rowToInput(cells, mapping);
    const valid = validateContactInput(input, { defaultCountry: env.defaultCountry, today: localDateOf(now) });
    if (!valid.ok) {
      out.rejected++;
      const summary = [input.firstName, input.lastName, input.birthDate].filter(Boolean).join(' · ');
      for (const [field, message] of Object.entries(valid.error)) {
        out.errors.push({ row: r + 2, field, message: message!, value: input[field as keyof typeof input] ?? '', summary });
      }
      continue;
    }
    const pid = phoneticIdV0(valid.value);
    const fields = { ...valid.value, phoneticIdV0: pid.ok ? (pid.value as PhoneticIdV0) : null, matchKeys: matchKeys(valid.value) };
    out.contacts.push(newContactRecord(fields, { createdBy: env.userName, now, randomBytes: env.randomBytes }));
  }
  return out;
}

/**
 * What this runner knows of the index. `stored`: the hashes read from it, at the start or after
 * another writer changed the table. `mine`: the hashes of the contacts this runner has committed
 * since, with their ids, so that a duplicate within the import costs no IndexedDB lookup (the
 * common case: 58,000 lookups for 100,000 rows). `stamp`: what the contacts table looked like when
 * both were last right, as `contactsStamp` reads it.
 */
interface KnownKeys {
  stored: Set<number>;
  mine: Map<number, string | string[]>;
  stamp: string | null;
}

/**
 * Inside the batch's transaction: re-reads the index when anything but this runner wrote a contact
 * since it was read, so a key another writer stored is never taken for a new one. What this runner
 * wrote is then in `stored` too, and `mine` starts afresh.
 */
async function ensureKnown(view: ImportBatchView, known: KnownKeys): Promise<void> {
  const stamp = await view.stamp();
  if (stamp === known.stamp) return;
  known.stored = await view.indexedKeyHashes();
  known.mine = new Map();
  known.stamp = stamp;
}

function addOwner(mine: KnownKeys['mine'], hash: number, id: string): void {
  const owners = mine.get(hash);
  if (owners === undefined) mine.set(hash, id);
  else if (typeof owners === 'string') mine.set(hash, [owners, id]);
  else owners.push(id);
}

/**
 * Pairs each new contact with the stored contacts sharing a key (candidates from `known.mine`, and
 * from the `*keyHashes` index for the hashes `known.stored` holds), then compares the candidates'
 * real keys, so that a hash collision never pairs two contacts; and with earlier rows of the batch.
 */
async function duplicatePairs(
  view: ImportBatchView,
  known: KnownKeys,
  contacts: readonly Contact[],
  jobId: string,
  at: Date,
): Promise<{ pairs: DuplicatePair[]; flagged: number; hashes: number[][] }> {
  const maybe = new Set<number>();
  const lookups = new Set<number>();
  const candidateIds = new Set<string>();
  // Each key of the batch is hashed once: here, and the same list goes to `known.mine` after commit.
  const hashes = contacts.map((c) => (c.matchKeys ?? []).map(view.keyHash));
  for (const h of hashes.flat()) {
    const owners = known.mine.get(h);
    if (owners !== undefined) {
      maybe.add(h);
      if (typeof owners === 'string') candidateIds.add(owners);
      else for (const id of owners) candidateIds.add(id);
    }
    if (known.stored.has(h)) {
      maybe.add(h);
      lookups.add(h);
    }
  }
  // One point lookup per hash stored before this run, all issued at once: IndexedDB pipelines them,
  // where one cursor jumping from key to key (anyOf) waits for every jump in turn.
  for (const ids of await Promise.all([...lookups].map((h) => view.idsWithKeyHash(h)))) for (const id of ids) candidateIds.add(id);
  const idsByKey = new Map<string, string[]>();
  const add = (key: string, id: string) => {
    const list = idsByKey.get(key);
    if (list) list.push(id);
    else idsByKey.set(key, [id]);
  };
  for (const stored of await view.contacts([...candidateIds])) {
    if (stored) for (const k of stored.matchKeys ?? []) if (maybe.has(view.keyHash(k))) add(k, stored.id);
  }
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
  return { pairs, flagged, hashes };
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
  const { imports } = env;
  // Read in the first batch's transaction (the stamp matches nothing yet), then kept current.
  const known: KnownKeys = { stored: new Set(), mine: new Map(), stamp: null };
  // The next batch, prepared while the current one is written (below).
  const ahead: { prepared: { start: number; batch: BatchResult } | null } = { prepared: null };
  for (;;) {
    const job = await imports.get(jobId);
    if (!job || job.status !== 'running') return job;
    if (job.nextRow >= job.totalRows) {
      const done: ImportJob = { ...job, status: 'done', finishedAt: env.now().toISOString() };
      await imports.finish(done);
      onProgress?.(done);
      return done;
    }
    const start = job.nextRow;
    const end = Math.min(job.totalRows, start + IMPORT_BATCH);
    const batch = ahead.prepared?.start === start ? ahead.prepared.batch : prepareBatch(env, rows, job.mapping, start, end);
    ahead.prepared = null;
    let written: { hashes: number[][] } | null = null;
    const stamp = await imports.commitBatch(jobId, async (current, view) => {
      // Read inside the transaction: a cancel, or another tab resuming the same job, wins.
      if (current.status !== 'running' || current.nextRow !== start) return null;
      await ensureKnown(view, known);
      const { pairs, flagged, hashes } = await duplicatePairs(view, known, batch.contacts, jobId, env.now());
      const next: ImportJob = {
        ...current,
        nextRow: end,
        imported: current.imported + batch.contacts.length,
        duplicates: current.duplicates + flagged,
        rejected: current.rejected + batch.rejected,
        errors: current.errors.length >= IMPORT_ERRORS_KEPT ? current.errors : [...current.errors, ...batch.errors].slice(0, IMPORT_ERRORS_KEPT),
      };
      written = { hashes };
      return {
        contacts: batch.contacts,
        pairs,
        next,
        // R9: while IndexedDB writes this batch (in the browser's storage process), the next one is
        // validated and keyed here. It is used only if the job is still at that row next time.
        // Bad rows become per-row errors, never throws; a throw here is a bug or the worker going away,
        // and it aborts this batch's transaction as well, so nothing half-written is stored.
        whileWriting: () => {
          if (end < job.totalRows) ahead.prepared = { start: end, batch: prepareBatch(env, rows, job.mapping, end, Math.min(job.totalRows, end + IMPORT_BATCH)) };
        },
        afterWrites: () => onProgress?.(next),
      };
    });
    // Only once the batch is committed do its keys count as stored.
    const committed = written as { hashes: number[][] } | null;
    if (stamp !== null && committed !== null) {
      batch.contacts.forEach((c, i) => {
        for (const h of committed.hashes[i]!) addOwner(known.mine, h, c.id);
      });
      known.stamp = stamp;
    }
  }
}

/** Cancel: the running loop stops before its next batch; what was imported stays, and says so. */
export async function cancelImport(imports: ImportJobStore, jobId: string, at: Date): Promise<void> {
  await imports.cancel(jobId, at);
}
