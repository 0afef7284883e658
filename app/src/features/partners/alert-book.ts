import type { AlertBook } from '@ihyid/shared';
import type { PartnerConnectionDeps } from './connection-types';

/**
 * W5: exposure alerts pass on over every partner session too. The witness storage code loads only
 * when the session reaches it (after ready), so the partners chunk does not carry it.
 */
export function alertBook(deps: PartnerConnectionDeps): AlertBook {
  const onExposure = () => deps.witness?.current()?.refresh();
  const book = import('../witness/partner-alerts').then((m) => m.partnerAlertBook({ now: () => deps.now(), onExposure }));
  // Witness storage that fails (a chunk that cannot load, IndexedDB refused) must not cost the partner
  // session its checks: this side then holds and keeps nothing, as a device without alerts would.
  return {
    list: () => book.then((b) => b.list()).catch(() => []),
    receive: (alerts) => book.then((b) => b.receive(alerts)).catch(() => undefined),
  };
}
