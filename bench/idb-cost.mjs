// What IndexedDB itself costs per stored contact in headless Chromium, to read bench:dedup against:
// records of the contact's shape written in transactions of 5,000 with relaxed durability (as the
// import writes them), with no index, with the three single-valued indexes of the contacts table,
// and with those plus the multi-entry `*keyHashes` index (about seven entries per contact); then sealed
// rows (X2) with the four multi-entry indexes of schema v14, and two layouts that batch the index writes instead
// (the first is the app's since v15: term-index.ts; the second, 100 contacts a row, since v19: contact-packs.ts).
// Raw IndexedDB, no Dexie, no app code. Prints one JSON line per layout.
//   node bench/idb-cost.mjs [--n 30000]
import { onBlankPage, parseArgs } from './lib/two-orgs.mjs';

const { n } = parseArgs({ n: 30_000 });
await onBlankPage(async (page) => {
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
    // A contact as a protected device stores it (X2): the record sealed, beside the keyed hashes of
    // its four multi-entry indexes (*keyHashes, *nameTerms, *blockTerms, *importTerms: about 24 a contact).
    const sealedRow = (i) => {
      const sealed = new Uint8Array(700);
      crypto.getRandomValues(sealed);
      const terms = (k0, count) => Array.from({ length: count }, (_, k) => hash(i, k0 + k));
      return { id: crypto.randomUUID(), updatedAt: new Date(Date.now() + i).toISOString(), keyHashes: terms(0, 7), nameTerms: terms(10, 10), blockTerms: terms(30, 6), importTerms: [42], sealed };
    };
    const out = [];
    const single = [['updatedAt', false], ['lastName', false], ['firstName', false]];
    const layouts = [
      ['no index', []],
      ['3 single-valued indexes', single],
      ['3 single-valued + *keyHashes', [...single, ['keyHashes', true]]],
    ];
    // The sealed layouts: today's (one row a contact, four multi-entry indexes), and two layouts
    // that batch the index writes instead: one row a contact with no term index plus one postings
    // row per batch (every term hash of the batch with its row), and 100 contacts a row plus the same.
    const sealedLayouts = [
      ['sealed rows, updatedAt + 4 multi-entry indexes (the app up to schema v14)', 'row', [['updatedAt', false], ['keyHashes', true], ['nameTerms', true], ['blockTerms', true], ['importTerms', true]]],
      ['sealed rows, updatedAt only', 'row', [['updatedAt', false]]],
      ['sealed rows, updatedAt only + one postings row per batch (the app since v15, term-index.ts)', 'row+postings', [['updatedAt', false]]],
      ['100 sealed contacts a row + one postings row per batch', 'chunk+postings', []],
    ];
    /** One fresh database with `indexes` on `contacts` (and a `postings` store); `write(tx, from)` fills each batch's transaction. */
    async function measure(layout, indexes, write) {
      const name = `idb-cost-${Math.random()}`;
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name, 1);
        open.onupgradeneeded = () => {
          const store = open.result.createObjectStore('contacts', { keyPath: 'id' });
          for (const [path, multiEntry] of indexes) store.createIndex(path, path, { multiEntry });
          open.result.createObjectStore('postings', { keyPath: 'id' });
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const t0 = performance.now();
      for (let from = 0; from < n; from += BATCH) {
        const tx = db.transaction(['contacts', 'postings'], 'readwrite', { durability: 'relaxed' });
        const done = new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
        write(tx, from, Math.min(n, from + BATCH));
        await done;
      }
      const ms = performance.now() - t0;
      db.close();
      indexedDB.deleteDatabase(name);
      out.push({ layout, ms: Math.round(ms), microsecondsPerContact: Math.round((ms * 1000) / n) });
    }
    for (const [layout, shape, indexes] of sealedLayouts) {
      await measure(layout, indexes, (tx, from, to) => {
        const rows = [];
        for (let i = from; i < to; i++) rows.push(sealedRow(i));
        const contacts = tx.objectStore('contacts');
        if (shape === 'chunk+postings') {
          for (let c = 0; c < rows.length; c += 100) contacts.add({ id: `${from}:${c}`, rows: rows.slice(c, c + 100) });
        } else {
          for (const r of rows) contacts.add(shape === 'row' ? r : { id: r.id, updatedAt: r.updatedAt, sealed: r.sealed });
        }
        if (shape === 'row') return;
        const count = rows.reduce((sum, r) => sum + r.keyHashes.length + r.nameTerms.length + r.blockTerms.length + r.importTerms.length, 0);
        const terms = new Float64Array(count);
        const at = new Uint32Array(count);
        let k = 0;
        rows.forEach((r, j) => {
          for (const t of [...r.keyHashes, ...r.nameTerms, ...r.blockTerms, ...r.importTerms]) { terms[k] = t; at[k++] = from + j; }
        });
        tx.objectStore('postings').add({ id: from, terms, at });
      });
    }
    for (const [layout, indexes] of layouts) {
      await measure(layout, indexes, (tx, from, to) => {
        const store = tx.objectStore('contacts');
        for (let i = from; i < to; i++) store.add(contact(i));
      });
    }
    return out;
  }, n);
  for (const r of results) console.log(JSON.stringify({ bench: 'idb-cost', records: n, ...r }));
});
