import { validateContactInput } from '../../src/contact/contact.js';
import type { MatchKeyInput } from '../../src/matching/match-keys.js';
import { generateSyntheticRows } from '../../src/testing/synthetic.js';

/**
 * R7's household check for any version of the match keys: the keys two different people of one
 * generated household (siblings, twins, parents) share, as '<key> <first name>' lines; [] when none.
 */
export function householdClashes(keysOf: (c: MatchKeyInput) => string[], seed: string, rows = 8000): string[] {
  const people = generateSyntheticRows({ seed, rows, duplicates: 0 });
  const owner = new Map<string, { household: number; person: number }>();
  const clashes: string[] = [];
  for (const p of people) {
    const v = validateContactInput(p.row, { today: '2026-11-22' });
    if (!v.ok) continue;
    for (const k of keysOf(v.value)) {
      const seen = owner.get(k);
      if (seen && seen.household === p.householdId && seen.person !== p.personId) clashes.push(`${k} ${p.row.firstName}`);
      owner.set(k, { household: p.householdId, person: p.personId });
    }
  }
  return clashes;
}
