/**
 * W2 in one process: the latest position of each live witness session, in memory only, matched on a
 * timer by the shared grid matcher (shared/src/witness/grid.ts).
 *
 * Each tick drops positions older than `staleMs`, then reports every pair within the radius in which
 * at least one side sent a position since the previous tick. Devices report every 10 s, so a pair
 * that stays together is reported again about every 10 s (once per report of either side), never on
 * every tick; the app ignores a device it has already met. A pair is remembered for one position
 * interval only, so that their WebRTC set-up can be relayed (W7), and then forgotten.
 */
import { matchTick, toEcef, type TickPositions } from '@ihyid/shared';
import { pairKey, type Proximity, type ProximityPair } from './proximity.js';

interface Entry {
  x: number;
  y: number;
  z: number;
  at: number;
  fresh: boolean;
}

export interface MemoryProximity extends Proximity {
  /** One matching pass; the server calls it every `tickMs`, tests and the benchmark call it directly. */
  tick(): void;
}

export function createMemoryProximity(options: {
  readonly radiusM: number;
  readonly staleMs: number;
  /** W7: how long a match allows WebRTC set-up between the pair (the position interval). */
  readonly matchWindowMs: number;
  readonly now: () => number;
  readonly onPair: ProximityPair;
}): MemoryProximity {
  const entries = new Map<string, Entry>();
  // W7: pair → when last matched; swept each tick once older than the window.
  const matches = new Map<string, number>();
  // Buffers grow to the largest tick seen and are reused, so a tick allocates nothing per position.
  let buffers: TickPositions & { sessions: string[] } = allocate(0);

  return {
    get held() {
      return entries.size;
    },
    report(session, latitude, longitude) {
      const { x, y, z } = toEcef(latitude, longitude);
      // Replacing the entry keeps only the latest position (W2: no history).
      entries.set(session, { x, y, z, at: options.now(), fresh: true });
    },
    forget(session) {
      entries.delete(session);
    },
    matched(a, b) {
      const at = matches.get(pairKey(a, b));
      return at !== undefined && options.now() - at <= options.matchWindowMs;
    },
    tick() {
      const now = options.now();
      if (buffers.x.length < entries.size) buffers = allocate(Math.max(entries.size, buffers.x.length * 2));
      const { x, y, z, fresh, sessions } = buffers;
      let n = 0;
      for (const [session, entry] of entries) {
        if (now - entry.at > options.staleMs) {
          entries.delete(session);
          continue;
        }
        x[n] = entry.x;
        y[n] = entry.y;
        z[n] = entry.z;
        fresh[n] = entry.fresh ? 1 : 0;
        sessions[n] = session;
        entry.fresh = false;
        n++;
      }
      for (const [pair, at] of matches) if (now - at > options.matchWindowMs) matches.delete(pair);
      matchTick({ count: n, x, y, z, fresh }, options.radiusM, (i, j) => {
        matches.set(pairKey(sessions[i]!, sessions[j]!), now);
        options.onPair(sessions[i]!, sessions[j]!);
      });
      // Session ids are not kept past the tick that needed them.
      sessions.fill('', 0, n);
    },
    close: () => {
      entries.clear();
      matches.clear();
      return Promise.resolve();
    },
  };
}

function allocate(size: number): TickPositions & { sessions: string[] } {
  return {
    count: size,
    x: new Float64Array(size),
    y: new Float64Array(size),
    z: new Float64Array(size),
    fresh: new Uint8Array(size),
    sessions: new Array<string>(size).fill(''),
  };
}
