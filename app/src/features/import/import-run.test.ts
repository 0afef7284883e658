import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticRows, matchKeys, validateContactInput } from '@ihyid/shared';
import { newContactRecord } from '../../storage/contacts';
import { openDb, type IhyidDb } from '../../storage/db';
import { pairId } from '@ihyid/shared';
import { DexieImportJobStore } from '../../storage/import-jobs';
import { cancelImport, createImportJob, IMPORT_BATCH, runImport, type ImportEnv } from './import-run';
import { crashImport } from './import-crash';
import { rowToInput, type ColumnMapping } from './mapping';

const FIELDS = ['firstName', 'lastName', 'fatherName', 'motherName', 'birthDate', 'sex', 'phone', 'documentType', 'documentNumber', 'location', 'householdSize', 'notes'] as const;
const MAPPING: ColumnMapping = Object.fromEntries(FIELDS.map((f, i) => [f, i]));

function sheet(rows: number, duplicates: number): string[][] {
  return generateSyntheticRows({ seed: `import-${rows}`, rows, duplicates }).map((p) => FIELDS.map((f) => p.row[f]));
}

const opened: IhyidDb[] = [];
/** The import's environment, and the database behind its store for the test to look into. */
function env(name = `import-${Math.random()}`): ImportEnv & { db: IhyidDb } {
  const db = openDb(name);
  opened.push(db);
  return { db, imports: new DexieImportJobStore(db), randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)), now: () => new Date(), userName: 'amal', defaultCountry: 'LB' };
}
afterEach(async () => {
  const dbs = opened.splice(0);
  for (const db of dbs) db.close();
  for (const name of new Set(dbs.map((db) => db.name))) await Dexie.delete(name);
});

describe('import run', () => {
  it('[R4][R8] imports every valid row, flags rows sharing a key, rejects invalid rows with their row number', async () => {
    const e = env();
    const rows = sheet(300, 30);
    rows.push(['', 'NoFirstName', '', '', '1990', '', '', '', '', '', '', '']);
    await createImportJob(e, { id: 'job1', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length, hold: false }, null);
    const done = (await runImport(e, 'job1', rows))!;
    expect(done).toMatchObject({ status: 'done', imported: 300, rejected: 1, nextRow: 301 });
    expect(done.duplicates).toBeGreaterThanOrEqual(28);
    // #12: the report shows what was read in the row, and the rejected cell's value.
    expect(done.errors).toEqual([{ row: 302, field: 'firstName', message: 'Enter the first name.', value: '', summary: 'NoFirstName · 1990' }]);
    expect(await e.db.contacts.count()).toBe(300);
    expect(await e.db.pairs.where('status').equals('pending').count()).toBeGreaterThanOrEqual(done.duplicates);
  });

  it('[R4] a crash in the middle of a batch loses nothing and doubles nothing when the job resumes', async () => {
    const e = env();
    const rows = sheet(IMPORT_BATCH * 2 + 100, 50);
    await createImportJob(e, { id: 'job2', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length, hold: false }, null);
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
  }, 180_000);

  it('[R4] cancel stops before the next batch and keeps what was imported', async () => {
    const e = env();
    const rows = sheet(IMPORT_BATCH + 10, 0);
    await createImportJob(e, { id: 'job3', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length, hold: false }, new Blob(['x']));
    const done = await runImport(e, 'job3', rows, (p) => {
      // The user's click arrives as its own message, outside the batch's transaction.
      if (p.nextRow === IMPORT_BATCH) void Dexie.ignoreTransaction(() => cancelImport(e.imports, 'job3', new Date()));
    });
    expect(done?.status).toBe('cancelled');
    expect(await e.db.contacts.count()).toBe(IMPORT_BATCH);
    expect(await e.db.importFiles.count()).toBe(0);
  }, 180_000);
});

/** Rows whose notes say which row they are, so two runs (with different random ids) compare. */
function numberedSheet(rows: number, duplicates: number): string[][] {
  return sheet(rows, duplicates).map((cells, i) => cells.map((c, f) => (FIELDS[f] === 'notes' ? `row ${i}` : c)));
}

/** Rows sharing a match key with an earlier row: what the import must flag, worked out here. */
function expectedFlagged(rows: readonly string[][]): number {
  const seen = new Set<string>();
  let flagged = 0;
  for (const cells of rows) {
    const valid = validateContactInput(rowToInput(cells, MAPPING), { defaultCountry: 'LB', today: '2026-11-22' });
    if (!valid.ok) continue;
    const keys = matchKeys(valid.value);
    if (keys.some((k) => seen.has(k))) flagged++;
    for (const k of keys) seen.add(k);
  }
  return flagged;
}

