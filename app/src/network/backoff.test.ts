import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff (#12)', () => {
  it('[#12] tries at once after a loss, then doubles the wait up to the cap, a random share taken off', () => {
    const high = new Backoff({ firstMs: 1000, maxMs: 8000 }, () => new Uint8Array([0]));
    expect([1, 2, 3, 4, 5, 6].map(() => high.next())).toEqual([0, 1000, 2000, 4000, 8000, 8000]);
    const low = new Backoff({ firstMs: 1000, maxMs: 8000 }, () => new Uint8Array([255]));
    expect([1, 2, 3].map(() => low.next())).toEqual([0, 500, 1000]);
  });

  it('[#12] a working session starts the count again', () => {
    const b = new Backoff({ firstMs: 1000, maxMs: 8000 }, () => new Uint8Array([0]));
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(0);
  });
});
