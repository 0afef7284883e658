import type { AlertBook } from '@ihyid/shared';
import type { RecordKeys } from '../../storage/at-rest/keyring';
import { openWitnessDb, WITNESS_DB_NAME, witnessDbExists, type WitnessDb } from '../../storage/witness-db';
import { WitnessStore } from '../../storage/witness-store';

/**
 * W5 over partner sessions: the alert book a `PeerSession` reconciles with every partner, over the same
 * 'ihyid-witness' database and the same `WitnessStore.receiveAlerts` as witness links, so an alert
 * learnt from a partner is kept, passed on, and compared with our own tokens (W6) exactly like one
 * learnt from a nearby device. Loaded lazily by the partner connection, so the partners chunk stays small.
 *
 * A device that never used witness mode lists nothing and gets no database until a partner gives it an
 * alert to keep (then it keeps and passes it on, as every client does). On a protected device
 * (`keys`, X2) the database is sealed as the witness screen's is.
 */
export function partnerAlertBook(deps: { now(): Date; onExposure?(): Promise<void> | void; keys?: RecordKeys | null }, name = WITNESS_DB_NAME): AlertBook {
  let db: WitnessDb | null = null;
  const keys = deps.keys;
  const store = (): WitnessStore => new WitnessStore((db ??= openWitnessDb(name, keys ? { keys: () => keys } : undefined)), () => deps.now());
  return {
    list: async () => {
      if (db === null && !(await witnessDbExists(name))) return [];
      return store().heldAlerts();
    },
    receive: async (alerts) => {
      const found = await store().receiveAlerts(alerts);
      // The witness service of this app start (if loaded) reads the new exposures for the nav badge and screen.
      if (found.length > 0) await deps.onExposure?.();
    },
  };
}
