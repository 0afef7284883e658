import { useTranslation } from 'react-i18next';
import type { Contact, ContactAlias } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { contactName, formatBirth } from './format';

/** What tells two namesakes apart, in one line: birth, parents, phone and place (R8 review, merge history). */
export function PersonFacts({ person: c }: { person: Pick<Contact, 'birth' | 'fatherName' | 'motherName' | 'phone' | 'location'> }) {
  const { t } = useTranslation();
  const sep = t('contacts.summarySeparator');
  return (
    <>
      {t('contacts.summaryBorn', { date: formatBirth(c.birth) })}
      {c.fatherName && withSlots(t('contacts.summaryFather', { name: slot(0) }), [<Bdi key="f">{c.fatherName}</Bdi>])}
      {c.motherName && withSlots(t('contacts.summaryMother', { name: slot(0) }), [<Bdi key="m">{c.motherName}</Bdi>])}
      {c.phone && (
        <>
          {sep}
          <Bdi ltr>{c.phone}</Bdi>
        </>
      )}
      {c.location && (
        <>
          {sep}
          <Bdi>{c.location}</Bdi>
        </>
      )}
    </>
  );
}

/** R8: another name of a contact (an alias), with the parents' names that came with it. */
export function AliasName({ alias: a }: { alias: ContactAlias }) {
  const { t } = useTranslation();
  return (
    <>
      <Bdi>{contactName(a)}</Bdi>
      {a.fatherName && withSlots(t('contacts.summaryFather', { name: slot(0) }), [<Bdi key="f">{a.fatherName}</Bdi>])}
      {a.motherName && withSlots(t('contacts.summaryMother', { name: slot(0) }), [<Bdi key="m">{a.motherName}</Bdi>])}
    </>
  );
}
