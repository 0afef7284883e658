import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { normaliseLocalDate } from '../../i18n/dates';
import i18next from 'i18next';
import {
  contactToInput,
  emptyContactInput,
  localDateOf,
  validateContactInput,
  type Contact,
  type ContactField,
  type ContactInput,
  type FieldErrors,
  type MergeChoices,
  type ValidateContactOptions,
} from '@ihyid/shared';
import { decideDifferent, findCandidates, type Candidate } from '../../storage/duplicates';
import { useDeps, useProfile } from '../../context/deps';
import { navigate } from '../../context/router';
import { saveNewContact, updateContact, type ContactFields } from '../../storage/contacts';
import { ContactFormFields, FIELD_ORDER } from './ContactForm';
import { DuplicateWarning } from './DuplicateWarning';
import { contactName, navigateWithNotice } from './format';
import { keysWithAliases } from './keys';
import { ListNotes } from './ListNotes';
import { MergeChoiceForm } from './MergeChoiceForm';
import { MergeHistory } from './MergeHistory';
import { OverlapNotes } from './OverlapNotes';
import { scoreAgainst } from './pair-rank';

type Loaded = { state: 'loading' } | { state: 'missing' } | { state: 'ready'; contact: Contact | null };

/** R1, R2, R8: registers a new person, or edits one, with a duplicate check before every save. */
export function ContactEditor({ contactId }: { contactId?: string }) {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const [loaded, setLoaded] = useState<Loaded>(contactId ? { state: 'loading' } : { state: 'ready', contact: null });
  const [input, setInput] = useState<ContactInput>(emptyContactInput);

  useEffect(() => {
    if (!contactId) return;
    let current = true;
    void stores.contacts.get(contactId).then((contact) => {
      if (!current) return;
      if (!contact) return setLoaded({ state: 'missing' });
      setInput(contactToInput(contact));
      setLoaded({ state: 'ready', contact });
    });
    return () => {
      current = false;
    };
  }, [stores, contactId]);

  if (loaded.state === 'loading') return <p className="muted">{t('common.loading')}</p>;
  if (loaded.state === 'missing') {
    return (
      <>
        <h1>{t('contacts.notFoundTitle')}</h1>
        <p>{t('contacts.notFound')}</p>
        <p>
          <a href="#/contacts">{t('contacts.backToContacts')}</a>
        </p>
      </>
    );
  }
  return <EditorForm existing={loaded.contact} input={input} setInput={setInput} />;
}

type Duplicate = { fields: ContactFields; candidates: Candidate[] };

