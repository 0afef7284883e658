import type { PeerId, RoomId } from '@ihyid/shared';
import { describe, expect, it } from 'vitest';
import { RoomRegistry } from '../src/rooms.js';

const roomA = 'a'.repeat(64) as RoomId;
const roomB = 'b'.repeat(64) as RoomId;
const p = (id: string): PeerId => id as PeerId;

describe('RoomRegistry', () => {
  it('[S1] scopes peer ids to their room', () => {
    const rooms = new RoomRegistry<string>();
    rooms.add('alice', roomA, p('p1'));
    rooms.add('bob', roomA, p('p2'));
    rooms.add('carol', roomB, p('p3'));
    expect(rooms.peerIdOf('alice', roomA)).toBe('p1');
    expect(rooms.peerIdOf('alice', roomB)).toBeUndefined();
    expect(rooms.connectionOf(roomA, p('p2'))).toBe('bob');
    expect(rooms.connectionOf(roomA, p('p3'))).toBeUndefined();
    expect(rooms.connectionOf(roomB, p('p3'))).toBe('carol');
    expect(rooms.roomsOf('alice')).toBe(1);
    expect([...rooms.seats()]).toEqual([
      { roomId: roomA, peer: 'p1' },
      { roomId: roomA, peer: 'p2' },
      { roomId: roomB, peer: 'p3' },
    ]);
  });

  it('[S1] refuses a second seat for one connection in one room, and a duplicate peer id', () => {
    const rooms = new RoomRegistry<string>();
    rooms.add('alice', roomA, p('p1'));
    expect(() => rooms.add('alice', roomA, p('p2'))).toThrow();
    expect(() => rooms.add('bob', roomA, p('p1'))).toThrow();
  });

  it('[S2] forgets empty rooms and departed connections', () => {
    const rooms = new RoomRegistry<string>();
    rooms.add('alice', roomA, p('p1'));
    rooms.add('bob', roomA, p('p2'));
    rooms.add('bob', roomB, p('p3'));
    expect(rooms.leave('alice', roomA)).toEqual({ roomId: roomA, peer: 'p1' });
    expect(rooms.leave('alice', roomA)).toBeNull();
    expect(rooms.leaveAll('bob')).toEqual([
      { roomId: roomA, peer: 'p2' },
      { roomId: roomB, peer: 'p3' },
    ]);
    expect(rooms.roomCount).toBe(0);
    expect(rooms.memberCount).toBe(0);
    expect(rooms.leaveAll('bob')).toEqual([]);
  });
});

// Seats (local and Redis) are held to one contract: contracts.ts, run by contracts.test.ts.
