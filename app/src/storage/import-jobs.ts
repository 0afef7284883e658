import { base64ToBytes, bytesToBase64, type Contact, type ContactId, type DuplicatePair } from '@ihyid/shared';
import type { HeldRow, IhyidDb, ImportFile, ImportJob } from './db';
import { importTerm } from './key-hashes';
import { CONTACTS_STAMP } from './contact-packs';

/**
 * R4: import jobs, their files, and the one transaction per batch that writes a batch's contacts,
 * its duplicate pairs, its held rows (#12) and the job's progress together. The import (features/import/import-run.ts)
 * reaches the contacts' key index only through `ImportBatchView`, inside that transaction.
 */
export interface ImportBatchView {
  /** The hash the contacts' terms hold for a match key (term-index.ts). */
  keyHash(key: string): number;
  /** Every match-key hash a contact holds, read without touching a record. */
  indexedKeyHashes(): Promise<Set<number>>;
  /** The contacts' stamp (contact-packs.ts): changes whenever any writer changes a contact. */
  stamp(): Promise<string>;
  /** For each hash, the ids of the contacts holding it. */
  idsWithKeyHashes(hashes: readonly number[]): Promise<string[][]>;
  /** #12: the rows this job has held so far (their keys hold later rows of the same file). */
  heldRows(jobId: string): Promise<HeldRow[]>;
  /**
   * R9, X2: contacts a later batch will write, sealed and indexed now (while this batch is written), so
   * that batch's transaction does less; they must not change before their write (db.ts `prepareContacts`).
   */
  prepare(contacts: readonly Contact[]): void;
}

export interface BatchWrite {
  contacts: readonly Contact[];
  pairs: readonly DuplicatePair[];
  /** #12: rows held for review instead of imported. */
  held: readonly HeldRow[];
  next: ImportJob;
  /** Runs once the writes are issued, before they are awaited (the next batch is prepared meanwhile). */
  whileWriting?: () => void;
  /** Runs inside the transaction after the writes: a throw there aborts the batch as well. */
  afterWrites?: () => void;
}

/** D1: an import a list can take its people from. */
export interface ImportSource {
  id: string;
  fileName: string;
  createdAt: string;
  /** Contacts the import listed that are still contacts (created by it, or a held row merged into them). */
  people: number;
  /** #12: its rows still held for review: they are nobody's contact yet, so they join a list once decided. */
  held: number;
}

export interface ImportJobStore {
  create(job: ImportJob, file: Blob | null): Promise<void>;
  /** R4: the column mapping saved for sheets with this header signature. */
  savedMapping(signature: string): Promise<Record<string, number> | undefined>;
  saveMapping(signature: string, mapping: Record<string, number>, at: Date): Promise<void>;
  get(id: string): Promise<ImportJob | undefined>;
  /** A job still marked running (a reload interrupted it), if any. */
  running(): Promise<ImportJob | undefined>;
  file(id: string): Promise<Blob | undefined>;
  /** Stores the finished job and drops its file. */
  finish(job: ImportJob): Promise<void>;
  /** Marks a running job cancelled and drops its file. */
  cancel(id: string, at: Date): Promise<void>;
  /**
   * One batch in one transaction: `work` sees the job as stored now and returns what to write, or
   * null to write nothing. Returns the contacts' stamp after the writes, or null.
   */
  commitBatch(jobId: string, work: (current: ImportJob, view: ImportBatchView) => Promise<BatchWrite | null>): Promise<string | null>;
  /** D1: the imports not running that listed anyone still a contact, newest first; counted from the index alone. */
  sources(): Promise<ImportSource[]>;
  /** D1: the contacts this import listed, as they are now; each checked on its record (an index hit is a candidate only). */
  people(jobId: string): Promise<ContactId[]>;
}

export class DexieImportJobStore implements ImportJobStore {
  constructor(private readonly db: IhyidDb) {}

  async create(job: ImportJob, file: Blob | null): Promise<void> {
    const { db } = this;
    // Read before the transaction: an await on the file inside it would let it commit.
    const row = file ? await importFileRow(job.id, file) : null;
    await db.transaction('rw', [db.importJobs, db.importFiles], async () => {
      await db.importJobs.put(job);
      if (row) await db.importFiles.put(row);
    });
  }

  async savedMapping(signature: string): Promise<Record<string, number> | undefined> {
    return (await this.db.mappings.get(signature))?.mapping;
  }

  async saveMapping(signature: string, mapping: Record<string, number>, at: Date): Promise<void> {
    await this.db.mappings.put({ id: signature, mapping, savedAt: at.toISOString() });
  }

  get(id: string): Promise<ImportJob | undefined> {
    return this.db.importJobs.get(id);
  }

