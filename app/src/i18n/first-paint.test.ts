import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from './locales/en';
import first from './locales/en/first';

/**
 * #12 item 9, X6: the first screens render with the first part of the catalog only (the rest loads
 * after the first paint). This follows main.tsx's static imports, and the screens loaded without
 * waiting for the catalog (a dynamic import of a component not wrapped in `withCatalog`, as
 * main.tsx loads the unlock screen), and reads every catalog key written in
 * them: each must be in a group of locales/en/first.ts, or the screen would show a raw key until
 * the rest arrives. Other dynamic imports load later, behind the catalog or with no words (services).
 */
const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');
const GROUPS = Object.keys(en).join('|');
const KEY = new RegExp(`['"\`](${GROUPS})\\.[A-Za-z$]`, 'g');
// Static imports and re-exports, not `import type` (erased) nor `import(...)` (loaded later).
const STATIC = /^(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm;
// A component loaded on its own, not behind the catalog: `import('./x')` without `withCatalog(` before it.
const SCREEN = /(withCatalog\()?import\(['"](\.[^'"]+)['"]\)/g;

function resolve(from: string, spec: string): string | null {
  const base = join(dirname(from), spec);
  for (const file of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) if (existsSync(file) && file.match(/\.tsx?$/)) return file;
  return null;
}

function firstPaintModules(): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(STATIC)) {
      const next = resolve(file, m[1]!);
      if (next && !next.includes(`${join('i18n', 'locales')}`)) visit(next);
    }
    for (const m of text.matchAll(SCREEN)) {
      const next = m[1] ? null : resolve(file, m[2]!);
      if (next?.endsWith('.tsx')) visit(next);
    }
  };
  visit(join(SRC, 'main.tsx'));
  return seen;
}

describe('[X6] the first paint and its catalog', () => {
  const modules = firstPaintModules();

  it('[X6] follows the first paint from main.tsx to its screens', () => {
    const names = [...modules.keys()].map((f) => relative(SRC, f));
    for (const screen of ['app/App.tsx', 'features/profile/FirstRun.tsx', 'features/security/RestorePanel.tsx', 'features/security/UnlockScreen.tsx']) expect(names).toContain(screen);
    // Loaded behind the catalog, or with no words: none is followed.
    expect(names).not.toContain('features/contacts/ContactsList.tsx');
    expect(names).not.toContain('features/partners/PartnersPage.tsx');
    expect(names).not.toContain('identity/service.ts');
  });

  it('[X6] every key a first screen says is in the first part of the catalog', () => {
    // messages.ts says shared's sentences, which wait for the rest (the next test).
    const outside = [...modules].filter(([file]) => !file.endsWith(join('i18n', 'messages.ts'))).flatMap(([file, text]) =>
      [...text.matchAll(KEY)].filter((m) => !(m[1]! in first)).map((m) => `${relative(SRC, file)}: ${m[0].slice(1)}…`),
    );
    expect(outside).toEqual([]);
  });

  it("[X6] a first screen that shows shared's sentences waits for them (they come with the rest)", () => {
    const early = [...modules].filter(([file, text]) => /localizeMessage\(/.test(text) && !file.endsWith(join('i18n', 'messages.ts')) && !/await loadRestOfCatalog\(\)/.test(text));
    expect(early.map(([file]) => relative(SRC, file))).toEqual([]);
  });
});
