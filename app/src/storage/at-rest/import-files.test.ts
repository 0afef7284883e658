import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesToBase64 } from '@ihyid/shared';
import { openDb, type IhyidDb, type ImportJob } from '../db';
import { DexieImportJobStore } from '../import-jobs';
import { RecordKeys } from './keyring';
import { sealOrgInPlace } from './migrate';
import { rawDump } from './raw-dump';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const CSV = 'first_name,last_name,phone\nGuillaumette,Abdelkaderova,+96171234987\nمحمد,الحسن,+9613555111\n';
// The file's text, and its base64 (how an unsealed row would hold it).
const TYPED = ['Guillaumette', 'Abdelkaderova', '+96171234987', 'محمد', 'الحسن', '+9613555111', 'first_name', bytesToBase64(new TextEncoder().encode(CSV)).slice(0, 40)];

const job = (id: string): ImportJob => ({
  id,
  fileName: 'kobo-export.csv',
  createdAt: '2026-12-05T07:00:00.000Z',
  createdBy: 'amal',
  mapping: { firstName: 0, lastName: 1 },
  headerRow: 1,
  totalRows: 2,
  nextRow: 0,
  imported: 0,
  duplicates: 0,
  rejected: 0,
  errors: [],
  status: 'running',
});

const opened: IhyidDb[] = [];
afterEach(async () => {
  const dbs = opened.splice(0);
  for (const db of dbs) db.close();
  for (const name of new Set(dbs.map((db) => db.name))) await Dexie.delete(name);
});

function open(name: string, keys?: RecordKeys): IhyidDb {
  const db = openDb(name, undefined, undefined, keys ? { keys: () => keys } : undefined);
  opened.push(db);
  return db;
}

describe('X2: an import\'s file at rest (R4)', () => {
  it('[X2][R4] the file kept for resuming is sealed: the raw database shows none of it, and it comes back byte for byte', async () => {
    const name = `import-file-${Math.random()}`;
    const keys = new RecordKeys(random(32), random);
    const store = new DexieImportJobStore(open(name, keys));
    await store.create(job('j1'), new Blob([CSV], { type: 'text/csv' }));
    const dump = await rawDump(name);
    expect(dump).toContain('j1');
    // Only the id is left in the clear.
    const raw = new Dexie(name);
    await raw.open();
    expect(Object.keys((await raw.table('importFiles').get('j1')) as object).sort()).toEqual(['$x', 'id']);
    raw.close();
    for (const s of TYPED) expect(dump.includes(s), s).toBe(false);
    const back = (await store.file('j1'))!;
    expect(back.type).toBe('text/csv');
    expect(await back.text()).toBe(CSV);
    // Finishing the job drops its file.
    await store.finish({ ...job('j1'), status: 'done' });
    expect(await store.file('j1')).toBeUndefined();
  });

  it('[X2][R4] a file an older version kept as a Blob in the clear is sealed by the first unlock, and still resumes', async () => {
    const name = `import-file-legacy-${Math.random()}`;
    const plain = open(name);
    await new DexieImportJobStore(plain).create(job('j2'), null);
    await plain.importFiles.put({ id: 'j2', blob: new Blob([CSV], { type: 'text/csv' }) });
    expect(await rawDump(name)).toContain('Guillaumette');
    plain.close();

    const keys = new RecordKeys(random(32), random);
    const db = open(name, keys);
    await sealOrgInPlace(db);
    const dump = await rawDump(name);
    for (const s of TYPED) expect(dump.includes(s), s).toBe(false);
    expect(await (await new DexieImportJobStore(db).file('j2'))!.text()).toBe(CSV);
  });

  it('[X2] without the keys the sealed file does not open', async () => {
    const name = `import-file-locked-${Math.random()}`;
    const keys = new RecordKeys(random(32), random);
    await new DexieImportJobStore(open(name, keys)).create(job('j3'), new Blob([CSV]));
    const other = new DexieImportJobStore(open(name, new RecordKeys(random(32), random)));
    await expect(other.file('j3')).rejects.toThrow();
  });
});
