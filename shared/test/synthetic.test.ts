import { describe, expect, it } from 'vitest';
import { validateContactInput } from '../src/contact/contact.js';
import { generateSyntheticRows } from '../src/testing/synthetic.js';

describe('synthetic Lebanon-like generator', () => {
  it('[R7] is deterministic: the same seed gives the same rows, another seed other rows', () => {
    const a = generateSyntheticRows({ seed: 's1', rows: 300, duplicates: 30 });
    expect(generateSyntheticRows({ seed: 's1', rows: 300, duplicates: 30 })).toEqual(a);
    expect(generateSyntheticRows({ seed: 's2', rows: 300, duplicates: 30 })).not.toEqual(a);
  });

  it('[R4] gives the requested rows and duplicates, each duplicate after its original, all valid (R2)', () => {
    const rows = generateSyntheticRows({ seed: 'shape', rows: 2000, duplicates: 200 });
    expect(rows).toHaveLength(2000);
    const dups = rows.filter((r) => r.duplicateOf !== null);
    expect(dups).toHaveLength(200);
    rows.forEach((r, i) => {
      if (r.duplicateOf !== null) {
        expect(r.duplicateOf).toBeLessThan(i);
        expect(rows[r.duplicateOf]!.personId).toBe(r.personId);
      }
    });
    expect(new Set(dups.map((d) => d.noise)).size).toBeGreaterThanOrEqual(6);
    expect(rows.every((r) => validateContactInput(r.row, { today: '2026-11-22' }).ok)).toBe(true);
    // Households: several people share a family name, a place and (mostly) a phone.
    const household = rows.filter((r) => r.householdId === rows[0]!.householdId && r.duplicateOf === null);
    expect(new Set(household.map((r) => r.row.lastName)).size).toBe(1);
  });
});