  running(): Promise<ImportJob | undefined> {
    return this.db.importJobs.where('status').equals('running').first();
  }

  async file(id: string): Promise<Blob | undefined> {
    const row = await this.db.importFiles.get(id);
    if (row?.blob) return row.blob;
    const bytes = row?.data === undefined ? null : base64ToBytes(row.data);
    return bytes ? new Blob([bytes as Uint8Array<ArrayBuffer>], { type: row?.type ?? '' }) : undefined;
  }

  async finish(job: ImportJob): Promise<void> {
    const { db } = this;
    await db.transaction('rw', [db.importJobs, db.importFiles], async () => {
      await db.importJobs.put(job);
      await db.importFiles.delete(job.id);
    });
  }

  async cancel(id: string, at: Date): Promise<void> {
    const { db } = this;
    await db.transaction('rw', [db.importJobs, db.importFiles], async () => {
      const job = await db.importJobs.get(id);
      if (job && job.status === 'running') await db.importJobs.put({ ...job, status: 'cancelled', finishedAt: at.toISOString() });
      await db.importFiles.delete(id);
    });
  }

  async commitBatch(jobId: string, work: (current: ImportJob, view: ImportBatchView) => Promise<BatchWrite | null>): Promise<string | null> {
    const { db } = this;
    const view: ImportBatchView = {
      keyHash: db.termHash,
      indexedKeyHashes: () => db.termIndex.hashes('key'),
      stamp: () => contactsStamp(db),
      idsWithKeyHashes: (hashes) => db.termIndex.holders('key', hashes),
      heldRows: (id) => db.importHeld.where('jobId').equals(id).toArray(),
      prepare: (contacts) => db.prepareContacts(contacts),
    };
    return db.transaction('rw', [db.contacts, db.terms, db.pairs, db.importJobs, db.importHeld, db.syncMeta], async () => {
      const current = await db.importJobs.get(jobId);
      if (!current) return null;
      const write = await work(current, view);
      if (write === null) return null;
      // All the writes are issued before any is awaited, in this order within the transaction.
      const writes = Promise.all([
        db.contacts.bulkAdd(write.contacts as Contact[]),
        write.pairs.length > 0 ? db.pairs.bulkPut(write.pairs as DuplicatePair[]) : null,
        write.held.length > 0 ? db.importHeld.bulkAdd(write.held as HeldRow[]) : null,
        db.importJobs.put(write.next),
      ]);
      write.whileWriting?.();
      await writes;
      const stamp = await contactsStamp(db);
      write.afterWrites?.();
      return stamp;
    });
  }

  async sources(): Promise<ImportSource[]> {
    const { db } = this;
    const jobs = (await db.importJobs.orderBy('createdAt').reverse().toArray()).filter((j) => j.status !== 'running');
    const counted = await Promise.all(
      jobs.map(async (job) => {
        const [holders] = await db.termIndex.holders('import', [db.termHash(importTerm(job.id))]);
        const people = holders!.length;
        const held = (job.held ?? 0) > 0 ? await db.importHeld.where('jobId').equals(job.id).filter((r) => r.status === 'held').count() : 0;
        return { id: job.id, fileName: job.fileName, createdAt: job.createdAt, people, held };
      }),
    );
    return counted.filter((s) => s.people > 0);
  }

  async people(jobId: string): Promise<ContactId[]> {
    const { db } = this;
    const [ids] = await db.termIndex.holders('import', [db.termHash(importTerm(jobId))]);
    const contacts = await db.contacts.bulkGet(ids! as ContactId[]);
    return contacts.flatMap((c) => (c?.imports?.includes(jobId) ? [c.id] : []));
  }
}

/** The contacts' stamp, new with every write of them (contact-packs.ts); '' before the first. */
async function contactsStamp(db: IhyidDb): Promise<string> {
  return (await db.syncMeta.get(CONTACTS_STAMP))?.stamp ?? '';
}

/** X2: the file as a row the seal encrypts whole: its bytes as base64 text, which JSON carries (a Blob does not). */
export async function importFileRow(id: string, file: Blob): Promise<ImportFile> {
  return { id, type: file.type, data: bytesToBase64(new Uint8Array(await file.arrayBuffer())) };
}

/**
 * X2 migration (at-rest/migrate.ts): files kept as Blobs by versions before the seal become base64
 * rows first, outside any transaction (reading a Blob is asynchronous), so that sealing them in place
 * keeps their bytes. A job's file is rare and small in number: all of them are read at once.
 */
export async function inlineImportFiles(db: IhyidDb): Promise<void> {
  const rows = await db.importFiles.toArray();
  const inlined = await Promise.all(rows.flatMap((row) => (row.blob ? [importFileRow(row.id, row.blob)] : [])));
  if (inlined.length > 0) await db.importFiles.bulkPut(inlined);
}
