import type { DBCore, DBCoreCursor, DBCoreTable, Middleware } from 'dexie';
import type { RowChecks } from '@ihyid/shared';

/**
 * A row that IndexedDB returned in a shape its table's schema refuses (#11): written by a bug, an
 * older build or a hand edit. The read fails with the table's name rather than hand the value on as
 * a type it is not; nothing is changed, so an administrator can still export or inspect the data.
 */
export class StoredRowError extends Error {
  constructor(readonly database: string, readonly table: string) {
    super(`A record saved on this device (${database}, ${table}) is damaged and was not used. Nothing was changed.`);
    this.name = 'StoredRowError';
  }
}

/**
 * Every read of a checked table goes through its row check, under Dexie: get, getMany, queries and
 * cursors (toArray, each, filter, first…), so no reader can skip it. Tables without a check (there
 * should be none in a database that uses this) are passed through.
 */
export function rowSchemasMiddleware(database: string, checks: RowChecks): Middleware<DBCore> {
  const checked = (table: string, row: unknown): unknown => {
    if (row === undefined) return row;
    if (!checks[table]!(row)) throw new StoredRowError(database, table);
    return row;
  };
  return {
    stack: 'dbcore',
    name: 'ihyid-row-schemas',
    create: (down) => ({
      ...down,
      table: (name): DBCoreTable => {
        const table = down.table(name);
        if (!checks[name]) return table;
        const check = (trans: unknown, row: unknown): unknown => (upgrading(trans) ? row : checked(name, row));
        return {
          ...table,
          // Plain `then`, no `async` (as in the seal middleware): an `await` here moves Dexie's
          // continuation out of its transaction zone (Collection.modify then fails, fake-indexeddb commits early).
          get: (request) => table.get(request).then((row) => check(request.trans, row)),
          getMany: (request) => table.getMany(request).then((rows) => rows.map((row) => check(request.trans, row))),
          query: (request) =>
            request.values ? table.query(request).then((response) => ({ ...response, result: response.result.map((row) => check(request.trans, row)) })) : table.query(request),
          openCursor: (request) =>
            request.values && !upgrading(request.trans)
              ? table.openCursor(request).then((cursor) => cursor && checkedCursor(cursor, (row) => checked(name, row)))
              : table.openCursor(request),
        };
      },
    }),
  };
}

/**
 * A schema upgrade reads the rows of an older version as they are and rewrites them: a damaged row
 * must not stop the database from opening (every later read would then fail, not only that row's),
 * so the check applies to what the upgrade leaves, on the reads after it.
 */
function upgrading(trans: unknown): boolean {
  return (trans as { mode?: string } | undefined)?.mode === 'versionchange';
}

/**
 * The same cursor, whose `value` is checked each time it is read. In a browser the cursor is a native
 * IDBCursor, whose getters refuse any other receiver, so `key` and `primaryKey` are passed on
 * explicitly (as Dexie's own virtual-index middleware does); Dexie's own fields are inherited.
 */
function checkedCursor(cursor: DBCoreCursor, check: (row: unknown) => unknown): DBCoreCursor {
  return Object.create(cursor, {
    key: { get: () => cursor.key },
    primaryKey: { get: () => cursor.primaryKey },
    value: { get: () => check(cursor.value) },
  }) as DBCoreCursor;
}
