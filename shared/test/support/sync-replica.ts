import { HlcClock } from '../../src/sync/hlc.js';
import { parseHlc } from '../../src/sync/hlc.js';
import { runSync, type SyncStats } from '../../src/sync/session.js';
import { MemorySyncStore } from '../../src/sync/store.js';
import { inMemorySyncLink } from '../../src/sync/transport.js';
import { makeVersion, type RecordKey, type RecordVersion } from '../../src/sync/version.js';
import type { ProtocolError } from '../../src/core/errors.js';
import type { Result } from '../../src/core/result.js';

/** A fake wall clock shared by the replicas of a test; each replica may run ahead or behind it. */
export class FakeTime {
  constructor(public ms = 1_767_225_600_000) {}
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** One device: its HLC (reading the fake time with a skew) and its in-memory version store. */
export class Replica {
  readonly clock: HlcClock;
  readonly store: MemorySyncStore;

  constructor(node: string, time: FakeTime, skewMs = 0) {
    this.clock = new HlcClock(node, () => time.ms + skewMs);
    this.store = new MemorySyncStore((version) => this.clock.observe(parseHlc(version.body.hlc)!));
  }

  write(fields: Parameters<typeof makeVersion>[1]): RecordVersion {
    const version = makeVersion(this.clock, fields);
    this.store.add([version]);
    return version;
  }

  heads(record: RecordKey): RecordVersion[] {
    const state = this.store.states().get(record);
    if (!state) return [];
    return state.kind === 'live' ? [state.head] : [...state.heads];
  }
}

export interface PairResult {
  readonly a: Result<SyncStats, ProtocolError>;
  readonly b: Result<SyncStats, ProtocolError>;
  /** JSON characters sent by a and by b. */
  readonly chars: readonly [number, number];
}

/** Runs one sync between two replicas' stores over an in-memory link (a initiates). */
export async function syncStores(a: MemorySyncStore, b: MemorySyncStore): Promise<PairResult> {
  const link = inMemorySyncLink();
  const [ra, rb] = await Promise.all([
    runSync({ transport: link.ends[0], store: a, initiator: true }),
    runSync({ transport: link.ends[1], store: b, initiator: false }),
  ]);
  return { a: ra, b: rb, chars: [...link.sentChars] as [number, number] };
}

/** Every record's state, spelled so that two replicas can be compared with toEqual. */
export function snapshot(store: MemorySyncStore): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [record, state] of [...store.states()].sort(([x], [y]) => (x < y ? -1 : 1))) {
    out[record] = state.kind === 'live' ? `live ${state.head.id}` : `${state.kind} ${state.heads.map((h) => h.id).join(',')}`;
  }
  return out;
}
