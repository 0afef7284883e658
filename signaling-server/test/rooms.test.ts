import type { PeerId, RoomId } from '@ihyid/shared';
import { describe, expect, it } from 'vitest';
import { RoomRegistry } from '../src/rooms.js';

const roomA = 'a'.repeat(64) as RoomId;
const roomB = 'b'.repeat(64) as RoomId;

/** Deterministic peer ids: p1, p2, ... (the registry does not care about their format). */
function registry(maxPeersPerRoom = 2, maxRoomsPerConnection = 8, ids?: string[]) {
  let n = 0;
  const next = ids ? () => ids[n++ % ids.length] as PeerId : () => `p${++n}` as PeerId;
  return new RoomRegistry<string>({ maxPeersPerRoom, maxRoomsPerConnection }, next);
}

describe('RoomRegistry', () => {
  it('[S1] lists the peers already present to the newcomer, and their connections to notify', () => {
    const rooms = registry(3);
    expect(rooms.join('alice', roomA)).toEqual({ ok: true, self: 'p1', peers: [], others: [], alreadyJoined: false });
    expect(rooms.join('bob', roomA)).toEqual({ ok: true, self: 'p2', peers: ['p1'], others: ['alice'], alreadyJoined: false });
    expect(rooms.join('carol', roomA)).toMatchObject({ peers: ['p1', 'p2'], others: ['alice', 'bob'] });
  });

  it('[S3] checks the room size and joins in one synchronous step', () => {
    const rooms = registry(2);
    const outcomes = ['alice', 'bob', 'carol'].map((c) => rooms.join(c, roomA));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false]);
    expect(outcomes[2]).toEqual({ ok: false, code: 'room-full' });
    expect(rooms.memberCount).toBe(2);
  });

  it('[S3] bounds the rooms per connection', () => {
    const rooms = registry(2, 1);
    expect(rooms.join('alice', roomA).ok).toBe(true);
    expect(rooms.join('alice', roomB)).toEqual({ ok: false, code: 'too-many-rooms' });
    // A repeated join of a room already held is not a new room.
    expect(rooms.join('alice', roomA)).toMatchObject({ ok: true, self: 'p1', alreadyJoined: true, others: [] });
  });

  it('[S1] scopes peer ids to their room', () => {
    const rooms = registry();
    rooms.join('alice', roomA);
    rooms.join('bob', roomA);
    rooms.join('carol', roomB);
    expect(rooms.peerIdOf('alice', roomA)).toBe('p1');
    expect(rooms.peerIdOf('alice', roomB)).toBeUndefined();
    expect(rooms.connectionOf(roomA, 'p2' as PeerId)).toBe('bob');
    expect(rooms.connectionOf(roomA, 'p3' as PeerId)).toBeUndefined();
    expect(rooms.connectionOf(roomB, 'p3' as PeerId)).toBe('carol');
  });

  it('[S2] forgets empty rooms and departed connections', () => {
    const rooms = registry();
    rooms.join('alice', roomA);
    rooms.join('bob', roomA);
    rooms.join('bob', roomB);
    expect(rooms.leave('alice', roomA)).toEqual({ roomId: roomA, peer: 'p1', others: ['bob'] });
    expect(rooms.leave('alice', roomA)).toBeNull();
    expect(rooms.leaveAll('bob')).toEqual([
      { roomId: roomA, peer: 'p2', others: [] },
      { roomId: roomB, peer: 'p3', others: [] },
    ]);
    expect(rooms.roomCount).toBe(0);
    expect(rooms.memberCount).toBe(0);
    expect(rooms.leaveAll('bob')).toEqual([]);
  });

  it('[S1] never gives two members of a room the same id', () => {
    const rooms = registry(2, 8, ['same', 'same', 'same', 'other']);
    expect(rooms.join('alice', roomA)).toMatchObject({ self: 'same' });
    expect(rooms.join('bob', roomA)).toMatchObject({ self: 'other' });
  });
});
