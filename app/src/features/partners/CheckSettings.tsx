import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatFingerprint } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { loadCheckSettings, OPTIONAL_PROTOCOLS, removeStandingRule, setProtocolEnabled } from './check-settings';
import { protocolStatement, uscadiWarning } from './statements';

type Optional = (typeof OPTIONAL_PROTOCOLS)[number];

/**
 * A6 and A4 for the coordinator: which protocols this device may ask with, what each reveals, and the
 * standing rules. Turning a uscadi protocol on takes a second, explicit confirmation after the warning.
 * (Local roles, X1, do not exist yet; when they do, this section is the admin's alone.)
 */
export function CheckSettings() {
  const { t } = useTranslation();
  const { stores, now } = useDeps();
  const settings = useLiveQuery(() => loadCheckSettings(stores.settings), [stores]);
  const [confirming, setConfirming] = useState<Optional | null>(null);
  if (!settings) return null;
  return (
    <section aria-labelledby="check-settings-title">
      <h2 id="check-settings-title">{t('partners.protocolsTitle')}</h2>
      <p className="hint">{t('partners.alwaysOn', { statement: protocolStatement('psi-v2', 'asker') })}</p>
      {OPTIONAL_PROTOCOLS.map((p) => {
        const on = settings.enabled.includes(p);
        return (
          <div key={p}>
            <label className="inline">
              <input
                type="checkbox"
                checked={on}
                onChange={(e) => (e.target.checked ? setConfirming(p) : void setProtocolEnabled(stores.settings, p, false, now()))}
              />{' '}
              {t('partners.allow', { label: protocolStatement(p, 'label') })}
            </label>
            {confirming === p && (
              <div className="warning" role="alertdialog" aria-labelledby={`confirm-${p}`}>
                <p id={`confirm-${p}`}>
                  <strong>{t('partners.turnOnQuestion', { protocol: p })}</strong> {uscadiWarning()}
                </p>
                <div className="actions">
                  <button type="button" onClick={() => void setProtocolEnabled(stores.settings, p, true, now()).then(() => setConfirming(null))}>
                    {t('partners.turnOn', { protocol: p })}
                  </button>
                  <button type="button" className="secondary" onClick={() => setConfirming(null)}>
                    {t('partners.keepOff')}
                  </button>
                </div>
              </div>
            )}
          </div>
        );
      })}
      {settings.standingRules.length > 0 && (
        <>
          <h3>{t('partners.standingRules')}</h3>
          <ul className="list">
            {settings.standingRules.map((r) => (
              <li key={r.fingerprint} className="card">
                {withSlots(t('partners.ruleText', { partner: slot(0), key: slot(1), attribute: slot(2) }), [
                  <Bdi key="p">{r.partnerName}</Bdi>,
                  <code key="k" className="mono" dir="ltr">
                    {formatFingerprint(r.fingerprint)}
                  </code>,
                  <Bdi key="a">{r.attribute}</Bdi>,
                ])}{' '}
                <button type="button" className="secondary" onClick={() => void removeStandingRule(stores.settings, r.fingerprint, now())}>
                  {t('partners.removeRule', { partner: r.partnerName })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
