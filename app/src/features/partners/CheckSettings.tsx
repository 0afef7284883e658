import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { formatFingerprint } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { loadCheckSettings, OPTIONAL_PROTOCOLS, removeStandingRule, setProtocolEnabled } from './check-settings';
import { PROTOCOL_STATEMENTS, USCADI_WARNING } from './statements';

type Optional = (typeof OPTIONAL_PROTOCOLS)[number];

/**
 * A6 and A4 for the coordinator: which protocols this device may ask with, what each reveals, and the
 * standing rules. Turning a uscadi protocol on takes a second, explicit confirmation after the warning.
 * (Local roles, X1, do not exist yet; when they do, this section is the admin's alone.)
 */
export function CheckSettings() {
  const { db, now } = useDeps();
  const settings = useLiveQuery(() => loadCheckSettings(db), [db]);
  const [confirming, setConfirming] = useState<Optional | null>(null);
  if (!settings) return null;
  return (
    <section aria-labelledby="check-settings-title">
      <h2 id="check-settings-title">Check protocols</h2>
      <p className="hint">{PROTOCOL_STATEMENTS['psi-v1'].asker} It is always on.</p>
      {OPTIONAL_PROTOCOLS.map((p) => {
        const on = settings.enabled.includes(p);
        return (
          <div key={p}>
            <label className="inline">
              <input
                type="checkbox"
                checked={on}
                onChange={(e) => (e.target.checked ? setConfirming(p) : void setProtocolEnabled(db, p, false, now()))}
              />{' '}
              Allow {PROTOCOL_STATEMENTS[p].label}
            </label>
            {confirming === p && (
              <div className="warning" role="alertdialog" aria-labelledby={`confirm-${p}`}>
                <p id={`confirm-${p}`}>
                  <strong>Turn on {p}?</strong> {USCADI_WARNING}
                </p>
                <div className="actions">
                  <button type="button" onClick={() => void setProtocolEnabled(db, p, true, now()).then(() => setConfirming(null))}>
                    Turn on {p}
                  </button>
                  <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                    Keep it off
                  </button>
                </div>
              </div>
            )}
          </div>
        );
      })}
      {settings.standingRules.length > 0 && (
        <>
          <h3>Standing rules</h3>
          <ul className="list">
            {settings.standingRules.map((r) => (
              <li key={r.fingerprint} className="card">
                Always accept psi-v1 checks from {r.partnerName} (key <code className="mono">{formatFingerprint(r.fingerprint)}</code>) while it holds a trusted “{r.attribute}”
                attestation{' '}
                <button type="button" className="secondary" onClick={() => void removeStandingRule(db, r.fingerprint, now())}>
                  Remove rule for {r.partnerName}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
