// What the primary key of the record versions costs IndexedDB in headless Chromium (#16): n versions
// of the app's shape (a sealed contact as base64 text, about 1.4 KB; the `[ts+id]`, `record` and
// `*viaHops` indexes), written in transactions of 1,000 in reconciliation order (as `adopt` and a sync
// write them), then all read back 500 at a time in that order (as a sync reads what it sends): keyed
// by the version's id (a hash: every write and read lands at a random place), or by `[ts, id]` itself
// (writes append, reads walk the keys in order); then keyed by id with the data as bytes instead of
// base64 text, by id with no index at all (read one get per id), and n versions a row (no index: 100, whose rows pass the 64 KB above which Chromium keeps a value as a blob file of its own, and 40, whose rows do not). Raw IndexedDB, no Dexie, no app code. One JSON line per layout; --layouts picks some.
//   node bench/idb-versions.mjs [--n 100000]
import { onBlankPage, parseArgs } from './lib/two-orgs.mjs';

const { n, layouts } = parseArgs({ n: 100_000, layouts: 'id,[ts+id],id and data as bytes,id and no index,100 versions a row,40 versions a row' });
await onBlankPage(async (page) => {
  for (const layout of layouts.split(',')) {
    const result = await page.evaluate(
      async ({ n, layout }) => {
        const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
        const text = (len) => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(len))));
        const t0 = Date.UTC(2026, 11, 5);
        const versions = Array.from({ length: n }, (_, i) => {
          const id = hex(crypto.getRandomValues(new Uint8Array(32)));
          const record = `contacts/${crypto.randomUUID()}`;
          const ts = t0 + Math.floor(i / 3);
          const data = layout === 'id and data as bytes' ? crypto.getRandomValues(new Uint8Array(760)) : text(760);
          return { id, ts, record, body: { v: 1, record, hlc: `${ts}:0:a`, parents: [], op: 'put', data }, via: [`e5e5:${ts}`], viaHops: [`e5e5:${String(ts).padStart(15, '0')}`] };
        });
        versions.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
        const name = `idb-versions-${Math.random()}`;
        const db = await new Promise((resolve, reject) => {
          const open = indexedDB.open(name, 1);
          open.onupgradeneeded = () => {
            if (layout.endsWith('versions a row')) {
              open.result.createObjectStore('v', { keyPath: 'first' });
              return;
            }
            if (layout === 'id and no index') {
              open.result.createObjectStore('v', { keyPath: 'id' });
              return;
            }
            const store = open.result.createObjectStore('v', { keyPath: layout === '[ts+id]' ? ['ts', 'id'] : 'id' });
            if (layout === '[ts+id]') store.createIndex('id', 'id', { unique: true });
            else store.createIndex('ts+id', ['ts', 'id']);
            store.createIndex('record', 'record');
            store.createIndex('viaHops', 'viaHops', { multiEntry: true });
          };
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const done = (tx) => new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error)), (tx.onabort = () => reject(tx.error))));
        const w0 = performance.now();
        for (let i = 0; i < n; i += 1000) {
          const tx = db.transaction('v', 'readwrite', { durability: 'relaxed' });
          const store = tx.objectStore('v');
          const batch = versions.slice(i, i + 1000);
          const perRow = layout.endsWith('versions a row') ? Number.parseInt(layout, 10) : 0;
          if (perRow) for (let k = 0; k < batch.length; k += perRow) store.put({ first: [batch[k].ts, batch[k].id], versions: batch.slice(k, k + perRow) });
          else for (const v of batch) store.put(v);
          await done(tx);
        }
        const writeMs = performance.now() - w0;
        const r0 = performance.now();
        let read = 0;
        for (let i = 0; i < n; i += 500) {
          const batch = versions.slice(i, i + 500);
          const [first, last] = [batch[0], batch[batch.length - 1]];
          const tx = db.transaction('v', 'readonly');
          const source = layout === '[ts+id]' || layout.endsWith('versions a row') ? tx.objectStore('v') : layout === 'id and no index' ? null : tx.objectStore('v').index('ts+id');
          const rows = await new Promise((resolve, reject) => {
            // Without an index, one get per id (what a read by id costs).
            if (source === null) {
              const out = [];
              const store = tx.objectStore('v');
              for (const v of batch) store.get(v.id).onsuccess = (e) => out.push(e.target.result);
              tx.oncomplete = () => resolve(out);
              tx.onerror = () => reject(tx.error);
              return;
            }
            const req = source.getAll(IDBKeyRange.bound([first.ts, first.id], [last.ts, last.id]));
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
          read += layout.endsWith('versions a row') ? rows.reduce((sum, row) => sum + row.versions.length, 0) : rows.length;
        }
        const readMs = performance.now() - r0;
        db.close();
        indexedDB.deleteDatabase(name);
        return { writeMs: Math.round(writeMs), readMs: Math.round(readMs), read };
      },
      { n, layout },
    );
    console.log(JSON.stringify({ bench: 'idb-versions', n, layout, ...result }));
  }
});
