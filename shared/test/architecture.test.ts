import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;
const ALLOWED = [/^\.\.?\//, /^@noble\/hashes\//, /^valibot$/, /^canonicalize$/, /^libphonenumber-js(\/min)?$/];

function imports(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('shared/ architecture', () => {
  it('imports no DOM, Node, storage or transport code: only pure libraries and itself', () => {
    const offenders: string[] = [];
    for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
      for (const spec of imports(file)) if (!ALLOWED.some((re) => re.test(spec))) offenders.push(`${file}: ${spec}`);
    }
    expect(offenders).toEqual([]);
  });

  it('uses no browser or Node globals', () => {
    const globals = /\b(window\.|document\.|localStorage|indexedDB|navigator\.|process\.|Buffer\.|require\()/;
    const offenders = readdirSync(SRC)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => globals.test(readFileSync(join(SRC, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(offenders).toEqual([]);
  });
});
