import type { DexieSyncStore } from './sync-store';

/** When the keeper looks: a while after the unlock, and after contacts stop changing for a moment. */
export interface KeeperTiming {
  /** After the page starts (its first screen and counts come first). */
  readonly startMs: number;
  /** After the last write of contacts seen (an import writes thousands, one batch after another). */
  readonly quietMs: number;
  /** Contacts opened per task on the page: 500 is about 25 ms of XChaCha20 and JSON. */
  readonly batch: number;
  /** An import job not written for this long is not running here (cut short by a reload). */
  readonly importIdleMs: number;
}

export const KEEPER_TIMING: KeeperTiming = { startMs: 1500, quietMs: 1000, batch: 500, importIdleMs: 30_000 };

/**
 * X4, #16: a protected device keeps a version of each contact ready for its next sync. A save makes
 * its version as it writes (synced-contacts.ts); contacts the import worker wrote, and those stored
 * before the passphrase (sealed by the first unlock), get theirs here, in the background: once a while
 * after the page starts, and again after each burst of contact writes from elsewhere. A sync then
 * starts from versions already made: its own `adopt` waits for this one and finds nothing left. At
 * 100,000 contacts the first versions were 14.5 of the 39 s an initial sync took (bench:sync).
 * Returns the stop.
 */
export function keepVersionsReady(
  sync: Pick<DexieSyncStore, 'adopt' | 'watch'>,
  clock: { now(): number; after(ms: number, run: () => void): () => void },
  /** Whether an import job is marked running (import-jobs.ts `running`). */
  jobRunning: () => Promise<boolean>,
  onError: (error: unknown) => void,
  timing: KeeperTiming = KEEPER_TIMING,
): () => void {
  let cancel = clock.after(timing.startMs, () => void adopt());
  // When a write of `importJobs` was last seen (an import writes its job with every batch).
  let jobWritten = -Infinity;
  // Not while an import runs: the page would take in its contacts batch after batch, in tasks of up to
  // 118 ms (bench:dedup); the job's end is a write of `importJobs`, which brings the keeper back. A job
  // still marked running that nobody writes (a reload cut it short, and it waits to be resumed or
  // cancelled) does not hold the keeper back.
  const importing = async () => clock.now() - jobWritten < timing.importIdleMs && (await jobRunning().catch(() => false));
  // An import that starts while this versions stops it between two batches (the job's first write);
  // what is left is given back whole, and the import's end brings the keeper back.
  const importStarted = () => clock.now() - jobWritten < timing.quietMs;
  // A failure (the page locking, a database closed under it) is reported and left to the next write or
  // sync: the contacts it took are given back whole (sync-store.ts `adopt`).
  const adopt = async () => {
    if (await importing()) {
      // An import that died without a reload (a quota error) writes its job no more: look again once it
      // counts as stale, rather than wait for the next write.
      cancel();
      cancel = clock.after(Math.max(0, jobWritten + timing.importIdleMs - clock.now()) + 1, () => void adopt());
      return 0;
    }
    return sync.adopt(timing.batch, importStarted).catch((error: unknown) => {
      onError(error);
      return 0;
    });
  };
  const unwatch = sync.watch((tables) => {
    if (tables.has('importJobs')) jobWritten = clock.now();
    if (!tables.has('contacts') && !tables.has('importJobs')) return;
    cancel();
    cancel = clock.after(timing.quietMs, () => void adopt());
  });
  return () => {
    cancel();
    unwatch();
  };
}
