import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  contactToInput,
  emptyContactInput,
  validateContactInput,
  type Contact,
  type ContactField,
  type ContactInput,
  type FieldErrors,
  type PhoneticIdV0,
  type ValidateContactOptions,
} from '@ihyid/shared';
import { useDeps, useProfile } from '../../app/deps';
import { navigate } from '../../app/router';
import { findByPhoneticIdV0, getContact, saveNewContact, updateContact, type ContactFields } from '../../storage/contacts';
import { ContactFormFields, FIELD_ORDER } from './ContactForm';
import { DuplicateWarning } from './DuplicateWarning';
import { contactName, navigateWithNotice } from './format';
import { OverlapNotes } from './OverlapNotes';

type Loaded = { state: 'loading' } | { state: 'missing' } | { state: 'ready'; contact: Contact | null };

/** R1, R2, R8: registers a new person, or edits one, with a duplicate check before every save. */
export function ContactEditor({ contactId }: { contactId?: string }) {
  const { db } = useDeps();
  const [loaded, setLoaded] = useState<Loaded>(contactId ? { state: 'loading' } : { state: 'ready', contact: null });
  const [input, setInput] = useState<ContactInput>(emptyContactInput);

  useEffect(() => {
    if (!contactId) return;
    let current = true;
    void getContact(db, contactId).then((contact) => {
      if (!current) return;
      if (!contact) return setLoaded({ state: 'missing' });
      setInput(contactToInput(contact));
      setLoaded({ state: 'ready', contact });
    });
    return () => {
      current = false;
    };
  }, [db, contactId]);

  if (loaded.state === 'loading') return <p className="muted">Loading…</p>;
  if (loaded.state === 'missing') {
    return (
      <>
        <h1>Contact not found</h1>
        <p>This contact does not exist on this device.</p>
        <p>
          <a href="#/contacts">Back to contacts</a>
        </p>
      </>
    );
  }
  return <EditorForm existing={loaded.contact} input={input} setInput={setInput} />;
}

type Duplicate = { fields: ContactFields; matches: Contact[] };

function EditorForm({
  existing,
  input,
  setInput,
}: {
  existing: Contact | null;
  input: ContactInput;
  setInput(update: (prev: ContactInput) => ContactInput): void;
}) {
  const deps = useDeps();
  const profile = useProfile();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [duplicate, setDuplicate] = useState<Duplicate | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const fields = useRef(new Map<ContactField, HTMLElement>());

  const fieldRef = (field: ContactField) => (el: HTMLElement | null) => {
    if (el) fields.current.set(field, el);
    else fields.current.delete(field);
  };

  function change(field: ContactField, value: string) {
    setInput((prev) => ({ ...prev, [field]: value }));
    // A warning about what was typed before no longer applies once the caseworker edits the form.
    setDuplicate(null);
    setFailure(null);
  }

  async function persist(contactFields: ContactFields) {
    const saved = existing
      ? await updateContact(deps.db, existing.id, contactFields, deps.now())
      : { ok: true as const, value: await saveNewContact(deps.db, contactFields, { createdBy: profile.userName, now: deps.now(), randomBytes: deps.randomBytes }) };
    if (!saved.ok) {
      setFailure('This contact was deleted on this device meanwhile. Nothing was saved.');
      return;
    }
    navigateWithNotice('/contacts', `Saved ${contactName(saved.value)}`, navigate);
  }

  /** Runs an async step with the form locked, turning a bug into a sentence instead of a silent failure. */
  async function locked(step: () => Promise<void>) {
    setBusy(true);
    setFailure(null);
    try {
      await step();
    } catch (e) {
      console.error(e);
      setFailure('Something went wrong inside the app, and the contact was not saved. Try again.');
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const result = validateContactInput(input, {
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
    const valid = result.value;
    void locked(async () => {
      // R9: the phonetic id is computed in the domain worker, off the main thread.
      const [pid] = await deps.worker.phoneticIdsV0([
        { firstName: valid.firstName, lastName: valid.lastName, motherName: valid.motherName, fatherName: valid.fatherName, birth: valid.birth },
      ]);
      const phoneticIdV0 = (pid ?? null) as PhoneticIdV0 | null;
      const contactFields: ContactFields = { ...valid, phoneticIdV0 };
      // R8: an index lookup, excluding the record being edited.
      const matches = phoneticIdV0 ? await findByPhoneticIdV0(deps.db, phoneticIdV0, existing?.id) : [];
      if (matches.length > 0) {
        setDuplicate({ fields: contactFields, matches });
        return;
      }
      await persist(contactFields);
    });
  }

  return (
    <>
      <h1>{existing ? 'Edit contact' : 'New contact'}</h1>
      {existing && <OverlapNotes contactId={existing.id} />}
      <form onSubmit={submit} noValidate aria-busy={busy || undefined}>
        <ContactFormFields
          input={input}
          errors={errors}
          onChange={change}
          fieldRef={fieldRef}
          defaultCountry={profile.defaultCountry}
        />
        {duplicate && (
          <DuplicateWarning
            matches={duplicate.matches}
            busy={busy}
            onSaveAnyway={() => void locked(() => persist(duplicate.fields))}
            onOpen={(id) => navigate(`/contacts/${encodeURIComponent(id)}`)}
          />
        )}
        {failure && (
          <p className="error-box" role="alert">
            {failure}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Save contact
        </button>
      </form>
      <p>
        <a href="#/contacts">Back to contacts</a>
      </p>
    </>
  );
}