/** The contacts (by row), the pairs (by rows, with their keys) and the job's counts. */
async function outcome(db: IhyidDb, jobId: string) {
  const contacts = await db.contacts.toArray();
  const rowOf = new Map(contacts.map((c) => [c.id as string, c.notes]));
  const pairs = (await db.pairs.toArray()).map((p) => `${[rowOf.get(p.a), rowOf.get(p.b)].sort().join(' & ')}: ${[...p.keys].sort().join(' ')}`).sort();
  const job = (await db.importJobs.get(jobId))!;
  return {
    contacts: contacts.map((c) => c.notes).sort(),
    pairs,
    job: { status: job.status, nextRow: job.nextRow, imported: job.imported, duplicates: job.duplicates, rejected: job.rejected },
  };
}

describe('import run: resuming after a crash or a reload at any point gives the uninterrupted result', () => {
  // Three batches, with planted duplicates that span batches.
  const rows = numberedSheet(IMPORT_BATCH * 2 + 300, 400);
  let reference: Awaited<ReturnType<typeof outcome>>;

  beforeAll(async () => {
    const e = env();
    await createImportJob(e, { id: 'ref', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length, hold: false }, null);
    await runImport(e, 'ref', rows);
    reference = await outcome(e.db, 'ref');
    e.db.close();
    await e.db.delete();
  }, 180_000);

  it('[R4][R8] the uninterrupted run flags exactly the rows that share a key with an earlier row', () => {
    expect(reference.job).toEqual({ status: 'done', nextRow: rows.length, imported: rows.length, duplicates: expectedFlagged(rows), rejected: 0 });
    expect(reference.contacts).toHaveLength(rows.length);
    expect(reference.pairs.length).toBeGreaterThanOrEqual(reference.job.duplicates);
  });

  // The batch's `now()` is read once while the batch is prepared, once in its transaction; its
  // progress is reported in the transaction, after the writes.
  const points = [1, 2, 3].flatMap((batch) => [
    { batch, where: 'before the batch is prepared', nowCall: 2 * batch - 1 },
    { batch, where: 'in the transaction, before the writes', nowCall: 2 * batch },
    { batch, where: 'in the transaction, after the writes', progressCall: batch },
  ]);

  it.each(points)('[R4][R8] crash in batch $batch, $where', async ({ nowCall, progressCall }) => {
    const e = env();
    await createImportJob(e, { id: 'job', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length, hold: false }, null);
    expect(String(await crashImport(e, 'job', rows, { nowCall, progressCall }))).toContain('tab closed');
    await runImport(e, 'job', rows);
    expect(await outcome(e.db, 'job')).toEqual(reference);
  }, 180_000);

  it.each([0, 1])(
    '[R4][R8] two workers resume the same job after %i batches (a reloaded page and the old one, or two tabs): nothing lost, nothing doubled',
    async (after) => {
      const e = env();
      await createImportJob(e, { id: 'job', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length, hold: false }, null);
      let progress = 0;
      await runImport(e, 'job', rows, () => {
        if (++progress === after + 1) throw new Error('tab closed');
      }).catch((err: unknown) => expect(String(err)).toContain('tab closed'));
      // Each worker has its own connection; each takes the batches the other has not committed yet.
      const otherDb = openDb(e.db.name);
      opened.push(otherDb);
      const other: ImportEnv = { ...e, imports: new DexieImportJobStore(otherDb) };
      await Promise.all([runImport(e, 'job', rows), runImport(other, 'job', rows)]);
      expect(await outcome(e.db, 'job')).toEqual(reference);
    },
    180_000,
  );

  it('[R8] a contact saved elsewhere while the import runs is paired with the rows it matches', async () => {
    const e = env();
    await createImportJob(e, { id: 'job', fileName: 'x.csv', mapping: MAPPING, totalRows: rows.length, hold: false }, null);
    // The editor, on the page's own connection, saves the person of the last row between batches.
    const editor = openDb(e.db.name);
    opened.push(editor);
    const last = rows[rows.length - 1]!;
    const valid = validateContactInput(rowToInput(last.map((c, i) => (FIELDS[i] === 'notes' ? 'saved' : c)), MAPPING), { defaultCountry: 'LB', today: '2026-11-22' });
    if (!valid.ok) throw new Error('the last row is valid');
    const saved = newContactRecord({ ...valid.value, phoneticIdV0: null, matchKeys: matchKeys(valid.value) }, { createdBy: 'amal', now: new Date(), randomBytes: e.randomBytes });
    await runImport(e, 'job', rows, (p) => {
      if (p.nextRow === IMPORT_BATCH) void Dexie.ignoreTransaction(() => editor.contacts.add(saved));
    });
    const lastRow = (await e.db.contacts.toArray()).find((c) => c.notes === `row ${rows.length - 1}`)!;
    expect(await e.db.pairs.get(pairId(lastRow.id, saved.id))).toMatchObject({ status: 'pending', foundBy: 'job' });
    expect((await e.db.importJobs.get('job'))!.duplicates).toBe(reference.job.duplicates + 1);
  }, 180_000);
});
