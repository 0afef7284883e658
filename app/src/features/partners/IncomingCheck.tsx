import { lazy, Suspense, useContext, useSyncExternalStore } from 'react';
import { withCatalog } from '../../i18n';
import { ConnectionContext } from './directory-context';

// Loaded only once a partner directory exists (Partners made it, or a bound device at start), so never on first paint.
const LiveConsent = lazy(() => withCatalog(import('./LiveConsent')).then((m) => ({ default: m.LiveConsent })));

const none = () => () => undefined;
const noView = () => null;

/**
 * #12: a partner's check request reaches the user on whatever screen they are on, at the top of
 * the page, with the same prompt as on Partners, from whichever partner asks; nothing is rendered
 * while no directory exists.
 */
export function IncomingCheck() {
  const slot = useContext(ConnectionContext);
  const directory = useSyncExternalStore(slot?.subscribe ?? none, () => slot?.current ?? null);
  const view = useSyncExternalStore(directory?.subscribe ?? none, directory?.snapshot ?? noView);
  if (!view) return null;
  return (
    <Suspense fallback={null}>
      {[view.invite, ...view.partners.map((p) => p.connection)].map((connection, i) => (
        <LiveConsent key={i === 0 ? 'invite' : view.partners[i - 1]!.fingerprint} connection={connection} />
      ))}
    </Suspense>
  );
}
