import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSyntheticRows } from '@ihyid/shared';
import { openDb, type IhyidDb } from '../../storage/db';
import { cancelImport, createImportJob, IMPORT_BATCH, runImport, type ImportEnv } from './import-run';
import type { ColumnMapping } from './mapping';

const FIELDS = ['firstName', 'lastName', 'fatherName', 'motherName', 'birthDate', 'sex', 'phone', 'documentType', 'documentNumber', 'location', 'householdSize', 'notes'] as const;
const MAPPING: ColumnMapping = Object.fromEntries(FIELDS.map((f, i) => [f, i]));

function sheet(rows: number, duplicates: number): string[][] {
  return generateSyntheticRows({ seed: `import-${rows}`, rows, duplicates }).map((p) => FIELDS.map((f) => p.row[f]));
}

const opened: IhyidDb[] = [];
function env(): ImportEnv {
  const db = openDb(`import-${Math.random()}`);
  opened.push(db);
  return { db, randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)), now: () => new Date(), userName: 'amal', defaultCountry: 'LB' };
}
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('import run', () => {
  it('[R4][R8] imports every valid row, flags rows sharing a key, rejects invalid rows with their row number', async () => {
    const e = env();
    const rows = sheet(300, 30);
    rows.push(['', 'NoFirstName', '', '', '1990', '', '', '', '', '', '', '']);
    await createImportJob(e, { id: 'job1', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length }, null);
    const done = (await runImport(e, 'job1', rows))!;
    expect(done).toMatchObject({ status: 'done', imported: 300, rejected: 1, nextRow: 301 });
    expect(done.duplicates).toBeGreaterThanOrEqual(28);
    expect(done.errors).toEqual([{ row: 302, field: 'firstName', message: 'Enter the first name.' }]);
    expect(await e.db.contacts.count()).toBe(300);
    expect(await e.db.pairs.where('status').equals('pending').count()).toBeGreaterThanOrEqual(done.duplicates);
  });

  it('[R4] a crash in the middle of a batch loses nothing and doubles nothing when the job resumes', async () => {
    const e = env();
    const rows = sheet(IMPORT_BATCH * 2 + 100, 50);
    await createImportJob(e, { id: 'job2', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length }, null);
    let calls = 0;
    // The second batch's transaction fails after its writes: it must leave no trace.
    await expect(
      runImport(e, 'job2', rows, () => {
        if (++calls === 2) throw new Error('tab closed');
      }),
    ).rejects.toThrow('tab closed');
    expect((await e.db.importJobs.get('job2'))!.nextRow).toBe(IMPORT_BATCH);
    expect(await e.db.contacts.count()).toBe(IMPORT_BATCH);

    const done = (await runImport(e, 'job2', rows))!;
    expect(done).toMatchObject({ status: 'done', imported: rows.length, rejected: 0 });
    expect(await e.db.contacts.count()).toBe(rows.length);
  }, 60_000);

  it('[R4] cancel stops before the next batch and keeps what was imported', async () => {
    const e = env();
    const rows = sheet(IMPORT_BATCH + 10, 0);
    await createImportJob(e, { id: 'job3', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length }, new Blob(['x']));
    const done = await runImport(e, 'job3', rows, (p) => {
      // The user's click arrives as its own message, outside the batch's transaction.
      if (p.nextRow === IMPORT_BATCH) void Dexie.ignoreTransaction(() => cancelImport(e.db, 'job3', new Date()));
    });
    expect(done?.status).toBe('cancelled');
    expect(await e.db.contacts.count()).toBe(IMPORT_BATCH);
    expect(await e.db.importFiles.count()).toBe(0);
  }, 60_000);
});
