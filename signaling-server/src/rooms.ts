/**
 * The server's whole state: rooms → connections (y-webrtc-small). In memory only (S2).
 *
 * Every operation is synchronous on purpose. The room size is checked and the newcomer added in the
 * same tick, so two simultaneous joiners cannot both see an empty room (an awaited `fetchSockets()`
 * between the check and the join would let them).
 *
 * Generic over the connection handle so it can be tested without sockets.
 */
import type { PeerId, RoomId } from '@ihyid/shared';

export interface RoomLimits {
  readonly maxPeersPerRoom: number;
  readonly maxRoomsPerConnection: number;
}

export type JoinOutcome<C> =
  | {
      readonly ok: true;
      /** The newcomer's id in this room. */
      readonly self: PeerId;
      /** Peers already in the room, in joining order; the newcomer calls each of them. */
      readonly peers: PeerId[];
      /** Their connections, to be told `peer-joined`. Empty when the join repeats an earlier one. */
      readonly others: C[];
      readonly alreadyJoined: boolean;
    }
  | { readonly ok: false; readonly code: 'room-full' | 'too-many-rooms' };

export interface Departure<C> {
  readonly roomId: RoomId;
  readonly peer: PeerId;
  /** Connections still in the room, to be told `peer-left`. */
  readonly others: C[];
}

export class RoomRegistry<C> {
  private readonly rooms = new Map<RoomId, Map<PeerId, C>>();
  private readonly memberships = new Map<C, Map<RoomId, PeerId>>();

  constructor(
    private readonly limits: RoomLimits,
    private readonly newPeerId: () => PeerId,
  ) {}

  join(connection: C, roomId: RoomId): JoinOutcome<C> {
    const mine = this.memberships.get(connection);
    const room = this.rooms.get(roomId);
    const existing = mine?.get(roomId);
    if (existing !== undefined && room !== undefined) {
      const peers = [...room.keys()].filter((peer) => peer !== existing);
      return { ok: true, self: existing, peers, others: [], alreadyJoined: true };
    }
    if ((mine?.size ?? 0) >= this.limits.maxRoomsPerConnection) return { ok: false, code: 'too-many-rooms' };
    if ((room?.size ?? 0) >= this.limits.maxPeersPerRoom) return { ok: false, code: 'room-full' };

    const members = room ?? new Map<PeerId, C>();
    const self = this.freshPeerId(members);
    const peers = [...members.keys()];
    const others = [...members.values()];
    members.set(self, connection);
    this.rooms.set(roomId, members);
    const memberships = mine ?? new Map<RoomId, PeerId>();
    memberships.set(roomId, self);
    this.memberships.set(connection, memberships);
    return { ok: true, self, peers, others, alreadyJoined: false };
  }

  leave(connection: C, roomId: RoomId): Departure<C> | null {
    const mine = this.memberships.get(connection);
    const peer = mine?.get(roomId);
    const room = this.rooms.get(roomId);
    if (mine === undefined || peer === undefined || room === undefined) return null;
    mine.delete(roomId);
    if (mine.size === 0) this.memberships.delete(connection);
    room.delete(peer);
    if (room.size === 0) this.rooms.delete(roomId);
    return { roomId, peer, others: [...room.values()] };
  }

  /** On disconnect: leave every room, returning who must be told. */
  leaveAll(connection: C): Departure<C>[] {
    const rooms = [...(this.memberships.get(connection)?.keys() ?? [])];
    return rooms.flatMap((roomId) => this.leave(connection, roomId) ?? []);
  }

  /** The connection's peer id in a room, or undefined when it has not joined it. */
  peerIdOf(connection: C, roomId: RoomId): PeerId | undefined {
    return this.memberships.get(connection)?.get(roomId);
  }

  /** The connection behind a peer id, only within the given room. */
  connectionOf(roomId: RoomId, peer: PeerId): C | undefined {
    return this.rooms.get(roomId)?.get(peer);
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  get memberCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.size;
    return count;
  }

  private freshPeerId(members: ReadonlyMap<PeerId, C>): PeerId {
    // 128 random bits never collide in practice; the loop guards against a poor generator in tests.
    for (let attempt = 0; attempt < 8; attempt++) {
      const id = this.newPeerId();
      if (!members.has(id)) return id;
    }
    throw new Error('peer id generator keeps returning ids already in the room');
  }
}
