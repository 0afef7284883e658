import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// identity/ is held to a narrower list of libraries than the rest of shared/ (architecture.test.ts).
const DIR = new URL('../src/identity/', import.meta.url).pathname;
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.ts')).map((f) => join(DIR, f));
const ALLOWED = [/^\.\.?\//, /^@noble\/hashes\//, /^@noble\/curves\/ed25519\.js$/, /^valibot$/, /^canonicalize$/];

describe('shared/src/identity architecture', () => {
  it('[I1] imports only pure libraries and shared itself (no DOM, Node, Dexie, transport)', () => {
    const offenders = FILES.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)]
        .map((m) => m[1]!)
        .filter((spec) => !ALLOWED.some((re) => re.test(spec)))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('[I5] reads no clock and no global randomness: time and randomness are passed in', () => {
    const banned = /\b(Date\.now|new Date\(|Math\.random|crypto\.|performance\.|setTimeout|setInterval|window\.|document\.|indexedDB|navigator\.|process\.)/;
    const offenders = FILES.filter((f) => banned.test(readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(offenders).toEqual([]);
  });

  it('keeps files small (about 300 lines at most)', () => {
    const long = FILES.filter((f) => readFileSync(f, 'utf8').split('\n').length > 320);
    expect(long).toEqual([]);
  });
});
