import i18next from 'i18next';
import { formatDay } from './format';

/**
 * X6: shared/ and the services speak English sentences (shared has no UI and no language); each is
 * an entry of the `messages` catalog. This reads a sentence back as its key and values and says it
 * in the reader's language. A sentence it does not know is shown as it is, in English.
 *
 * The English sentences load after the first paint with the rest of the catalog (index.ts,
 * `loadRestOfCatalog`, which every screen that shows them awaits); until then nothing is known.
 */
type Template = { key: string; re: RegExp; names: string[]; literal: number };

const SUFFIXES = ['skipped', 'theirs'] as const;
const NUMERIC = new Set(['count', 'known', 'sent', 'max', 'year', 'minutes', 'items', 'mine', 'other']);
let messages: Record<string, string> = {};
let exact: Map<string, string> | null = null;
let templates: Template[] = [];
// Keys here are read from the catalog itself at run time, so they cannot be checked at compile time.
const t = (key: string, options?: Record<string, unknown>): string => (i18next.t as unknown as (k: string, o?: Record<string, unknown>) => string)(key, options);

/** English's `messages` group, the sentences shared/ makes (index.ts gives it once loaded). */
export function provideEnglishMessages(english: Record<string, string>): void {
  if (messages === english) return;
  messages = english;
  exact = null;
}

function compile(): Map<string, string> {
  if (exact) return exact;
  exact = new Map();
  templates = [];
  for (const [key, text] of Object.entries(messages)) {
    if (key.startsWith('field-')) continue;
    if (!text.includes('{{')) {
      if (!exact.has(text)) exact.set(text, key);
      continue;
    }
    const names: string[] = [];
    const pattern = text
      .split(/\{\{([^}]+)\}\}/)
      .map((part, i) => {
        if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const name = part.split(',')[0]!.trim();
        names.push(name);
        return NUMERIC.has(name) ? '(\\d+)' : name === 'code' ? '([a-z-]+)' : '(.+?)';
      })
      .join('');
    templates.push({ key, re: new RegExp(`^${pattern}$`, 's'), names, literal: text.replace(/\{\{[^}]+\}\}/g, '').length });
  }
  // The most specific template first: "X declined the check." must not swallow a longer sentence.
  templates.sort((a, b) => b.literal - a.literal);
  return exact;
}

function value(name: string, raw: string): string | number {
  if (/^\d+$/.test(raw)) return Number(raw);
  if (name === 'field') return t(`messages.field-${raw}`, { defaultValue: raw });
  if (name === 'partner' && raw === messages.thePartner) return t('messages.thePartner');
  if (name === 'message') return localizeMessage(raw);
  if (name === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(raw)) return formatDay(raw);
  return raw;
}

export function localizeMessage(text: string): string {
  const table = compile();
  const key = table.get(text);
  if (key) return t(`messages.${key}`);
  for (const suffix of SUFFIXES) {
    const [head, tail] = splitSuffix(text, suffix);
    if (head !== null && tail !== null) return localizeMessage(head) + tail;
  }
  for (const tpl of templates) {
    if (SUFFIXES.includes(tpl.key as (typeof SUFFIXES)[number])) continue;
    const m = tpl.re.exec(text);
    if (!m) continue;
    const values = Object.fromEntries(tpl.names.map((n, i) => [n, value(n, m[i + 1]!)]));
    return t(`messages.${tpl.key}`, values);
  }
  return text;
}

/** "Check complete: … Their list had 12 entries." → the head, and the suffix said in the reader's language. */
function splitSuffix(text: string, key: string): [string | null, string | null] {
  compile();
  const tpl = templates.find((x) => x.key === key);
  if (!tpl) return [null, null];
  // A suffix starts after the head's full stop, so a name in it cannot swallow the head.
  const re = new RegExp(`(?<=[.…])${tpl.re.source.slice(1, -1)}$`, 's');
  const m = re.exec(text);
  if (!m || m.index === 0) return [null, null];
  const values = Object.fromEntries(tpl.names.map((n, i) => [n, value(n, m[i + 1]!)]));
  return [text.slice(0, m.index), t(`messages.${key}`, values)];
}
