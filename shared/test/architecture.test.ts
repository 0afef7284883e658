import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;
const ALLOWED = [/^\.\.?\//, /^@noble\/(hashes|curves)\//, /^@scure\/base$/, /^valibot$/, /^canonicalize$/, /^libphonenumber-js(\/min)?$/];

/** Every .ts file under shared/src, subfolders included, relative to it. */
function sources(dir = ''): string[] {
  return readdirSync(join(SRC, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(SRC, rel)).isDirectory()) return sources(rel);
    return rel.endsWith('.ts') ? [rel] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('shared/ architecture', () => {
  it('imports no DOM, Node, storage or transport code: only pure libraries and itself', () => {
    const offenders: string[] = [];
    for (const file of sources()) {
      for (const spec of imports(file)) if (!ALLOWED.some((re) => re.test(spec))) offenders.push(`${file}: ${spec}`);
    }
    expect(offenders).toEqual([]);
  });

  it('keeps its files in folders that name the architecture: only the barrel at the root', () => {
    const atRoot = readdirSync(SRC).filter((name) => !statSync(join(SRC, name)).isDirectory());
    expect(atRoot).toEqual(['index.ts']);
  });

  it('reads no clock and no global randomness: time and randomness are injected (Clock, RandomBytes)', () => {
    // `new Date(x)` of a given instant is pure; `new Date()` and `Date.now()` read the clock.
    const banned = /\b(Date\.now\(|new Date\(\)|Math\.random|crypto\.|performance\.|setTimeout|setInterval)/;
    const offenders = sources().filter((f) => banned.test(readFileSync(join(SRC, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(offenders).toEqual([]);
  });

  it('uses no browser or Node globals', () => {
    const globals = /\b(window\.|document\.|localStorage|indexedDB|navigator\.|process\.|Buffer\.|require\()/;
    const offenders = sources().filter((f) => globals.test(readFileSync(join(SRC, f), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(offenders).toEqual([]);
  });
});
