import type en from './locales/en';

/** Arabic has six plural forms (CLDR): zero, one, two, few, many, other. */
export type ArabicPlural = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

/** Any catalog: a group per feature or screen, then flat keys (plural forms as `key_one` …). */
export type Catalog = Record<string, Record<string, string>>;

/**
 * The Arabic catalog: every English key, and for each English plural (`x_one`, `x_other`) all six
 * Arabic forms (`x_zero` … `x_other`). The compiler refuses a missing key or a missing form.
 */
export type ArabicCatalog = {
  [K in keyof typeof en]: {
    [L in keyof (typeof en)[K] as L extends `${infer B}_other` ? `${B}_${ArabicPlural}` : L extends `${string}_one` ? never : L]: string;
  };
};
