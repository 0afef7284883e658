import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { provideEnglishMessages } from './messages';
import type { Catalog } from './types';

/**
 * X6: the interface languages. Only the user's language loads (#12 item 9), in two parts: what the
 * first screens say before the first render, the rest after the first paint (`loadRestOfCatalog`),
 * which every other screen awaits (`withCatalog`).
 */
export const LANGUAGES = ['en', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Each language's own name, shown in the switch in that language. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', ar: 'العربية' };
export const LANGUAGE_KEY = 'ihyid.language';

const parts: Record<Language, { first(): Promise<Catalog>; rest(): Promise<Catalog> }> = {
  en: { first: async () => (await import('./locales/en/first')).default, rest: async () => (await import('./locales/en/rest')).default },
  ar: { first: async () => (await import('./locales/ar/first')).default, rest: async () => (await import('./locales/ar/rest')).default },
};
const firstOf = new Map<Language, Promise<void>>();
const restOf = new Map<Language, Promise<void>>();

function once(loaded: Map<Language, Promise<void>>, lng: Language, load: () => Promise<Catalog>): Promise<void> {
  let done = loaded.get(lng);
  if (!done) {
    done = load().then(
      (catalog) => void i18next.addResourceBundle(lng, 'translation', catalog, true, false),
      (error: unknown) => {
        // A chunk that failed to load (offline before the service worker had it) is tried again next time.
        loaded.delete(lng);
        throw error;
      },
    );
    loaded.set(lng, done);
  }
  return done;
}

/**
 * The rest of the user's catalog, and English's sentences of shared/ that localizeMessage reads
 * back (messages.ts), whatever the language. Asked for by App after the first paint.
 */
export function loadRestOfCatalog(lng: Language = currentLanguage()): Promise<void> {
  const english = import('./locales/en/messages').then((m) => provideEnglishMessages(m.default));
  return Promise.all([once(restOf, lng, parts[lng].rest), english]).then(() => undefined);
}

/** A screen's module, once its language's whole catalog is there (a lazy screen's loader in App.tsx). */
export function withCatalog<T>(load: Promise<T>): Promise<T> {
  return Promise.all([load, loadRestOfCatalog()]).then(([loaded]) => loaded);
}

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

/** Starts i18next in the detected language with the first part of its catalog; the first render waits for it (no flash of English). */
export async function startI18n(): Promise<I18n> {
  const lng = pickLanguage(storedLanguage(), navigator.languages ?? [navigator.language]);
  const first = parts[lng].first();
  firstOf.set(lng, first.then(() => undefined));
  await i18next.use(initReactI18next).init({
    lng,
    // Each catalog is whole (catalogs.test.ts): no language falls back on another's strings.
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    resources: { [lng]: { translation: await first } },
    // React escapes what it renders; escaping here too would show "&amp;" in names.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyToDocument(lng);
  i18next.on('languageChanged', applyToDocument);
  return i18next;
}

/** The language switch: loads the catalog as far as the current one is loaded, switches, and remembers the choice here. */
export async function setLanguage(lng: Language): Promise<void> {
  const rest = restOf.has(currentLanguage());
  await Promise.all([once(firstOf, lng, parts[lng].first), rest ? loadRestOfCatalog(lng) : null]);
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
