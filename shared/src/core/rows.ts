import * as v from 'valibot';

/**
 * A table's rows as IndexedDB holds them, checked on every read (#11): a row that a bug, an older
 * build or a hand edit left in another shape is refused with the table's name instead of flowing on
 * as a typed value it is not. The app's storage applies these under Dexie (storage/row-schemas.ts).
 */
export type RowChecks = Readonly<Record<string, (row: unknown) => boolean>>;

/** One check per table: `v.is` against each schema, so the app needs no schema library of its own. */
export function rowChecks(schemas: Readonly<Record<string, v.GenericSchema>>): RowChecks {
  return Object.fromEntries(Object.entries(schemas).map(([table, schema]) => [table, (row: unknown) => v.is(schema, row)]));
}

/** Milliseconds since 1970 as IndexedDB keeps them. */
export const StoredTime = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
/** A local calendar day, 'YYYY-MM-DD'. */
export const StoredDay = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/));
export const storedHex = (bytes: number) => v.pipe(v.string(), v.regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`)));
