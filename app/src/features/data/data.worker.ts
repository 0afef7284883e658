/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { pooledRandom, type Contact, type Role, type ValidateContactOptions } from '@ihyid/shared';
import { RecordKeys } from '../../storage/at-rest/keyring';
import { keyHash } from '../../storage/key-hashes';
import { contactTerms } from '../../storage/term-index';
import { storesForRole } from '../../storage/role-guard';
import { openStores, type Stores } from '../../storage/stores';
import { exportContactsCsv, exportDecisionsCsv } from '../export/export-data';
import { cancelImport, createImportJob, runImport, type ImportEnv, type ImportProgress } from '../import/import-run';
import { headerSignature, suggestMapping, type ColumnMapping } from '../import/mapping';
import { parseSheetFile, type ParsedSheet } from '../import/parse';

/**
 * R4, R5, R9: parsing, keying, the duplicate pass and exports, in one worker with its own Dexie
 * connection. The page only sends a file and a mapping and receives small progress messages, so
 * 100,000 rows never hold the main thread.
 */
// Relaxed durability: a commit does not wait for the disk to flush. Each batch and the job's
// progress share one transaction, so after a crash both are there or neither is: a resumed import
// still loses and doubles nothing, it may only redo the last batch.
/** Every id, secret and nonce this worker makes, from one pool of getRandomValues bytes (pooledRandom). */
const randomBytes = pooledRandom((n) => crypto.getRandomValues(new Uint8Array(n)));
let stores: Stores = openStores('ihyid', { chromeTransactionDurability: 'relaxed' });
/** The sheet being mapped or imported, kept here: only headers and a preview cross to the page. */
let sheet: { key: string; parsed: ParsedSheet } | null = null;

export interface SheetSummary {
  headers: string[];
  preview: string[][];
  totalRows: number;
  suggested: ColumnMapping;
  /** A mapping saved for sheets with these headers, if any (R4). */
  saved: ColumnMapping | null;
}

export interface StartOptions {
  jobId: string;
  fileName: string;
  mapping: ColumnMapping;
  userName: string;
  defaultCountry: string;
  /** #12: hold likely duplicates for review (true) or import them flagged. */
  hold: boolean;
}

function env(userName: string, defaultCountry: string): ImportEnv {
  return {
    imports: stores.imports,
    randomBytes,
    now: () => new Date(),
    userName,
    defaultCountry: defaultCountry as ValidateContactOptions['defaultCountry'],
  };
}

async function load(file: Blob, name: string): Promise<ParsedSheet> {
  const key = `${name}:${file.size}`;
  if (sheet?.key !== key) sheet = { key, parsed: await parseSheetFile(file, name) };
  return sheet.parsed;
}

/** The keys `unlock` gave, for the index terms `contactTerms` derives (null: the device is not protected). */
let indexKeys: RecordKeys | null = null;

const api = {
  /**
   * X2: from now on this worker's connection seals and opens under the data key (the page reloads to
   * lock); X1: through the stores of the role of the user who unlocked (role-guard.ts).
   */
  unlock(dataKey: Uint8Array, role: Role | null): void {
    const keys = new RecordKeys(dataKey, randomBytes);
    indexKeys = keys;
    dataKey.fill(0);
    const opened = openStores('ihyid', { chromeTransactionDurability: 'relaxed' }, keys);
    stores = role ? storesForRole(opened, role) : opened;
  },

  /** X4, R9: the index terms of contacts a sync received (term-index.ts `contactTerms`), under this worker's data key: off the page's thread. */
  contactTerms(contacts: readonly Contact[]): number[][][] {
    const keys = indexKeys;
    return contacts.map((contact) => contactTerms(contact, keys ? (term) => keys.indexHash(term) : keyHash));
  },

  async inspect(file: Blob, name: string): Promise<SheetSummary> {
    const parsed = await load(file, name);
    const saved = await stores.imports.savedMapping(headerSignature(parsed.headers));
    return {
      headers: parsed.headers,
      preview: parsed.rows.slice(0, 5),
      totalRows: parsed.rows.length,
      suggested: suggestMapping(parsed.headers),
      saved: (saved as ColumnMapping | undefined) ?? null,
    };
  },

  /** Creates the job (with the file, for resuming) and the saved mapping, then runs it. */
  async start(file: Blob, options: StartOptions, onProgress: (p: ImportProgress) => void): Promise<ImportProgress | undefined> {
    const parsed = await load(file, options.fileName);
    const e = env(options.userName, options.defaultCountry);
    await stores.imports.saveMapping(headerSignature(parsed.headers), options.mapping as Record<string, number>, new Date());
    await createImportJob(e, { id: options.jobId, fileName: options.fileName, mapping: options.mapping, totalRows: parsed.rows.length, hold: options.hold }, file);
    return runImport(e, options.jobId, parsed.rows, onProgress);
  },

  /** After a reload: the job's file comes back from IndexedDB and the job goes on after its last batch. */
  async resume(jobId: string, userName: string, defaultCountry: string, onProgress: (p: ImportProgress) => void): Promise<ImportProgress | undefined> {
    const [job, file] = await Promise.all([stores.imports.get(jobId), stores.imports.file(jobId)]);
    if (!job || !file) return job;
    const parsed = await load(file, job.fileName);
    return runImport(env(userName, defaultCountry), jobId, parsed.rows, onProgress);
  },

  async cancel(jobId: string): Promise<void> {
    await cancelImport(stores.imports, jobId, new Date());
  },

  exportContacts(): Promise<Blob> {
    return exportContactsCsv(stores.contacts);
  },

  exportDecisions(): Promise<Blob> {
    return exportDecisionsCsv(stores.contacts);
  },
};

export type DataWorkerApi = typeof api;

Comlink.expose(api);
