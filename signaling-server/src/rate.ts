/**
 * S3: messages per second per connection, as a token bucket. A burst of twice the rate is allowed
 * because trickled ICE candidates arrive in bunches at the start of a connection.
 */
export interface RateLimiter {
  /** Takes one token; false when the connection is over its rate. */
  take(): boolean;
}

export function createRateLimiter(perSecond: number, now: () => number): RateLimiter {
  const capacity = perSecond * 2;
  let tokens = capacity;
  let last = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(capacity, tokens + ((t - last) / 1000) * perSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
