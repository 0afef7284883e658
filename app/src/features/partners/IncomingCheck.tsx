import { lazy, Suspense, useContext, useSyncExternalStore } from 'react';
import { ConnectionContext } from './session-context';

// Loaded only once a partner connection exists (the Partners screen made it), so never on first paint.
const LiveConsent = lazy(() => import('./LiveConsent').then((m) => ({ default: m.LiveConsent })));

const none = () => () => undefined;

/**
 * #12: a partner's check request reaches the user on whatever screen they are on, at the top of
 * the page, with the same prompt as on Partners; nothing is rendered while no connection exists.
 */
export function IncomingCheck() {
  const slot = useContext(ConnectionContext);
  const connection = useSyncExternalStore(slot?.subscribe ?? none, () => slot?.current ?? null);
  if (!connection) return null;
  return (
    <Suspense fallback={null}>
      <LiveConsent connection={connection} />
    </Suspense>
  );
}
