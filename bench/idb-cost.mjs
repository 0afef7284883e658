// What IndexedDB itself costs per stored contact in headless Chromium, to read bench:dedup against:
// records of the contact's shape written in transactions of 5,000 with relaxed durability (as the
// import writes them), with no index, with the three single-valued indexes of the contacts table,
// and with those plus the multi-entry `*keyHashes` index (about seven entries per contact).
// Raw IndexedDB, no Dexie, no app code. Prints one JSON line per layout.
//   node bench/idb-cost.mjs [--n 30000]
import { createServer } from 'node:http';
import { launch, parseArgs } from './lib/two-orgs.mjs';

const { n } = parseArgs({ n: 30_000 });
const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>idb</title>')).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const browser = await launch({ stop: () => server.close() });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const results = await page.evaluate(async (n) => {
    const BATCH = 5000;
    // Seven pseudo-random 53-bit hashes per contact, like keyHashes of matchKeysV1.
    const hash = (i, k) => ((Math.imul(i + 1, 2654435761) ^ Math.imul(k + 7, 40503)) >>> 0) * 2097152 + k;
    const contact = (i) => ({
      id: crypto.randomUUID(),
      firstName: `Mohammad${i % 500}`,
      lastName: `Haddad${i % 900}`,
      fatherName: 'Ali',
      motherName: 'Zeinab',
      birth: { kind: 'date', date: '1980-01-02' },
      sex: 'male',
      phone: '+9613123456',
      documentType: 'National ID',
      documentNumber: `LB${i}`,
      location: 'Tyre',
      householdSize: 4,
      notes: '',
      phoneticIdV0: 'M530-H330-A400-Z515-19800102',
      secretHex: 'ab'.repeat(32),
      createdAt: new Date().toISOString(),
      updatedAt: new Date(Date.now() + i).toISOString(),
      createdBy: 'bench',
      matchKeys: Array.from({ length: 7 }, (_, k) => `{"born":"1980-01-02","kind":"name-dob","names":"HT MHMT${hash(i, k)}","v":1}`),
      keyHashes: Array.from({ length: 7 }, (_, k) => hash(i, k)),
    });
    const single = [['updatedAt', false], ['lastName', false], ['firstName', false]];
    const layouts = [
      ['no index', []],
      ['3 single-valued indexes', single],
      ['3 single-valued + *keyHashes', [...single, ['keyHashes', true]]],
    ];
    const out = [];
    for (const [layout, indexes] of layouts) {
      const name = `idb-cost-${Math.random()}`;
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name, 1);
        open.onupgradeneeded = () => {
          const store = open.result.createObjectStore('contacts', { keyPath: 'id' });
          for (const [path, multiEntry] of indexes) store.createIndex(path, path, { multiEntry });
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const t0 = performance.now();
      for (let from = 0; from < n; from += BATCH) {
        await new Promise((resolve, reject) => {
          const tx = db.transaction('contacts', 'readwrite', { durability: 'relaxed' });
          const store = tx.objectStore('contacts');
          for (let i = from; i < Math.min(n, from + BATCH); i++) store.add(contact(i));
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
      }
      const ms = performance.now() - t0;
      db.close();
      indexedDB.deleteDatabase(name);
      out.push({ layout, ms: Math.round(ms), microsecondsPerContact: Math.round((ms * 1000) / n) });
    }
    return out;
  }, n);
  for (const r of results) console.log(JSON.stringify({ bench: 'idb-cost', records: n, ...r }));
} finally {
  await browser.close();
  server.close();
}
