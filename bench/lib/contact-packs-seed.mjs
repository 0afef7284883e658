// Writes contacts rows into the app's IndexedDB past the app, as its contacts table lays them out since
// schema v19 (app/src/storage/contact-packs.ts): a hundred to a `contactPacks` row, each pack within one
// lane (the id's first hex digit), each pack's ids and times in `contactKeys`, and a new stamp in
// `syncMeta` (no log: every connection then reads the keys again). New packs follow each lane's last.
// Run in the page (page.evaluate): self-contained. The app must have opened its database once.
// Used by the e2e fixtures (e2e/check-helpers.ts) and the benchmarks (bench/lib/two-orgs.mjs).
export async function writeContactPacks(rows) {
  const SPAN = 2 ** 32;
  const SIZE = 100;
  const laneOf = (id) => {
    const c = id.charCodeAt(0);
    return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : 16;
  };
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('ihyid');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction(['contactPacks', 'contactKeys', 'syncMeta'], 'readwrite');
    const packs = tx.objectStore('contactPacks');
    const keys = tx.objectStore('contactKeys');
    const held = keys.getAllKeys();
    held.onsuccess = () => {
      const last = new Map();
      for (const pack of held.result) {
        const lane = Math.floor(pack / SPAN);
        last.set(lane, Math.max(last.get(lane) ?? 0, pack));
      }
      const byLane = new Map();
      for (const row of rows) {
        const lane = laneOf(row.id);
        if (!byLane.has(lane)) byLane.set(lane, []);
        byLane.get(lane).push(row);
      }
      for (const [lane, of] of byLane) {
        let pack = last.get(lane) ?? lane * SPAN;
        for (let at = 0; at < of.length; at += SIZE) {
          const chunk = of.slice(at, at + SIZE);
          pack++;
          packs.put({ pack, rows: chunk });
          keys.put({ pack, ids: chunk.map((row) => row.id), updatedAt: chunk.map((row) => row.updatedAt) });
        }
      }
      tx.objectStore('syncMeta').put({ key: 'contacts', stamp: crypto.randomUUID() });
    };
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}
