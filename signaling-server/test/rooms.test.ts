import type { PeerId, RoomId } from '@ihyid/shared';
import { describe, expect, it } from 'vitest';
import { RoomRegistry } from '../src/rooms.js';
import { createLocalSeats } from '../src/seats.js';

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

describe('local seats', () => {
  it('[S3] checks the room size and takes the seat in one synchronous step', async () => {
    const seats = createLocalSeats(2);
    // All three claims are made before any is awaited, as three joins arriving in one tick would be.
    const claims = [p('p1'), p('p2'), p('p3')].map((peer) => seats.claim(roomA, peer));
    expect(await Promise.all(claims)).toEqual([
      { ok: true, peers: [] },
      { ok: true, peers: ['p1'] },
      { ok: false, reason: 'room-full' },
    ]);
  });

  it('[S1] lists the peers already seated in joining order, and refuses a duplicate id', async () => {
    const seats = createLocalSeats(3);
    await seats.claim(roomA, p('p1'));
    await seats.claim(roomA, p('p2'));
    expect(await seats.claim(roomA, p('p2'))).toEqual({ ok: false, reason: 'id-taken' });
    expect(await seats.peers(roomA)).toEqual(['p1', 'p2']);
    expect(await seats.isSeated(roomA, p('p2'))).toBe(true);
    expect(await seats.isSeated(roomB, p('p2'))).toBe(false);
  });

  it('[S2] a released seat frees the room and an empty room is forgotten', async () => {
    const seats = createLocalSeats(2);
    await seats.claim(roomA, p('p1'));
    await seats.claim(roomA, p('p2'));
    await seats.release(roomA, p('p1'));
    expect(await seats.claim(roomA, p('p3'))).toEqual({ ok: true, peers: ['p2'] });
    await seats.release(roomA, p('p2'));
    await seats.release(roomA, p('p3'));
    expect(await seats.peers(roomA)).toEqual([]);
  });
});
