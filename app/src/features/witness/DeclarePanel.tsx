import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localizeMessage } from '../../i18n/messages';
import type { Declaration } from './service';

/** W5: declaring a positive test, after an explicit confirmation that says what will happen. */
export function DeclarePanel({ tokens, declaration, onDeclare }: { tokens: number; declaration: Declaration; onDeclare(): void }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-labelledby="declare-title">
      <h2 id="declare-title">{t('witness.declareTitle')}</h2>
      {declaration.state === 'working' && <p role="status">{localizeMessage(declaration.step)}</p>}
      {declaration.state === 'done' && (
        <p className="success" role="status">
          {t('witness.declared', { count: declaration.count })}
        </p>
      )}
      {declaration.state === 'failed' && (
        <p className="error-box" role="alert">
          {localizeMessage(declaration.message)}
        </p>
      )}
      {confirming ? (
        <div className="warning" role="group" aria-labelledby="confirm-title">
          <p id="confirm-title">{t('witness.confirm', { count: tokens })}</p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirming(false);
                onDeclare();
              }}
            >
              {t('witness.yesDeclare')}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <button
            type="button"
            disabled={tokens === 0 || declaration.state === 'working'}
            aria-describedby={tokens === 0 ? 'declare-reason' : undefined}
            onClick={() => setConfirming(true)}
          >
            {t('witness.declare')}
          </button>
          {/* #12: a greyed button says why it is greyed. */}
          {tokens === 0 && (
            <p className="hint" id="declare-reason">
              {t('witness.noTokensReason')}
            </p>
          )}
        </>
      )}
    </section>
  );
}
