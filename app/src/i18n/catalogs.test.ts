import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import ar from './locales/ar';
import en from './locales/en';

/**
 * X6: both catalogs say everything the screens say. A key missing in either language, an Arabic
 * plural without its six forms, an Arabic sentence with a value English does not have, or a key
 * used in code that no catalog holds, fails here (typed keys catch most at compile time too).
 */
type Flat = Map<string, string>;
const flatten = (catalog: Record<string, Record<string, string>>): Flat =>
  new Map(Object.entries(catalog).flatMap(([group, keys]) => Object.entries(keys).map(([k, v]) => [`${group}.${k}`, v] as const)));

const EN = flatten(en);
const AR = flatten(ar);
const AR_FORMS = new Intl.PluralRules('ar').resolvedOptions().pluralCategories;
const EN_FORMS = new Intl.PluralRules('en').resolvedOptions().pluralCategories;
const pluralBase = (key: string) => /^(.*)_(zero|one|two|few|many|other)$/.exec(key)?.[1] ?? null;
const variables = (text: string) => new Set([...text.matchAll(/\{\{\s*([^,}\s]+)/g)].map((m) => m[1]!));

const bases = new Set([...EN.keys()].map(pluralBase).filter((b): b is string => b !== null));
const singles = [...EN.keys()].filter((k) => pluralBase(k) === null);

describe('[X6] catalogs', () => {
  it('[X6] Arabic has every English key that is not a plural', () => {
    expect(singles.filter((k) => !AR.has(k))).toEqual([]);
  });

  it('[X6] every plural has all of its forms: two in English, six in Arabic (CLDR)', () => {
    expect(AR_FORMS).toHaveLength(6);
    const missing = [...bases].flatMap((b) => [
      ...EN_FORMS.filter((f) => !EN.has(`${b}_${f}`)).map((f) => `en ${b}_${f}`),
      ...AR_FORMS.filter((f) => !AR.has(`${b}_${f}`)).map((f) => `ar ${b}_${f}`),
    ]);
    expect(missing).toEqual([]);
  });

  it('[X6] Arabic has no key English lacks, and no sentence is empty', () => {
    const extra = [...AR.keys()].filter((k) => !EN.has(k) && !(pluralBase(k) && bases.has(pluralBase(k)!)));
    expect(extra).toEqual([]);
    expect([...EN, ...AR].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it('[X6] an Arabic sentence uses only the values its English sentence is given', () => {
    const wrong = [...AR].flatMap(([k, v]) => {
      const base = pluralBase(k);
      const english = EN.get(k) ?? (base ? (EN.get(`${base}_other`) ?? '') : '');
      const allowed = variables(english);
      if (base) allowed.add('count');
      return [...variables(v)].filter((name) => !allowed.has(name)).map((name) => `${k}: {{${name}}}`);
    });
    expect(wrong).toEqual([]);
  });
});

/** Every key written in the app's code, from t('…'), i18next.t('…') and `…${x}` templates. */
function keysInCode(): { file: string; key: string; prefix: boolean }[] {
  const root = join(import.meta.dirname, '..');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts') && !/\.test\.tsx?$/.test(name) && !path.includes(join('i18n', 'locales'))) files.push(path);
    }
  };
  walk(root);
  const found: { file: string; key: string; prefix: boolean }[] = [];
  const groups = Object.keys(en).join('|');
  const literal = new RegExp(`\\bt\\(\\s*['"]((?:${groups})\\.[^'"]+)['"]`, 'g');
  const template = new RegExp(`\\bt\\(\\s*\`((?:${groups})\\.[^\`$]*)\\$\\{`, 'g');
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(literal)) found.push({ file: relative(root, file), key: m[1]!, prefix: false });
    for (const m of text.matchAll(template)) found.push({ file: relative(root, file), key: m[1]!, prefix: true });
    // Keys in tables (STATUS_KEY and the like): any quoted 'group.key' string.
    for (const m of text.matchAll(new RegExp(`['"]((?:${groups})\\.[A-Za-z][\\w-]*)['"]`, 'g'))) found.push({ file: relative(root, file), key: m[1]!, prefix: false });
  }
  return found;
}

describe('[X6] keys used in code', () => {
  it('[X6] every key the code uses is in the English catalog (and so, by the tests above, in Arabic)', () => {
    const used = keysInCode();
    expect(used.length).toBeGreaterThan(300);
    const exists = (key: string) => EN.has(key) || bases.has(key);
    const missing = used.filter((u) => (u.prefix ? ![...EN.keys()].some((k) => k.startsWith(u.key)) : !exists(u.key))).map((u) => `${u.file}: ${u.key}`);
    expect(missing).toEqual([]);
  });
});
