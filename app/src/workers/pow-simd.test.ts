import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leadingZeroBits, Pow40 } from '@ihyid/shared';
import { compiledModule, PowSimd, powSimdModuleBytes } from './pow-simd';

const prefixOf = (label: string) => new Uint8Array(createHash('sha256').update(label).digest());

/** Independent reference: node:crypto over the exact 40 bytes `prefix ‖ nonce8`. */
function nodeLeadingZeros(prefix: Uint8Array, nonce: number): number {
  const m = Buffer.alloc(40);
  m.set(prefix);
  m.writeUInt32BE(Math.floor(nonce / 2 ** 32), 32);
  m.writeUInt32BE(nonce >>> 0, 36);
  return leadingZeroBits(new Uint8Array(createHash('sha256').update(m).digest()));
}

/** The first solution in a range, the slow and obvious way. */
function reference(prefix: Uint8Array, bits: number, start: number, count: number): number | null {
  for (let n = start; n < start + count; n++) if (nodeLeadingZeros(prefix, n) >= bits) return n;
  return null;
}

describe('WebAssembly SIMD proof-of-work kernel', () => {
  it('[I2] the generated module validates and compiles (SIMD is present in Node 20 and Chromium)', () => {
    expect(WebAssembly.validate(powSimdModuleBytes())).toBe(true);
    expect(compiledModule()).not.toBeNull();
  });

  for (const [label, bits, start, count] of [
    ['a', 8, 0, 4000],
    ['b', 10, 3, 5000], // unaligned start: scalar head, then lane groups
    ['c', 12, 2 ** 32 - 4099, 8000], // crosses a high-half boundary of the nonce
    ['d', 6, 17, 300],
    ['e', 20, 0, 50], // no solution in range
  ] as const) {
    it(`[I2] agrees with node:crypto on the first solution: ${bits} bits from ${start} (${label})`, () => {
      const prefix = prefixOf(label);
      const expected = reference(prefix, bits, start, count);
      expect(PowSimd.create(prefix)!.search(bits, { start, count })).toBe(expected);
      expect(new Pow40(prefix).search(bits, { start, count })).toBe(expected);
    });
  }

  it('[I2] difficulties of 0 and above 32 bits: the first nonce, and no false solution from the first word alone', () => {
    // Above 32 bits the kernel only pre-selects on the first digest word; the rest is checked in full.
    const prefix = prefixOf('f');
    expect(PowSimd.create(prefix)!.search(0, { start: 5, count: 10 })).toBe(5);
    expect(PowSimd.create(prefix)!.search(40, { start: 0, count: 4096 })).toBe(reference(prefix, 40, 0, 4096));
  });
});
