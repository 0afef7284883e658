import { useTranslation } from 'react-i18next';
import type { PairScore } from '@ihyid/shared';

/** #15 item 2, R8: the scorer's verdict and, under "Field by field", the evidence for and against. */
export function PairScoreView({ score }: { score: PairScore }) {
  const { t } = useTranslation();
  const percent = Math.round(score.probability * 100);
  return (
    <div className="pair-score">
      <p>
        <strong>{t(`contacts.score-${score.decision}`)}</strong> <span className="muted">{t('contacts.scorePercent', { percent })}</span>
      </p>
      {score.namesSwapped && <p className="muted">{t('contacts.scoreNamesSwapped')}</p>}
      <details>
        <summary>{t('contacts.scoreEvidence')}</summary>
        <ul aria-label={t('contacts.scoreEvidence')}>
          {score.reasons.map((r) => (
            <li key={r.field} className={r.weight > 0 ? 'agrees' : r.weight < 0 ? 'disagrees' : undefined}>
              {t('contacts.scoreReason', {
                field: t(`contacts.scoreField-${r.field}`),
                level: t(`contacts.scoreLevel-${r.level}`),
                weight: `${r.weight > 0 ? '+' : r.weight < 0 ? '−' : '±'}${Math.abs(r.weight).toFixed(1)}`,
              })}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
