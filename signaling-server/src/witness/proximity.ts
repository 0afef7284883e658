/**
 * W2: where the latest positions live. One process keeps them in memory (proximity-memory.ts); several
 * processes behind a load balancer share them in Redis (proximity-redis.ts), so two devices connected
 * to different processes still meet. Either way: only the latest position per live session, the pairs
 * matched in the last interval, nothing on disk, nothing in logs or metrics but a count.
 */

/** Called with two session ids within the radius of each other. */
export type ProximityPair = (a: string, b: string) => void;

/** One key per unordered pair. */
export const pairKey = (a: string, b: string): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

export interface Proximity {
  /** A session's new position; it replaces the previous one. */
  report(session: string, latitude: number, longitude: number): void;
  /** The session's connection ended: its position goes at once. */
  forget(session: string): void;
  /**
   * W7: whether the two sessions were matched within the last interval (the only pairs whose WebRTC
   * set-up is relayed). Kept for that long and no longer; session ids are never reused.
   */
  matched(a: string, b: string): boolean | Promise<boolean>;
  /** Positions held for this process's sessions (a metric that must return to zero). */
  readonly held: number;
  close(): Promise<void>;
}
