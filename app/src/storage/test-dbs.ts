import { openDb, type IhyidDb } from './db';

/**
 * Fresh app databases for tests (fake-indexeddb): `open(name?)` opens one (a given name reopens what
 * a test wrote there at an older schema); `closeAll` closes and deletes them, for `afterEach`.
 */
export function testDbs(prefix: string): { open(name?: string): IhyidDb; closeAll(): Promise<void> } {
  const opened: IhyidDb[] = [];
  return {
    open(name = `${prefix}-${opened.length}-${Math.random()}`) {
      const db = openDb(name);
      opened.push(db);
      return db;
    },
    async closeAll() {
      for (const db of opened.splice(0)) {
        db.close();
        await db.delete();
      }
    },
  };
}
