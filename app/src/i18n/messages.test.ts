import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, SIGNALING_ERROR_MESSAGES, validateContactInput, validateListFields, emptyContactInput } from '@ihyid/shared';
import ar from './locales/ar';
import en from './locales/en';
import { localizeMessage, provideEnglishMessages } from './messages';
import { StoredRowError } from '../storage/row-schemas';

/** X6: sentences made in English by shared/ and the services are shown in the reader's language. */
const validationErrors = (): string[] => {
  const bad = validateContactInput(
    { ...emptyContactInput(), firstName: '1', lastName: '', fatherName: 'x'.repeat(300), birthDate: '1990-02-30', sex: 'q', phone: '12', householdSize: '300' },
    { defaultCountry: 'LB', today: '2026-11-22' },
  );
  const more = [
    validateContactInput({ ...emptyContactInput(), firstName: 'a', lastName: 'b', birthDate: '' }, { today: '2026-11-22' }),
    validateContactInput({ ...emptyContactInput(), firstName: 'a', lastName: 'b', birthDate: '2030' }, { today: '2026-11-22' }),
    validateContactInput({ ...emptyContactInput(), firstName: 'a', lastName: 'b', birthDate: '12.3.1985' }, { today: '2026-11-22' }),
    validateContactInput({ ...emptyContactInput(), firstName: 'a', lastName: 'b', birthDate: '1800' }, { today: '2026-11-22' }),
  ];
  return [bad, ...more].flatMap((r) => (r.ok ? [] : Object.values(r.error).filter((m): m is string => !!m)));
};

/** D1: every sentence the list form's validation can give, from fields that break each rule. */
const listErrors = (): string[] => {
  const broken = [
    { name: '', programme: 'x'.repeat(81), sector: 's', round: 'r', startDate: '2026-02-30', endDate: '2026-01-01', transferValue: Number.NaN, currency: 'dollars', capacity: 1.5 },
    { name: 'n', programme: 'p', sector: 's', round: 'r', startDate: '2026-02-01', endDate: '2026-01-01', transferValue: -1, currency: 'USD', capacity: -1 },
    { name: 'n', programme: 'p', sector: 's', round: 'r', startDate: '2026-01-01', endDate: '2026-02-01', transferValue: 1, currency: 'USD', capacity: 10_000_000 },
  ];
  return broken.flatMap((f) => {
    const r = validateListFields(f);
    return r.ok ? [] : Object.values(r.error).filter((m): m is string => !!m);
  });
};

const NOTICES = [
  'Waiting for Caritas to accept the psi-v2 check of 12 contacts.',
  "Waiting for Caritas to accept the psi-v2 check of 12 contacts. 3 contact(s) without both parents' names cannot take part in this check.",
  'You declined the check from Caritas.',
  'Caritas asked for a psi-v2 check of 5 contacts; accepted by your standing rule.',
  'Caritas accepted. It announced 3 contacts (12 entries). Checking…',
  'Caritas has not turned this check protocol on, so it cannot answer it. Ask for a psi-v2 check instead.',
  'Caritas is busy with another check.',
  'The partner declined the check.',
  'Caritas declined the check.',
  'You cancelled the check. Nothing was saved.',
  'Caritas did not answer within 2 min. The request was withdrawn and nothing was sent; ask again when they can answer.',
  'Caritas cancelled the check. Nothing was saved.',
  'Check complete: 2 of 3 contacts are also known to Caritas.',
  'Check complete: 2 of 3 contacts are also known to Caritas. Caritas announced 3 contacts (12 entries).',
  "You answered Caritas's check: 1 of their 3 contacts are known to you.",
  'Caritas ended the session because of an error (malformed-message). Nothing half-done was saved.',
  `${ERROR_MESSAGES['identity-mismatch']} (identity-mismatch)`,
  'This browser cannot share its location, so witness mode cannot run.',
  new StoredRowError('ihyid-witness', 'ownTokens').message,
  'Waiting for Caritas to choose its list for "Winter 2026".',
  "You declined Caritas's list.",
  'Caritas declined to share the list.',
  'Caritas sent a different plan for a round already under way. The pair was declined.',
  'Agreed with Caritas: of 20 shared people, you serve 9 and Caritas serves 11.',
  'This invitation expired on 2001-09-09. Ask your partner for a new one.',
  'This invitation was already used: it connected you with Caritas. A link works once; create a new one for another partner.',
  'This invitation was revoked. Create a new one.',
  'This invitation link was already used by another organisation. A link works once: ask whoever sent it for a new one.',
  'This invitation link was revoked by whoever sent it. Ask them for a new one.',
  'Caritas may have learned whether you hold up to 12 of its entries (shared contacts): the psi-v2 check of 2026-12-04 stopped before it finished, and nothing of it was saved here.',
];

beforeAll(async () => {
  await i18next.init({ lng: 'en', fallbackLng: 'en', resources: { en: { translation: en }, ar: { translation: ar } }, interpolation: { escapeValue: false } });
  provideEnglishMessages(en.messages);
});

describe('[X6] localizeMessage', () => {
  const all = [...Object.values(ERROR_MESSAGES), ...Object.values(SIGNALING_ERROR_MESSAGES), ...validationErrors(), ...listErrors(), ...NOTICES];

  it('[X6] in English, every known sentence comes back unchanged (the catalog equals the source)', async () => {
    await i18next.changeLanguage('en');
    expect(validationErrors().length).toBeGreaterThanOrEqual(9);
    expect(new Set(listErrors()).size).toBe(9);
    expect(all.filter((s) => localizeMessage(s) !== s)).toEqual([]);
  });

  it('[X6] in Arabic, every known sentence is translated, and its names and codes are kept', async () => {
    await i18next.changeLanguage('ar');
    const untranslated = all.filter((s) => /[A-Za-z]{4,} [a-z]{3,}/.test(localizeMessage(s).replace(/Caritas|psi-v2|YYYY-MM-DD|YYYY|[a-z-]+-[a-z-]+/g, '')));
    expect(untranslated).toEqual([]);
    expect(localizeMessage('Caritas declined the check.')).toBe('رفض Caritas التحقق.');
    expect(localizeMessage('Check complete: 2 of 3 contacts are also known to Caritas. Caritas announced 3 contacts (12 entries).')).toContain('Caritas');
    expect(localizeMessage(`${ERROR_MESSAGES['identity-mismatch']} (identity-mismatch)`)).toMatch(/^تحذير.*\(identity-mismatch\)$/);
    expect(localizeMessage('Enter the first name.')).toBe('أدخل الاسم الأول.');
  });

  it('[X6] an unknown sentence is shown as it is', async () => {
    await i18next.changeLanguage('ar');
    expect(localizeMessage('Something new nobody translated.')).toBe('Something new nobody translated.');
  });
});
