/**
 * S3: per-connection budgets, as token buckets.
 *
 * - Messages per second: a burst of twice the rate is allowed because trickled ICE candidates arrive
 *   in bunches at the start of a connection.
 * - Offences per minute: an honest app never sends a malformed message, so a few are forgiven (a bug,
 *   an old version) and a connection that keeps offending is a probe or a flood and is cut off.
 *
 * A class rather than closures: there is one of each per connection, and 10,000 connections should
 * cost a few fields each, not a few closures and their contexts.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes one token; false when the budget is spent. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.refillPerSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds since the bucket was last used. */
  idleFor(): number {
    return this.now() - this.last;
  }
}

export function createRateLimiter(perSecond: number, now: () => number): TokenBucket {
  return new TokenBucket(perSecond * 2, perSecond, now);
}

/** `take()` is false once more than `perMinute` offences fall within about a minute. */
export function createOffenceBudget(perMinute: number, now: () => number): TokenBucket {
  return new TokenBucket(perMinute, perMinute / 60, now);
}
