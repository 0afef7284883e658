import type { Page } from '@playwright/test';

/**
 * Every object store of every IndexedDB database of the origin, read through the raw IndexedDB API
 * (not through the app), as text: strings as they are, binary decoded as UTF-8 and as UTF-16, blobs read.
 * `only`: just these databases.
 */
export async function rawDump(page: Page, only?: readonly string[]): Promise<string> {
  return page.evaluate(async (only) => {
    const parts: string[] = [];
    const text = async (value: unknown): Promise<void> => {
      if (value instanceof Blob) return void parts.push(await value.text());
      if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
        const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
        parts.push(new TextDecoder('utf-8').decode(bytes), new TextDecoder('utf-16le').decode(bytes.subarray(0, bytes.length & ~1)));
        return;
      }
      if (Array.isArray(value)) for (const v of value) await text(v);
      else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) parts.push(k), await text(v);
      else parts.push(String(value));
    };
    for (const info of await indexedDB.databases()) {
      if (only && !only.includes(info.name!)) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      parts.push(`db:${db.name}`);
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        parts.push(`store:${store}`);
        await text(rows);
      }
      db.close();
    }
    return parts.join('\n');
  }, only);
}

/** The primary keys of one object store, read through the raw IndexedDB API (opened as it is, never upgraded). */
export async function rawKeys(page: Page, database: string, store: string): Promise<string[]> {
  return page.evaluate(
    ([database, store]) =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) return db.close(), resolve([]);
          const req = db.transaction(store).objectStore(store).getAllKeys();
          req.onsuccess = () => {
            db.close();
            resolve(req.result.map(String));
          };
          req.onerror = () => reject(req.error);
        };
      }),
    [database, store] as const,
  );
}
