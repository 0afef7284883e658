import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSIGN_RULES, type AssignRule, type ListId } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { useDeps } from '../../context/deps';
import type { ConnectionView, PartnerConnection } from './connection';

/**
 * D2, D3 with the connected partner: propose one of our lists and a rule, or answer the partner's
 * proposal by choosing which of our lists to bring. Rules are shown in plain words.
 */
export function ListPairPanel({ view, connection }: { view: ConnectionView; connection: PartnerConnection }) {
  const { t } = useTranslation();
  const { lists } = useDeps();
  const all = useLiveQuery(() => lists.allLists(), [lists]) ?? [];
  const [listId, setListId] = useState<string>('');
  const [rule, setRule] = useState<AssignRule>('coin');
  if (view.status !== 'connected') return null;
  const chosen = (listId || all[0]?.id || '') as ListId;
  const proposal = view.pairProposal;
  const partner = view.partnerName ?? '';
  const picker = (
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
    const { list } = proposal.plan;
    return (
      <section className="card" aria-labelledby="pair-proposal-title">
        <h3 id="pair-proposal-title">{withSlots(t('lists.proposes', { partner: slot(0) }), [<Bdi key="p">{partner}</Bdi>])}</h3>
        <p>
          {withSlots(
            t('lists.proposal', { name: slot(0), programme: slot(1), round: slot(2), count: list.members, rule: t(`lists.rule-${proposal.plan.rule}`) }),
            [<Bdi key="n">{list.name}</Bdi>, <Bdi key="p">{list.programme}</Bdi>, <Bdi key="r">{list.round}</Bdi>],
          )}
        </p>
        <p className="hint">{t('lists.proposalHint')}</p>
        {all.length === 0 ? <p>{t('lists.noListToBring')}</p> : picker}
        <div className="actions">
          <button type="button" disabled={!chosen} onClick={() => void connection.acceptList(chosen)}>
            {t('lists.bring')}
          </button>
          <button type="button" className="secondary" onClick={connection.declineList}>
            {t('lists.decline')}
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="pair-title">
      <h3 id="pair-title">{t('lists.pairTitle')}</h3>
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
