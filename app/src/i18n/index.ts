import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import type { Catalog } from './types';

/** X6: the interface languages. English is bundled; Arabic loads on first use (initial JS, #12 item 9). */
export const LANGUAGES = ['en', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Each language's own name, shown in the switch in that language. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ar: 'العربية' };
export const LANGUAGE_KEY = 'ihyid.language';

const loaders: Record<Language, () => Promise<Catalog>> = {
  en: async () => en,
  ar: async () => (await import('./locales/ar')).default,
};

/**
 * The language a user chose before (remembered on this device), else the first of the browser's
 * languages we have ('ar-LB' → 'ar'), else English.
 */
export function pickLanguage(remembered: string | null, browser: readonly string[]): Language {
  const known = (tag: string): Language | undefined => LANGUAGES.find((l) => tag.toLowerCase().split('-')[0] === l);
  if (remembered && known(remembered)) return known(remembered)!;
  for (const tag of browser) {
    const lang = known(tag);
    if (lang) return lang;
  }
  return 'en';
}

function applyToDocument(lng: string): void {
  document.documentElement.lang = lng;
  document.documentElement.dir = i18next.dir(lng);
}

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_KEY);
  } catch {
    return null;
  }
}

/** Starts i18next in the detected language; the first render waits for it (no flash of English). */
export async function startI18n(): Promise<I18n> {
  const lng = pickLanguage(storedLanguage(), navigator.languages ?? [navigator.language]);
  const resources: Record<string, { translation: Catalog }> = { en: { translation: en } };
  if (lng !== 'en') resources[lng] = { translation: await loaders[lng]() };
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources,
    // React escapes what it renders; escaping here too would show "&amp;" in names.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyToDocument(lng);
  i18next.on('languageChanged', applyToDocument);
  return i18next;
}

/** The language switch: loads the catalog if needed, switches, and remembers the choice here. */
export async function setLanguage(lng: Language): Promise<void> {
  if (!i18next.hasResourceBundle(lng, 'translation')) i18next.addResourceBundle(lng, 'translation', await loaders[lng]());
  try {
    localStorage.setItem(LANGUAGE_KEY, lng);
  } catch {
    // Private mode without storage: the switch still works for this visit.
  }
  await i18next.changeLanguage(lng);
}

export function currentLanguage(): Language {
  return pickLanguage(i18next.resolvedLanguage ?? i18next.language ?? 'en', []);
}
