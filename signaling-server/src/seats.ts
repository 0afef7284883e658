/**
 * Seats: who holds a place in which room, across every process that serves the same rooms. The room
 * size limit (S3) is enforced here, by one atomic "claim" that checks the size and takes the seat.
 *
 * Two implementations, chosen in main.ts: `createLocalSeats` for a single process (a map, checked and
 * updated synchronously, so two simultaneous joiners cannot both see a free seat) and
 * `createRedisSeats` (redis.ts) when several processes share rooms (a Lua script, which Redis runs
 * atomically, for the same guarantee across processes).
 *
 * The per-process RoomRegistry (rooms.ts) still knows which local connection holds which seat; Seats
 * knows only room ids and peer ids.
 */
import type { PeerId, RoomId } from '@ihyid/shared';

export type Claim =
  | { readonly ok: true; /** Peers seated before this one. */ readonly peers: PeerId[] }
  | { readonly ok: false; readonly reason: 'room-full' | 'id-taken' };

export interface Seats {
  /** True when other processes share the rooms, so a peer not on this process may still be seated. */
  readonly shared: boolean;
  /** Takes a seat for `peer` unless the room is full or the id is already seated there; atomic. */
  claim(roomId: RoomId, peer: PeerId): Promise<Claim>;
  release(roomId: RoomId, peer: PeerId): Promise<void>;
  /** Peers seated in the room now. */
  peers(roomId: RoomId): Promise<PeerId[]>;
  /** Whether `peer` holds a seat in the room now. */
  isSeated(roomId: RoomId, peer: PeerId): Promise<boolean>;
  close(): Promise<void>;
}

export function createLocalSeats(maxPeersPerRoom: number): Seats {
  // A Set keeps insertion order, so `peers` lists them in joining order.
  const rooms = new Map<RoomId, Set<PeerId>>();
  return {
    shared: false,
    claim(roomId, peer) {
      const seated = rooms.get(roomId) ?? new Set<PeerId>();
      if (seated.has(peer)) return Promise.resolve({ ok: false, reason: 'id-taken' });
      if (seated.size >= maxPeersPerRoom) return Promise.resolve({ ok: false, reason: 'room-full' });
      const peers = [...seated];
      seated.add(peer);
      rooms.set(roomId, seated);
      return Promise.resolve({ ok: true, peers });
    },
    release(roomId, peer) {
      const seated = rooms.get(roomId);
      seated?.delete(peer);
      if (seated?.size === 0) rooms.delete(roomId);
      return Promise.resolve();
    },
    peers: (roomId) => Promise.resolve([...(rooms.get(roomId) ?? [])]),
    isSeated: (roomId, peer) => Promise.resolve(rooms.get(roomId)?.has(peer) ?? false),
    close: () => Promise.resolve(),
  };
}
