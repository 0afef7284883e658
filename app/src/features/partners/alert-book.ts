import type { AlertBook } from '@ihyid/shared';
import type { PartnerConnectionDeps } from './connection-types';

/**
 * W5: exposure alerts pass on over every partner session too. The witness storage code loads only
 * when the session reaches it (after ready), so the partners chunk does not carry it. X2: a protected
 * device's alerts are sealed under its data key (`atRest`), as witness mode's are.
 */
export function alertBook(deps: PartnerConnectionDeps): AlertBook {
  const onExposure = () => deps.witness?.current()?.refresh();
  const book = import('../witness/partner-alerts').then((m) => m.partnerAlertBook({ now: () => deps.now(), onExposure, keys: deps.atRest?.keys ?? null }));
  // Witness storage that fails (a chunk that cannot load, IndexedDB refused) must not cost the partner
  // session its checks: this side then holds and keeps nothing, as a device without alerts would.
  return {
    list: () => book.then((b) => b.list()).catch(() => []),
    receive: (alerts) => book.then((b) => b.receive(alerts)).catch(() => undefined),
  };
}
