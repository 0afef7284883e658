import {
  matchKeys,
  phoneticIdV0,
  localDateOf,
  validateContactInput,
  type Contact,
  type PhoneticIdV0,
  type ValidateContactOptions,
} from '@ihyid/shared';
import { newContactRecord } from '../../storage/contacts';
import type { HeldRow, ImportJob } from '../../storage/records';
import type { ImportJobStore } from '../../storage/import-jobs';
import { classify, ensureKnown, remember, unknownKeys, type Classified } from './import-keys';
import { isBlankRow, rowToInput, type ColumnMapping } from './mapping';

/**
 * R4, R8, R9: the import itself, run inside the import worker. Rows are validated, keyed and
 * checked for duplicates in batches (import-keys.ts); each batch's contacts, its duplicate pairs or
 * held rows (#12) and the job's progress are written in ONE transaction, so a reload or a crash
 * leaves the job exactly after its last committed batch: resuming neither loses, doubles nor holds
 * twice a row.
 */

export const IMPORT_BATCH = 5000;
/** Per-row errors kept for the report; the count of rejected rows is always complete. */
export const IMPORT_ERRORS_KEPT = 1000;

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
  /** #12: hold rows matching a contact or an earlier row for review (true), or import them flagged. */
  hold: boolean;
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
    held: 0,
    rejected: 0,
    errors: [],
    status: 'running',
  };
  await env.imports.create(job, file);
  return job;
}

export type ImportProgress = Pick<ImportJob, 'id' | 'nextRow' | 'totalRows' | 'imported' | 'duplicates' | 'held' | 'hold' | 'rejected' | 'status'>;

interface BatchResult {
  contacts: Contact[];
  /** Each contact's row number in the sheet (the header is row 1). */
  rows: number[];
  rejected: number;
  errors: ImportJob['errors'];
}

/** Validation and keys for rows [start, end); the sheet's row numbers count the header as row 1. */
function prepareBatch(env: ImportEnv, jobId: string, rows: readonly string[][], mapping: ColumnMapping, start: number, end: number): BatchResult {
  const out: BatchResult = { contacts: [], rows: [], rejected: 0, errors: [] };
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
    // D1: each contact remembers the import that listed it (a held row too: a merge carries it over).
    out.contacts.push({ ...newContactRecord(fields, { createdBy: env.userName, now, randomBytes: env.randomBytes }), imports: [jobId] });
    out.rows.push(r + 2);
  }
  return out;
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
  const known = unknownKeys();
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
    const batch = ahead.prepared?.start === start ? ahead.prepared.batch : prepareBatch(env, jobId, rows, job.mapping, start, end);
    ahead.prepared = null;
    let written: { done: Classified; held: number } | null = null;
    const stamp = await imports.commitBatch(jobId, async (current, view) => {
      // Read inside the transaction: a cancel, or another tab resuming the same job, wins.
      if (current.status !== 'running' || current.nextRow !== start) return null;
      await ensureKnown(view, known, jobId, current.held ?? 0);
      const at = env.now();
      const done = await classify(view, known, batch.contacts, current.hold === true, jobId, at);
      const held = done.held.map((h) => heldRow(jobId, batch.rows[h.index]!, h.contact, h.candidates, at));
      const next: ImportJob = {
        ...current,
        nextRow: end,
        imported: current.imported + done.imported.length,
        duplicates: current.duplicates + done.flagged,
        held: (current.held ?? 0) + held.length,
        rejected: current.rejected + batch.rejected,
        errors: current.errors.length >= IMPORT_ERRORS_KEPT ? current.errors : [...current.errors, ...batch.errors].slice(0, IMPORT_ERRORS_KEPT),
      };
      written = { done, held: next.held! };
      return {
        contacts: done.imported,
        pairs: done.pairs,
        held,
        next,
        // R9: while IndexedDB writes this batch (in the browser's storage process), the next one is
        // validated and keyed here. It is used only if the job is still at that row next time.
        // Bad rows become per-row errors, never throws; a throw here is a bug or the worker going away,
        // and it aborts this batch's transaction as well, so nothing half-written is stored.
        whileWriting: () => {
          if (end >= job.totalRows) return;
          ahead.prepared = { start: end, batch: prepareBatch(env, jobId, rows, job.mapping, end, Math.min(job.totalRows, end + IMPORT_BATCH)) };
          // Its contacts sealed and indexed now too, while the worker would wait for this batch's commit.
          view.prepare(ahead.prepared.batch.contacts);
        },
        afterWrites: () => onProgress?.(next),
      };
    });
    // Only once the batch is committed do its keys count as stored (or held).
    const committed = written as { done: Classified; held: number } | null;
    if (stamp !== null && committed !== null) remember(known, committed.done, stamp, committed.held);
  }
}

/** #12: a held row's id sorts by job, then by row. */
function heldRow(jobId: string, row: number, contact: Contact, candidates: HeldRow['candidates'], at: Date): HeldRow {
  return { id: `${jobId}:${String(row).padStart(8, '0')}`, jobId, row, contact, candidates, status: 'held', heldAt: at.toISOString() };
}

/** Cancel: the running loop stops before its next batch; what was imported stays, and says so. */
export async function cancelImport(imports: ImportJobStore, jobId: string, at: Date): Promise<void> {
  await imports.cancel(jobId, at);
}
