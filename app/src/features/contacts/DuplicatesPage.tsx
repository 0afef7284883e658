import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactStore } from '@ihyid/shared';
import { useDeps, useProfile } from '../../context/deps';
import { decideDifferent } from '../../storage/duplicates';
import { contactName } from './format';
import { HeldRows } from './HeldRows';
import { MergeChoiceForm } from './MergeChoiceForm';
import { rankPairs, type ScorePairs, type ScoredPair } from './pair-rank';
import { PairScoreView } from './PairScore';
import { PersonSummary } from './PersonSummary';
import { SyncConflicts } from './SyncConflicts';
import { WhyAlike } from './WhyAlike';

/** How many pending pairs the page shows at once; deciding brings the next ones in. */
const PAGE = 20;
/** Pending pairs scored at once, so the likeliest of them come first (#15 item 2). */
const SCORED = PAGE * 5;

/** The pending pairs with both records still there, scored, likeliest first. */
async function scoredPairs(contacts: ContactStore, score: ScorePairs): Promise<ScoredPair[]> {
  const pairs = await contacts.pendingPairs(SCORED);
  return rankPairs(pairs, await contacts.getMany([...new Set(pairs.flatMap((p) => [p.a, p.b]))]), PAGE, score);
}

/**
 * R8: likely duplicates found on save or import, one card per pair: both records side by side,
 * the local scorer's verdict with the evidence per field (#15), why the keys flagged them, and the
 * two decisions. Likely pairs come first, possible ones after. Decisions are stored and never asked again.
 */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const { stores, worker } = useDeps();
  const total = useLiveQuery(() => stores.contacts.countPending(), [stores]);
  // R9: the scoring runs in the domain worker, off the page's thread. A promise from outside Dexie is
  // wrapped in Promise.resolve inside a live query (Dexie's rule for its zones, useLiveQuery's docs).
  const pairs = useLiveQuery(() => scoredPairs(stores.contacts, (p) => Promise.resolve(worker.scorePairs(p))), [stores, worker]);
  if (total === undefined || pairs === undefined) {
    return (
      <p className="muted" role="status">
        {t('contacts.loadingDuplicates')}
      </p>
    );
  }
  return (
    <>
      <h1>{t('contacts.duplicatesTitle')}</h1>
      {stores.sync && <SyncConflicts sync={stores.sync} />}
      <HeldRows />
      <p className="muted" aria-live="polite">
        {total === 0 ? t('contacts.nothingToReview') : t('contacts.toReview', { count: total })}
      </p>
      <ul className="list" aria-label={t('contacts.pairsToReview')}>
        {pairs.map((p) => (
          <PairCard key={p.pair.id} {...p} />
        ))}
      </ul>
    </>
  );
}

function PairCard({ pair, a, b, score }: ScoredPair) {
  const { t } = useTranslation();
  const deps = useDeps();
  const profile = useProfile();
  const [busy, setBusy] = useState(false);
  /** "Same person" was pressed: the field-by-field choice is open. */
  const [merging, setMerging] = useState(false);
  const who = () => ({ by: profile.userName, at: deps.now() });
  const decide = (step: () => Promise<unknown>) => {
    setBusy(true);
    void step().finally(() => setBusy(false));
  };
  // The older record is kept on a merge: it is the one partners and reports already know.
  const [keep, other] = a.createdAt <= b.createdAt ? [a, b] : [b, a];
  const title = t('contacts.pairTitle', { a: contactName(a), b: contactName(b) });
  return (
    <li>
      <article className="pair" aria-label={title}>
        <div className="grid2">
          <PersonSummary contact={a} />
          <PersonSummary contact={b} />
        </div>
        <PairScoreView score={score} />
        <WhyAlike keys={pair.keys} samePhoneticId={a.phoneticIdV0 && a.phoneticIdV0 === b.phoneticIdV0 ? a.phoneticIdV0 : null} />
        {merging && (
          <MergeChoiceForm
            kept={keep}
            merged={other}
            mergedLabel={t('contacts.mergeFromOther')}
            busy={busy}
            onConfirm={(choices) => decide(() => deps.stores.contacts.merge(keep.id, other.id, who(), choices))}
            onCancel={() => setMerging(false)}
          />
        )}
        <div className="actions" hidden={merging}>
          <button type="button" disabled={busy} onClick={() => setMerging(true)}>
            {t('contacts.merge')}
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => decide(() => decideDifferent(deps.stores.contacts, { a: pair.a, b: pair.b, keys: pair.keys, foundBy: pair.foundBy, at: new Date(pair.foundAt) }, who()))}
          >
            {t('contacts.differentPeople')}
          </button>
        </div>
      </article>
    </li>
  );
}
