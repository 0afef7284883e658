import 'i18next';
import type en from './locales/en';

// Typed keys: t() with a key missing from English does not compile, so a key used in code cannot be missing in English.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
