import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { ASSIGN_RULES, RULE_WORDS, type AssignRule, type ListId } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import type { ConnectionView, PartnerConnection } from './connection';

/**
 * D2, D3 with the connected partner: propose one of our lists and a rule, or answer the partner's
 * proposal by choosing which of our lists to bring. Rules are shown in plain words.
 */
export function ListPairPanel({ view, connection }: { view: ConnectionView; connection: PartnerConnection }) {
  const { lists } = useDeps();
  const all = useLiveQuery(() => lists.allLists(), [lists]) ?? [];
  const [listId, setListId] = useState<string>('');
  const [rule, setRule] = useState<AssignRule>('coin');
  if (view.status !== 'connected') return null;
  const chosen = (listId || all[0]?.id || '') as ListId;
  const proposal = view.pairProposal;
  const picker = (
    <label>
      Your list
      <select value={chosen} onChange={(e) => setListId(e.target.value)}>
        {all.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name} ({l.round}, {l.members.length} people)
          </option>
        ))}
      </select>
    </label>
  );
  if (proposal) {
    const { list } = proposal.plan;
    return (
      <section className="card" aria-labelledby="pair-proposal-title">
        <h3 id="pair-proposal-title">{view.partnerName} proposes a distribution list</h3>
        <p>
          "{list.name}", {list.programme}, {list.round}: {list.members} people. Rule: {RULE_WORDS[proposal.plan.rule]}.
        </p>
        <p className="hint">Your contacts are never sent; a private check finds the people you both list, and both sides then compute who serves each.</p>
        {all.length === 0 ? <p>You have no list to bring. Create one under Lists first.</p> : picker}
        <div className="actions">
          <button type="button" disabled={!chosen} onClick={() => void connection.acceptList(chosen)}>
            Bring this list
          </button>
          <button type="button" className="secondary" onClick={connection.declineList}>
            Decline
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="pair-title">
      <h3 id="pair-title">Who serves whom</h3>
      {all.length === 0 ? (
        <p>Create a distribution list under Lists to agree with {view.partnerName} who serves the people you both list.</p>
      ) : (
        <>
          {picker}
          <label>
            Rule
            <select value={rule} onChange={(e) => setRule(e.target.value as AssignRule)}>
              {ASSIGN_RULES.map((r) => (
                <option key={r} value={r}>
                  {RULE_WORDS[r]}
                </option>
              ))}
            </select>
          </label>
          <div className="actions">
            <button type="button" disabled={view.checkRunning || !chosen} onClick={() => void connection.proposeList(chosen, rule)}>
              Agree who serves whom with {view.partnerName}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
