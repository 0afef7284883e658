import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeps, useProfile } from '../../context/deps';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import type { HeldRow } from '../../storage/records';
import type { HeldDecision } from '../../storage/import-held';
import { PersonSummary } from './PersonSummary';
import { contactName } from './format';
import { WhyAlike } from './WhyAlike';

/** How many held rows the section shows at once; deciding brings the next ones in. */
const PAGE = 20;

/**
 * #12, R8: rows an import held because they look like someone already registered. Each is shown
 * beside the contact(s) it matched, with the two decisions; both are stored in one transaction
 * (import-held.ts), so a decision survives a reload and is never asked again.
 */
export function HeldRows() {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const total = useLiveQuery(() => stores.held.countPending(), [stores]);
  const rows = useLiveQuery(() => stores.held.pending(PAGE), [stores]);
  if (!total || !rows) return null;
  return (
    <section aria-labelledby="held-rows">
      <h2 id="held-rows">{t('contacts.heldTitle')}</h2>
      <p className="muted" aria-live="polite">
        {t('contacts.heldCount', { count: total })}
      </p>
      <ul className="list" aria-label={t('contacts.heldList')}>
        {rows.map((row) => (
          <HeldCard key={row.id} row={row} />
        ))}
      </ul>
    </section>
  );
}

function HeldCard({ row }: { row: HeldRow }) {
  const { t } = useTranslation();
  const deps = useDeps();
  const profile = useProfile();
  const [busy, setBusy] = useState(false);
  const [gone, setGone] = useState(false);
  const job = useLiveQuery(() => deps.stores.imports.get(row.jobId), [deps.stores, row.jobId]);
  const candidates = useLiveQuery(() => deps.stores.held.candidatesOf(row), [deps.stores, row]);
  if (!candidates) return null;
  const who = () => ({ by: profile.userName, at: deps.now() });
  const decide = (step: () => Promise<HeldDecision>) => {
    setBusy(true);
    setGone(false);
    void step()
      .then((r) => setGone(!r.ok))
      .finally(() => setBusy(false));
  };
  const title = t('contacts.heldCardTitle', { name: contactName(row.contact), file: job?.fileName ?? '', row: row.row });
  return (
    <li>
      <article className="pair" aria-label={title}>
        <div className="grid2">
          <div>
            <p className="muted">{withSlots(t('contacts.heldFromFile', { file: slot(0), row: row.row }), [<Bdi key="f">{job?.fileName ?? ''}</Bdi>])}</p>
            <PersonSummary contact={row.contact} link={false} />
          </div>
          <div>
            {candidates.length === 0 && <p className="muted">{t('contacts.heldNoMatch')}</p>}
            {candidates.map(({ contact, keys }) => (
              <div key={contact.id} aria-label={t('contacts.heldMatch', { name: contactName(contact) })} role="group">
                <p className="muted">{t('contacts.heldExisting')}</p>
                <PersonSummary contact={contact} />
                <WhyAlike keys={keys} samePhoneticId={contact.phoneticIdV0 && contact.phoneticIdV0 === row.contact.phoneticIdV0 ? contact.phoneticIdV0 : null} />
                <button type="button" disabled={busy} onClick={() => decide(() => deps.stores.held.merge(row.id, contact.id, who()))}>
                  {t('contacts.heldMerge')}
                </button>
              </div>
            ))}
          </div>
        </div>
        {gone && (
          <p className="error-box" role="alert">
            {t('contacts.heldGone')}
          </p>
        )}
        <div className="actions">
          <button type="button" className="secondary" disabled={busy} onClick={() => decide(() => deps.stores.held.importAsNew(row.id, who()))}>
            {t('contacts.heldImport')}
          </button>
        </div>
      </article>
    </li>
  );
}
