import { useLiveQuery } from 'dexie-react-hooks';
import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSIGN_RULES, formatFingerprint, roundPairs, type AssignRule, type ListId, type OrgFingerprint } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatNumber } from '../../i18n/format';
import { useDeps, useIdentityService } from '../../context/deps';
import type { ConnectionView, PartnerConnection } from './connection';
import { earlierOpenPairs, runnableWith } from './list-pair';

/**
 * D2–D4 with the connected partner: propose one of our lists and a rule, run our next pair of a
 * round, or answer the partner's proposal by choosing which of our lists to bring (seeing the
 * round's pairs in order first). Rules are shown in plain words.
 */
export function ListPairPanel({ view, connection }: { view: ConnectionView; connection: PartnerConnection }) {
  const { t } = useTranslation();
  const { lists } = useDeps();
  const identity = useIdentityService();
  const snapshot = useSyncExternalStore(identity.subscribe, identity.getSnapshot);
  const all = useLiveQuery(() => lists.allLists(), [lists]) ?? [];
  const rounds = useLiveQuery(() => lists.allRounds(), [lists]) ?? [];
  const [listId, setListId] = useState<string>('');
  const [rule, setRule] = useState<AssignRule>('coin');
  const self = snapshot.fingerprint;
  if (view.status !== 'connected' || !self) return null;
  const partner = view.partnerName ?? '';
  const nameOf = (fp: OrgFingerprint) =>
    fp === self ? t('lists.you') : fp === view.partnerFingerprint ? partner : (snapshot.partners.find((p) => p.fingerprint === fp)?.orgName ?? formatFingerprint(fp));
  const proposal = view.pairProposal;
  const known = proposal ? rounds.find((r) => r.roundId === proposal.plan.roundId) : undefined;
  const chosen = (known?.listId ?? (listId || all[0]?.id) ?? '') as ListId;
  const picker = known ? (
    <p>{withSlots(t('lists.bringingAgain', { name: slot(0) }), [<Bdi key="n">{all.find((l) => l.id === known.listId)?.name}</Bdi>])}</p>
  ) : (
    <label>
      {t('lists.yourList')}
      <select value={chosen} onChange={(e) => setListId(e.target.value)}>
        {all.map((l) => (
          <option key={l.id} value={l.id}>
            {t('lists.listOption', { name: l.name, round: l.round, count: l.members.length })}
          </option>
        ))}
      </select>
    </label>
  );
  if (proposal) {
    const { plan } = proposal;
    const differs = known !== undefined && known.planHash !== proposal.planHash;
    const skipped = earlierOpenPairs(plan, self, known?.results ?? [], proposal.pair.index);
    return (
      <section className="card" aria-labelledby="pair-proposal-title">
        <h3 id="pair-proposal-title">{withSlots(t('lists.proposes', { partner: slot(0) }), [<Bdi key="p">{partner}</Bdi>])}</h3>
        <p>
          {withSlots(t('lists.proposal', { name: slot(0), programme: slot(1), round: slot(2), count: plan.list.members, rule: t(`lists.rule-${plan.rule}`) }), [
            <Bdi key="n">{plan.list.name}</Bdi>,
            <Bdi key="p">{plan.list.programme}</Bdi>,
            <Bdi key="r">{plan.list.round}</Bdi>,
          ])}
        </p>
        {plan.participants.length > 2 && (
          <>
            <p>{t('lists.roundOrder', { count: roundPairs(plan).length })}</p>
            <ol aria-label={t('lists.pairsInOrder')}>
              {roundPairs(plan).map((p) => (
                <li key={p.index} aria-current={p.index === proposal.pair.index ? 'step' : undefined}>
                  <Bdi>{nameOf(p.a)}</Bdi> – <Bdi>{nameOf(p.b)}</Bdi>
                </li>
              ))}
            </ol>
          </>
        )}
        <p className="hint">{t('lists.proposalHint')}</p>
        {differs && <p role="alert">{t('lists.planDiffers')}</p>}
        {skipped.length > 0 && (
          <p className="warning">
            {withSlots(t('lists.skipsEarlier', { count: skipped.length, names: slot(0) }), [
              <Bdi key="s">{skipped.map((p) => nameOf(p.a === self ? p.b : p.a)).join(', ')}</Bdi>,
            ])}
          </p>
        )}
        {all.length === 0 ? <p>{t('lists.noListToBring')}</p> : picker}
        <div className="actions">
          <button type="button" disabled={!chosen || differs} onClick={() => void connection.acceptList(chosen)}>
            {t('lists.bring')}
          </button>
          <button type="button" className="secondary" onClick={connection.declineList}>
            {t('lists.decline')}
          </button>
        </div>
      </section>
    );
  }
  const runnable = view.partnerFingerprint ? runnableWith(rounds, self, view.partnerFingerprint) : [];
  return (
    <section className="card" aria-labelledby="pair-title">
      <h3 id="pair-title">{t('lists.pairTitle')}</h3>
      {runnable.map(({ round, pair }) => (
        <div key={round.roundId} className="actions">
          <button type="button" disabled={view.checkRunning} onClick={() => void connection.runRoundPair(round.roundId)}>
            {withSlots(t('lists.runPair', { list: slot(0), k: formatNumber(pair.index + 1), n: formatNumber(roundPairs(round.plan).length), partner: slot(1) }), [
              <Bdi key="l">{round.plan.list.name}</Bdi>,
              <Bdi key="p">{partner}</Bdi>,
            ])}
          </button>
        </div>
      ))}
      {all.length === 0 ? (
        <p>{withSlots(t('lists.createFirst', { partner: slot(0) }), [<Bdi key="p">{partner}</Bdi>])}</p>
      ) : (
        <>
          {picker}
          <label>
            {t('lists.rule')}
            <select value={rule} onChange={(e) => setRule(e.target.value as AssignRule)}>
              {ASSIGN_RULES.map((r) => (
                <option key={r} value={r}>
                  {t(`lists.rule-${r}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="actions">
            <button type="button" disabled={view.checkRunning || !chosen} onClick={() => void connection.proposeList(chosen, rule)}>
              {withSlots(t('lists.agree', { partner: slot(0) }), [<Bdi key="p">{partner}</Bdi>])}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
