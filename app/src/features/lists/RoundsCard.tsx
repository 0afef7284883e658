import { useLiveQuery } from 'dexie-react-hooks';
import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { ASSIGN_RULES, formatFingerprint, nextPair, reportRound, roundPairs, type AssignRule, type ListId, type OrgFingerprint } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatDay, formatNumber } from '../../i18n/format';
import { useDeps, useIdentityService, useProfile } from '../../context/deps';

/**
 * D4: rounds on one list. The coordinator picks partners in the order the pairs will run and a rule;
 * every participant sees that order before its first pair. Each pair runs from Partners with the
 * partner connected; a partner not connected for our next pair can be skipped, and the round reports it.
 */
export function RoundsCard({ listId }: { listId: ListId }) {
  const { t } = useTranslation();
  const { lists } = useDeps();
  const identity = useIdentityService();
  const snapshot = useSyncExternalStore(identity.subscribe, identity.getSnapshot);
  const rounds = useLiveQuery(() => lists.roundsOf(listId), [lists, listId]) ?? [];
  const profile = useProfile();
  const [chosen, setChosen] = useState<OrgFingerprint[]>([]);
  const [rule, setRule] = useState<AssignRule>('coin');
  const self = snapshot.fingerprint;
  if (!self) return null;
  const me = { self, selfName: profile.orgName };
  const known = snapshot.partners.filter((p) => p.fingerprint !== self);
  const nameOf = (fp: OrgFingerprint) => (fp === self ? t('lists.you') : (known.find((p) => p.fingerprint === fp)?.orgName ?? formatFingerprint(fp)));
  const connected = (fp: OrgFingerprint) => known.some((p) => p.fingerprint === fp && snapshot.connected.includes(p.key));
  const toggle = (fp: OrgFingerprint, on: boolean) => setChosen(on ? [...chosen, fp] : chosen.filter((x) => x !== fp));
  const plan = async () => {
    await lists.planRound(listId, me, [self, ...chosen], rule);
    setChosen([]);
  };
  return (
    <section className="card" aria-labelledby="rounds-title">
      <h2 id="rounds-title">{t('lists.roundsTitle')}</h2>
      <p className="hint">{t('lists.roundsHint')}</p>
      {rounds.map((round) => {
        const pairs = roundPairs(round.plan);
        const next = nextPair(round.plan, self, round.results);
        const report = reportRound(round.plan, round.results);
        return (
          <article key={round.roundId} aria-label={t('lists.roundOf', { date: formatDay(round.createdAt) })}>
            <h3>{t('lists.roundOf', { date: formatDay(round.createdAt) })}</h3>
            <p>{t(`lists.rule-${round.plan.rule}`)}</p>
            <ol aria-label={t('lists.pairsInOrder')}>
              {pairs.map((p) => {
                const result = round.results.find((r) => r.index === p.index);
                const other = p.a === self ? p.b : p.a;
                const mine = p.a === self || p.b === self;
                const status = result
                  ? result.status === 'agreed'
                    ? t('lists.pairDone')
                    : withSlots(t('lists.pairSkipped', { name: slot(0) }), [<Bdi key="s">{nameOf(result.status === 'skipped' ? result.absent : other)}</Bdi>])
                  : !mine
                    ? t('lists.pairOthers')
                    : next?.index === p.index
                      ? t('lists.pairNext')
                      : t('lists.pairLater');
                return (
                  <li key={p.index}>
                    <Bdi>{nameOf(p.a)}</Bdi> – <Bdi>{nameOf(p.b)}</Bdi>: {status}
                    {next?.index === p.index && !result && !connected(other) && (
                      <button type="button" className="secondary" onClick={() => void lists.skipPair(round.roundId, p.index, other, me)}>
                        {withSlots(t('lists.skipPair', { name: slot(0) }), [<Bdi key="n">{nameOf(other)}</Bdi>])}
                      </button>
                    )}
                  </li>
                );
              })}
            </ol>
            <p role="status">
              {next === null
                ? t('lists.roundFinished', { agreed: formatNumber(report.agreed), count: pairs.filter((p) => p.a === self || p.b === self).length })
                : t('lists.roundUnderWay', { agreed: formatNumber(report.agreed), count: pairs.filter((p) => p.a === self || p.b === self).length })}
              {report.skipped.length > 0 && <> {withSlots(t('lists.roundSkipped', { names: slot(0) }), [<Bdi key="s">{report.skipped.map(nameOf).join(', ')}</Bdi>])}</>}
            </p>
          </article>
        );
      })}
      {known.length === 0 ? (
        <p>{t('lists.noPartners')}</p>
      ) : (
        <fieldset>
          <legend>{t('lists.newRound')}</legend>
          <ul className="plain" aria-label={t('lists.participants')}>
            {known.map((p) => (
              <li key={p.fingerprint}>
                <label className="inline">
                  <input type="checkbox" checked={chosen.includes(p.fingerprint)} onChange={(e) => toggle(p.fingerprint, e.target.checked)} />
                  <Bdi>{nameOf(p.fingerprint)}</Bdi>
                  {chosen.includes(p.fingerprint) && <span className="muted">{t('lists.position', { n: formatNumber(chosen.indexOf(p.fingerprint) + 2) })}</span>}
                </label>
              </li>
            ))}
          </ul>
          <fieldset>
            <legend>{t('lists.rule')}</legend>
            {ASSIGN_RULES.map((r) => (
              <label key={r} className="inline">
                <input type="radio" name={`round-rule-${listId}`} checked={rule === r} onChange={() => setRule(r)} />
                {t(`lists.rule-${r}`)}
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="button" disabled={chosen.length === 0} onClick={() => void plan()}>
              {t('lists.planRound', { count: chosen.length + 1 })}
            </button>
          </div>
        </fieldset>
      )}
    </section>
  );
}
