import { use, useState, useSyncExternalStore } from 'react';
import { useDeps } from '../../context/deps';
import { DeclarePanel } from './DeclarePanel';
import { ExposureAlerts } from './ExposureAlerts';
import { WitnessService, type WitnessSnapshot } from './service';

/**
 * The exposure witness screen (W1–W6): consent and witness mode, what this device holds, the
 * declaration, and exposure alerts. Witness mode keeps running while the user is on other screens.
 */
export function WitnessPage() {
  const deps = useDeps();
  // The one service of this app start (AppDeps.witness), loaded with this screen's code; Suspense waits.
  const service = use(deps.witness.load());
  if (!(service instanceof WitnessService)) throw new Error('AppDeps.witness holds no WitnessService');
  const snapshot = useSyncExternalStore(service.subscribe, service.getSnapshot);

  return (
    <>
      <h1>Exposure witness</h1>
      <ExposureAlerts exposures={snapshot.exposures} onDismiss={(id) => void service.dismiss(id)} />
      <p>
        When two phones in witness mode are within about 15 metres of each other, they make a shared random token and each
        keeps it for 15 days. If someone later declares a positive test, everyone who holds one of their tokens is alerted,
        on their own phone, without anyone learning who met whom.
      </p>
      <WitnessMode snapshot={snapshot} service={service} />
      <section aria-labelledby="held-title">
        <h2 id="held-title">On this device</h2>
        <p>Witness tokens on this device: {snapshot.tokens}</p>
        <p className="hint">Declared tokens kept to pass on to devices that were offline: {snapshot.alerts}</p>
      </section>
      <DeclarePanel tokens={snapshot.tokens} declaration={snapshot.declaration} onDeclare={() => void service.declare()} />
    </>
  );
}

function WitnessMode({ snapshot, service }: { snapshot: WitnessSnapshot; service: WitnessService }) {
  const [consent, setConsent] = useState(false);
  return (
    <section aria-labelledby="mode-title">
      <h2 id="mode-title">Witness mode</h2>
      {snapshot.problem && (
        <p className="error-box" role="alert">
          {snapshot.problem}
        </p>
      )}
      {snapshot.mode === 'off' ? (
        <>
          <p className="hint">
            In witness mode this phone sends its position to the connection server every 10 seconds. The server keeps only the
            latest position, in memory, to find phones nearby, and forgets it when you stop or close the app. Nothing else about
            you is sent. Witness mode stays on only until the app is closed.
          </p>
          <label className="inline">
            <input type="checkbox" style={{ width: 'auto', minHeight: 0 }} checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} /> I agree to share my
            position while witness mode is on
          </label>
          <button type="button" disabled={!consent} onClick={() => service.turnOn()}>
            Turn on witness mode
          </button>
        </>
      ) : (
        <>
          <p role="status">{snapshot.mode === 'on' ? 'Witness mode is on.' : 'Starting witness mode…'}</p>
          <button type="button" className="secondary" onClick={() => service.turnOff()}>
            Turn off witness mode
          </button>
        </>
      )}
    </section>
  );
}
