import { describe, expect, it } from 'vitest';
import { pooledRandom, seededBytes } from '../src/index.js';

describe('pooledRandom', () => {
  it('[A1] hands out the source\'s bytes in order, each once, across pool refills; a request above the pool goes to the source', () => {
    const source = seededBytes(9);
    const reference = seededBytes(9);
    let calls = 0;
    const pooled = pooledRandom((n) => (calls++, source(n)), 64);
    const drawn = [pooled(16), pooled(32), pooled(16), pooled(12), pooled(40)];
    // 64 bytes: the first pool in full, then a second pool for the 12 and the 40 (the 12 did not fit in what was left: none).
    expect(calls).toBe(2);
    const first = reference(64);
    expect([...drawn[0]!, ...drawn[1]!, ...drawn[2]!]).toEqual([...first]);
    const second = reference(64);
    expect([...drawn[3]!, ...drawn[4]!]).toEqual([...second.subarray(0, 52)]);
    expect(pooled(100)).toHaveLength(100);
    expect(calls).toBe(3);
  });

  it('[A1] what it hands out is a copy: changing it changes nothing later draws give', () => {
    const pooled = pooledRandom(seededBytes(3), 32);
    const a = pooled(8);
    a.fill(0);
    const b = pooled(8);
    expect(b.some((x) => x !== 0)).toBe(true);
  });
});