function EditorForm({
  existing,
  input,
  setInput,
}: {
  existing: Contact | null;
  input: ContactInput;
  setInput(update: (prev: ContactInput) => ContactInput): void;
}) {
  const { t } = useTranslation();
  const deps = useDeps();
  const profile = useProfile();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [duplicate, setDuplicate] = useState<Duplicate | null>(null);
  /** The candidate the caseworker chose to merge with: the field-by-field choice is open. */
  const [merging, setMerging] = useState<Contact | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const fields = useRef(new Map<ContactField, HTMLElement>());

  const fieldRef = (field: ContactField) => (el: HTMLElement | null) => {
    if (el) fields.current.set(field, el);
    else fields.current.delete(field);
  };

  function change(field: ContactField, value: string) {
    setInput((prev) => ({ ...prev, [field]: value }));
    // #12: an error no longer stands once the caseworker corrects that field.
    setErrors((prev) => {
      if (prev[field] === undefined) return prev;
      const { [field]: _gone, ...rest } = prev;
      return rest;
    });
    // A warning about what was typed before no longer applies once the caseworker edits the form.
    setDuplicate(null);
    setMerging(null);
    setFailure(null);
  }

  /** Saves, then runs `after` with the stored record (a decision about a likely duplicate, R8). */
  async function persist(contactFields: ContactFields, after?: (saved: Contact) => Promise<string | void>) {
    const saved = existing
      ? await updateContact(deps.stores.contacts, existing.id, contactFields, deps.now())
      : { ok: true as const, value: await saveNewContact(deps.stores.contacts, contactFields, { createdBy: profile.userName, now: deps.now(), randomBytes: deps.randomBytes }) };
    if (!saved.ok) {
      setFailure(t('contacts.deletedMeanwhile'));
      return;
    }
    const notice = (await after?.(saved.value)) ?? i18next.t('contacts.saved', { name: contactName(saved.value) });
    navigateWithNotice('/contacts', notice, navigate);
  }

  const decider = () => ({ by: profile.userName, at: deps.now() });

  /** R8 "different people": saved, and each pair remembered so it is never flagged again. */
  function saveAsDifferent(d: Duplicate) {
    void locked(() =>
      persist(d.fields, async (saved) => {
        for (const c of d.candidates) {
          await decideDifferent(deps.stores.contacts, { a: saved.id, b: c.contact.id, keys: c.keys, foundBy: 'save', at: deps.now() }, decider());
        }
      }),
    );
  }

  /** R8 "same person": what was typed is kept whole in the merged record's history; `choices` say what the kept record keeps. */
  function mergeWith(d: Duplicate, keep: Contact, choices: MergeChoices) {
    void locked(() =>
      persist(d.fields, async (saved) => {
        await deps.stores.contacts.merge(keep.id, saved.id, decider(), choices);
        return i18next.t('contacts.mergedInto', { name: contactName(keep) });
      }),
    );
  }

  /** Runs an async step with the form locked, turning a bug into a sentence instead of a silent failure. */
  async function locked(step: () => Promise<void>) {
    setBusy(true);
    setFailure(null);
    try {
      await step();
    } catch (e) {
      console.error(e);
      setFailure(t('contacts.bug'));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const result = validateContactInput({ ...input, birthDate: normaliseLocalDate(input.birthDate) }, {
      today: localDateOf(deps.now()),
      // The profile stores the ISO code chosen at first run (R1); validation reads it as a country code.
      defaultCountry: profile.defaultCountry as ValidateContactOptions['defaultCountry'],
    });
    if (!result.ok) {
      setErrors(result.error);
      setDuplicate(null);
      const first = FIELD_ORDER.find((f) => result.error[f] !== undefined);
      if (first) fields.current.get(first)?.focus();
      return;
    }
    setErrors({});
    setMerging(null);
    const valid = result.value;
    void locked(async () => {
      // R9: the phonetic id and the match keys are computed in the domain worker; R8: the keys of
      // the other spellings merges left (aliases) too, so an edit does not lose them.
      const { phoneticIdV0, matchKeys, blockingTerms } = await keysWithAliases(deps.worker, valid, existing?.aliases);
      const contactFields: ContactFields = { ...valid, phoneticIdV0, matchKeys };
      // R8: index lookups only, leaving out the record being edited and pairs already decided; a
      // contact sharing only a blocking term is shown if the scorer (domain worker, R9) says likely or possible.
      const blocking = { terms: blockingTerms, score: scoreAgainst(deps.worker, valid) };
      const candidates = await findCandidates(deps.stores.contacts, matchKeys, phoneticIdV0, existing?.id, blocking);
      if (candidates.length > 0) {
        setDuplicate({ fields: contactFields, candidates });
        return;
      }
      await persist(contactFields);
    });
  }

  return (
    <>
      <h1>{existing ? t('contacts.editTitle') : t('contacts.newTitle')}</h1>
      {existing && <OverlapNotes contactId={existing.id} />}
      {existing && <ListNotes contactId={existing.id} />}
      {existing && <MergeHistory contact={existing} />}
      <form onSubmit={submit} noValidate aria-busy={busy || undefined}>
        <ContactFormFields
          input={input}
          errors={errors}
          onChange={change}
          fieldRef={fieldRef}
          defaultCountry={profile.defaultCountry}
        />
        {duplicate && merging && (
          <MergeChoiceForm
            kept={merging}
            merged={{ ...duplicate.fields, ...(existing?.aliases ? { aliases: existing.aliases } : {}) }}
            mergedLabel={t('contacts.mergeFromTyped')}
            busy={busy}
            onConfirm={(choices) => mergeWith(duplicate, merging, choices)}
            onCancel={() => setMerging(null)}
          />
        )}
        {duplicate && (
          <div hidden={merging !== null}>
            <DuplicateWarning
              draft={duplicate.fields}
              candidates={duplicate.candidates}
              busy={busy}
              onSaveAnyway={() => saveAsDifferent(duplicate)}
              onMerge={setMerging}
              onOpen={(id) => navigate(`/contacts/${encodeURIComponent(id)}`)}
            />
          </div>
        )}
        {failure && (
          <p className="error-box" role="alert">
            {failure}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('contacts.save')}
        </button>
      </form>
      <p>
        <a href="#/contacts">{t('contacts.backToContacts')}</a>
      </p>
    </>
  );
}
