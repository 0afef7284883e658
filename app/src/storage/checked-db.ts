import type Dexie from 'dexie';
import type { RowChecks } from '@ihyid/shared';
import type { RecordKeys } from './at-rest/keyring';
import { sealMiddleware, type SealedTables } from './at-rest/seal-middleware';
import { rowSchemasMiddleware } from './row-schemas';

/**
 * #11, X2: how each of the app's databases is opened (the organisation's, identity, witness): every row
 * read is checked against its table's schema, after the seal has opened it; with `atRest` (a protected
 * device, unlocked) the `sealed` tables' rows are sealed under the data key.
 */
export function checkAndSeal(db: Dexie, rows: RowChecks, atRest: { keys: () => RecordKeys } | undefined, sealed?: SealedTables): void {
  db.use(rowSchemasMiddleware(db.name, rows));
  if (atRest) db.use(sealMiddleware(atRest.keys, sealed));
}
