/**
 * I9: rooms whose link was used or revoked. A holder of the link's secret closes its room with
 * `close-room` (the proof is checked in relay.ts against the room id alone); from then on, for
 * CLOSED_ROOM_DAYS, a join of that room is refused at once with the reason, so an invitee whose
 * inviter is offline reads "already used" or "revoked" instead of waiting for ever.
 *
 * What is kept is the opaque room id, the reason and an expiry: never a secret, never who closed it.
 * It is memory, not disk (S2), and bounded twice: by time, and by MAX_CLOSED_ROOMS, past which the
 * oldest entries go first (anyone can close rooms nobody uses, so the cap is what bounds memory; a
 * flood can push real entries out early, which only brings back the old behaviour for those links:
 * waiting, and the inviter's own refusal when it is online).
 *
 * Two implementations, chosen in main.ts as Seats are: `createMemoryClosedRooms` for one process, and
 * the Redis one (closed-rooms-redis.ts) when several processes share rooms. One contract suite
 * (test/contracts.ts) holds both to the same behaviour.
 */
import type { RoomCloseReason, RoomId } from '@ihyid/shared';

export interface ClosedRoomsOptions {
  /** How long a closed room stays refused (CLOSED_ROOM_DAYS). */
  readonly ttlMs: number;
  /** The most rooms kept closed at once (MAX_CLOSED_ROOMS); the oldest go first. */
  readonly max: number;
}

export interface ClosedRooms {
  /** Records the room as closed. A room already closed keeps its first reason and expiry. */
  close(roomId: RoomId, reason: RoomCloseReason): Promise<void>;
  /** Why the room was closed, or null when it is open (never closed, expired, or pushed out). */
  reasonOf(roomId: RoomId): Promise<RoomCloseReason | null>;
}

export function createMemoryClosedRooms(options: ClosedRoomsOptions, now: () => number): ClosedRooms {
  // A Map keeps insertion order, and an entry is never re-inserted: the first one is the oldest,
  // and, every entry living as long, the first to expire.
  const closed = new Map<RoomId, { reason: RoomCloseReason; until: number }>();
  const prune = (): void => {
    const t = now();
    for (const [roomId, entry] of closed) {
      if (entry.until > t && closed.size <= options.max) break;
      closed.delete(roomId);
    }
  };
  return {
    close(roomId, reason) {
      prune();
      if (!closed.has(roomId)) {
        closed.set(roomId, { reason, until: now() + options.ttlMs });
        prune();
      }
      return Promise.resolve();
    },
    reasonOf(roomId) {
      const entry = closed.get(roomId);
      return Promise.resolve(entry !== undefined && entry.until > now() ? entry.reason : null);
    },
  };
}
