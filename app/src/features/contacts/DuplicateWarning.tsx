import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, PairScore, ScoreInput } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import type { Candidate } from '../../storage/duplicates';
import { contactName, formatBirth } from './format';
import { scoreAgainst } from './pair-rank';
import { PairScoreView } from './PairScore';
import { WhyAlike } from './WhyAlike';

/**
 * R8: shown instead of saving when other contacts share a match key, or share only a blocking term
 * (the birth date, the phone…) and the scorer finds them likely or possible (#15 item 2). It says who
 * and why, and lets the caseworker decide; nothing is stored until they choose.
 */
export function DuplicateWarning({
  draft,
  candidates,
  busy,
  onSaveAnyway,
  onMerge,
  onOpen,
}: {
  /** The record about to be saved, scored against each candidate (#15 item 2). */
  draft: ScoreInput;
  candidates: readonly Candidate[];
  busy: boolean;
  onSaveAnyway(): void;
  onMerge(keep: Contact): void;
  onOpen(id: string): void;
}) {
  const { t } = useTranslation();
  const { worker } = useDeps();
  const [scores, setScores] = useState<{ for: readonly Candidate[]; scores: PairScore[] } | null>(null);
  useEffect(() => {
    let live = true;
    // R9: scored in the domain worker (or here, should it fail), so the warning still shows.
    void scoreAgainst(worker, draft)(candidates.map((c) => c.contact)).then((s) => live && setScores({ for: candidates, scores: s }));
    return () => {
      live = false;
    };
  }, [draft, candidates, worker]);
  if (!scores || scores.for !== candidates) return null;
  // The likeliest candidate first; the keys' order (most shared keys) breaks ties.
  const scored = candidates
    .map((candidate, order) => ({ candidate, order, score: scores.scores[order]! }))
    .sort((x, y) => y.score.probability - x.score.probability || x.order - y.order);
  const [best, ...rest] = scored;
  if (!best) return null;
  const first = best.candidate;
  const others = rest.map((r) => r.candidate);
  const c = first.contact;
  return (
    <div className="warning" role="alert">
      <p>
        <strong>{t('contacts.likelyDuplicate')}</strong>{' '}
        {withSlots(t('contacts.dupSummary', { name: slot(0), date: formatBirth(c.birth) }), [<Bdi key="n">{contactName(c)}</Bdi>])}
        {c.fatherName && withSlots(t('contacts.dupFather', { name: slot(0) }), [<Bdi key="f">{c.fatherName}</Bdi>])}
        {c.motherName && withSlots(t('contacts.dupMother', { name: slot(0) }), [<Bdi key="m">{c.motherName}</Bdi>])}
        {c.phone &&
          withSlots(t('contacts.dupPhone', { phone: slot(0) }), [
            <Bdi key="p" ltr>
              {c.phone}
            </Bdi>,
          ])}
        .
      </p>
      <PairScoreView score={best.score} />
      <WhyAlike keys={first.keys} samePhoneticId={first.samePhoneticId ? c.phoneticIdV0 : null} />
      {others.length > 0 && (
        <>
          <p>{t('contacts.othersAlike')}</p>
          <ul>
            {others.map((o) => (
              <li key={o.contact.id}>
                <a href={`#/contacts/${encodeURIComponent(o.contact.id)}`}>
                  {withSlots(t('contacts.dupSummary', { name: slot(0), date: formatBirth(o.contact.birth) }), [<Bdi key="n">{contactName(o.contact)}</Bdi>])}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted">{t('contacts.dupExplain')}</p>
      {/* #12: merging is the likely answer, so it comes first and is the prominent button. */}
      <div className="actions">
        <button type="button" onClick={() => onMerge(c)} disabled={busy}>
          {t('contacts.merge')}
        </button>
        <button type="button" className="secondary" onClick={() => onOpen(c.id)}>
          {t('contacts.openExisting')}
        </button>
        <button type="button" className="secondary" onClick={onSaveAnyway} disabled={busy}>
          {t('contacts.saveAnyway')}
        </button>
      </div>
    </div>
  );
}
