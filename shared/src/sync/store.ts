import type { ReconcileIndex, SyncItem } from './fingerprint.js';
import { recordStates, type RecordState } from './merge.js';
import { versionTime, type RecordKey, type RecordVersion, type VersionId } from './version.js';

/**
 * What a sync needs from a device's storage of record versions. The app implements it over
 * IndexedDB (versions encrypted under the organisation's data key); tests use `MemorySyncStore`.
 * Versions are immutable and content-addressed, so `put` of a version already held does nothing.
 */
export interface SyncStore {
  /** (timestamp, id) of every held version, in any order. */
  items(): Promise<readonly SyncItem[]>;
  /**
   * `items` as a reconciliation index, for a store that keeps one between syncs (building it costs
   * a pass over every id); a sync then reads this instead of `items`.
   */
  index?(): Promise<ReconcileIndex>;
  /** The held versions among `ids`; unknown ids are skipped. */
  get(ids: readonly VersionId[]): Promise<readonly RecordVersion[]>;
  /**
   * Adds validated versions. Called with each received batch; must be idempotent. A store may keep
   * them a while (to write many at once) as long as `flush` writes them.
   */
  put(versions: readonly RecordVersion[]): Promise<void>;
  /** Writes whatever `put` kept; a sync calls it before it ends, and a failure fails the sync. */
  flush?(): Promise<void>;
}

/** The in-memory store of tests and benchmarks; `onPut` lets a replica observe HLC stamps. */
export class MemorySyncStore implements SyncStore {
  private readonly versions = new Map<VersionId, RecordVersion>();
  /** Kept beside the versions, as an IndexedDB store keeps them in an index: a sync reads only these. */
  private readonly listed: SyncItem[] = [];

  constructor(private readonly onPut?: (version: RecordVersion) => void) {}

  async items(): Promise<readonly SyncItem[]> {
    return this.listed.slice();
  }

  async get(ids: readonly VersionId[]): Promise<readonly RecordVersion[]> {
    return ids.flatMap((id) => this.versions.get(id) ?? []);
  }

  async put(versions: readonly RecordVersion[]): Promise<void> {
    this.add(versions);
  }

  /** Local writes (an edit on this device) take the same path as received versions. */
  add(versions: readonly RecordVersion[]): void {
    for (const version of versions) {
      if (this.versions.has(version.id)) continue;
      this.versions.set(version.id, version);
      this.listed.push({ ts: versionTime(version), id: version.id });
      this.onPut?.(version);
    }
  }

  has(id: VersionId): boolean {
    return this.versions.has(id);
  }

  all(): RecordVersion[] {
    return [...this.versions.values()];
  }

  get size(): number {
    return this.versions.size;
  }

  states(): Map<RecordKey, RecordState> {
    return recordStates(this.versions.values());
  }
}
