/**
 * This process's share of the server's whole state: which local connection holds which peer id in which
 * room (y-webrtc-small). In memory only (S2).
 *
 * It enforces no limit itself: the room size is claimed atomically through Seats (seats.ts), which may
 * span processes, and the rooms-per-connection limit is checked by the relay, which also counts joins
 * still waiting for their seat. Every operation here is synchronous.
 *
 * Generic over the connection handle so it can be tested without sockets.
 */
import type { PeerId, RoomId } from '@ihyid/shared';

export interface Departure {
  readonly roomId: RoomId;
  readonly peer: PeerId;
}

export class RoomRegistry<C> {
  private readonly rooms = new Map<RoomId, Map<PeerId, C>>();
  private readonly memberships = new Map<C, Map<RoomId, PeerId>>();

  /** Records a seat already claimed. A connection holds at most one peer id per room. */
  add(connection: C, roomId: RoomId, peer: PeerId): void {
    const mine = this.memberships.get(connection) ?? new Map<RoomId, PeerId>();
    if (mine.has(roomId)) throw new Error('connection already holds a seat in this room');
    const members = this.rooms.get(roomId) ?? new Map<PeerId, C>();
    if (members.has(peer)) throw new Error('peer id already present in this room');
    members.set(peer, connection);
    this.rooms.set(roomId, members);
    mine.set(roomId, peer);
    this.memberships.set(connection, mine);
  }

  leave(connection: C, roomId: RoomId): Departure | null {
    const mine = this.memberships.get(connection);
    const peer = mine?.get(roomId);
    const room = this.rooms.get(roomId);
    if (mine === undefined || peer === undefined || room === undefined) return null;
    mine.delete(roomId);
    if (mine.size === 0) this.memberships.delete(connection);
    room.delete(peer);
    if (room.size === 0) this.rooms.delete(roomId);
    return { roomId, peer };
  }

  /** On disconnect: leave every room, returning the seats to release and announce. */
  leaveAll(connection: C): Departure[] {
    const rooms = [...(this.memberships.get(connection)?.keys() ?? [])];
    return rooms.flatMap((roomId) => this.leave(connection, roomId) ?? []);
  }

  /** The connection's peer id in a room, or undefined when it has not joined it. */
  peerIdOf(connection: C, roomId: RoomId): PeerId | undefined {
    return this.memberships.get(connection)?.get(roomId);
  }

  /** The local connection behind a peer id, only within the given room. */
  connectionOf(roomId: RoomId, peer: PeerId): C | undefined {
    return this.rooms.get(roomId)?.get(peer);
  }

  /** The local connections in a room. */
  membersOf(roomId: RoomId): IterableIterator<C> {
    return (this.rooms.get(roomId) ?? new Map<PeerId, C>()).values();
  }

  roomsOf(connection: C): number {
    return this.memberships.get(connection)?.size ?? 0;
  }

  /** Every local seat, for renewing leases in a shared store. */
  *seats(): IterableIterator<Departure> {
    for (const [roomId, members] of this.rooms) for (const peer of members.keys()) yield { roomId, peer };
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  get memberCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.size;
    return count;
  }
}
