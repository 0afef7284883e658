import type { PeerId, RoomId } from '@ihyid/shared';
import { describe, expect, it } from 'vitest';
import type { ClosedRooms, ClosedRoomsOptions } from '../src/closed-rooms.js';
import type { Seats } from '../src/seats.js';
import type { Proximity } from '../src/witness/proximity.js';

const roomA = 'a'.repeat(64) as RoomId;
const roomB = 'b'.repeat(64) as RoomId;
const p = (id: string): PeerId => id as PeerId;

/**
 * What the relay needs of Seats (seats.ts), asked of both implementations: the local map and the
 * Redis scripts (redis.ts). `make(max)` returns empty seats for rooms of `max` peers.
 */
export function runSeatsContract(name: string, make: (maxPeersPerRoom: number) => Promise<Seats>): void {
  describe(`Seats contract: ${name}`, () => {
    it('[S3] checks the room size and takes the seat in one atomic step', async () => {
      const seats = await make(2);
      // All three claims are made before any is awaited, as three joins arriving in one tick would be.
      const claims = [p('p1'), p('p2'), p('p3')].map((peer) => seats.claim(roomA, peer));
      expect(await Promise.all(claims)).toEqual([
        { ok: true, peers: [] },
        { ok: true, peers: ['p1'] },
        { ok: false, reason: 'room-full' },
      ]);
    });

    it('[S1] lists the peers already seated in joining order, and refuses a duplicate id', async () => {
      const seats = await make(3);
      await seats.claim(roomA, p('p1'));
      await seats.claim(roomA, p('p2'));
      expect(await seats.claim(roomA, p('p2'))).toEqual({ ok: false, reason: 'id-taken' });
      expect(await seats.peers(roomA)).toEqual(['p1', 'p2']);
      expect(await seats.isSeated(roomA, p('p2'))).toBe(true);
      expect(await seats.isSeated(roomB, p('p2'))).toBe(false);
    });

    it('[S2] a released seat frees the room and an empty room is forgotten', async () => {
      const seats = await make(2);
      await seats.claim(roomA, p('p1'));
      await seats.claim(roomA, p('p2'));
      await seats.release(roomA, p('p1'));
      expect(await seats.claim(roomA, p('p3'))).toEqual({ ok: true, peers: ['p2'] });
      await seats.release(roomA, p('p2'));
      await seats.release(roomA, p('p3'));
      expect(await seats.peers(roomA)).toEqual([]);
      expect(await seats.isSeated(roomA, p('p3'))).toBe(false);
    });
  });
}

const room = (c: string): RoomId => c.repeat(64) as RoomId;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the relay needs of ClosedRooms (closed-rooms.ts), asked of both implementations: the memory map
 * and the Redis scripts (closed-rooms-redis.ts). `make(options)` returns an empty store; both read
 * real time (Date.now, Redis's TIME).
 */
export function runClosedRoomsContract(name: string, make: (options: ClosedRoomsOptions) => Promise<ClosedRooms>): void {
  describe(`ClosedRooms contract: ${name}`, () => {
    it('[I9] a closed room answers why; another stays open; a second close keeps the first reason', async () => {
      const closed = await make({ ttlMs: 60_000, max: 100 });
      expect(await closed.reasonOf(roomA)).toBeNull();
      await closed.close(roomA, 'used');
      await closed.close(room('c'), 'revoked');
      expect(await closed.reasonOf(roomA)).toBe('used');
      expect(await closed.reasonOf(room('c'))).toBe('revoked');
      expect(await closed.reasonOf(roomB)).toBeNull();
      await closed.close(roomA, 'revoked');
      expect(await closed.reasonOf(roomA)).toBe('used');
    });

    it('[S2] at most `max` rooms are kept, the oldest going first', async () => {
      const closed = await make({ ttlMs: 60_000, max: 3 });
      // Closed in reverse alphabetical order, so "oldest" cannot be confused with "smallest id".
      for (const c of ['f', 'e', 'd', 'c', 'b']) await closed.close(room(c), 'used');
      const kept = await Promise.all(['f', 'e', 'd', 'c', 'b'].map((c) => closed.reasonOf(room(c))));
      expect(kept).toEqual([null, null, 'used', 'used', 'used']);
    });

    it('[S2] a closed room opens again once its time is over, and is forgotten', async () => {
      // Seconds, not milliseconds: the rooms closed after the wait must outlive a loaded machine's round trips.
      const closed = await make({ ttlMs: 1500, max: 3 });
      await closed.close(roomA, 'revoked');
      expect(await closed.reasonOf(roomA)).toBe('revoked');
      await sleep(3000);
      expect(await closed.reasonOf(roomA)).toBeNull();
      // Its place is free: three newer rooms fit without pushing anything else out.
      for (const c of ['d', 'e', 'f']) await closed.close(room(c), 'used');
      expect(await Promise.all(['d', 'e', 'f'].map((c) => closed.reasonOf(room(c))))).toEqual(['used', 'used', 'used']);
    });
  });
}

export interface ProximityUnderTest {
  readonly proximity: Proximity;
  /** Every pair reported so far, in order. */
  readonly pairs: [string, string][];
  /** Lets the implementation finish matching what was reported (a tick, or Redis's replies). */
  settle(): Promise<void>;
}

const BEIRUT = { latitude: 33.8938, longitude: 35.5018 };
/** About `m` metres east of Beirut (a degree of longitude there is about 92.4 km). */
const east = (m: number) => ({ latitude: BEIRUT.latitude, longitude: BEIRUT.longitude + m / 92_400 });
const S = (n: number) => `${n}0000000-0000-4000-8000-000000000000`;
const unordered = (pairs: [string, string][]) => pairs.map(([a, b]) => [a, b].sort().join(':')).sort();

/**
 * What the witness server needs of Proximity (witness/proximity.ts), asked of both implementations:
 * memory (a grid matched on a tick) and Redis (GEO sets matched on report). Radius 15 m.
 */
export function runProximityContract(name: string, make: () => Promise<ProximityUnderTest>): void {
  describe(`Proximity contract: ${name}`, () => {
    it('[W2] pairs two sessions within the radius, and not one 200 m away', async () => {
      const { proximity, pairs, settle } = await make();
      const [a, b] = [east(0), east(5)];
      const c = east(200);
      proximity.report(S(1), a.latitude, a.longitude);
      proximity.report(S(2), b.latitude, b.longitude);
      proximity.report(S(3), c.latitude, c.longitude);
      await settle();
      expect(new Set(unordered(pairs))).toEqual(new Set([`${S(1)}:${S(2)}`]));
      expect(proximity.held).toBe(3);
      // W7: the pair may set up WebRTC, in either order; no other pair may.
      expect(await proximity.matched(S(1), S(2))).toBe(true);
      expect(await proximity.matched(S(2), S(1))).toBe(true);
      expect(await proximity.matched(S(1), S(3))).toBe(false);
    });

    it('[W2] only the latest position counts: a session that moved away is no longer near', async () => {
      const { proximity, pairs, settle } = await make();
      proximity.report(S(4), east(0).latitude, east(0).longitude);
      proximity.report(S(5), east(300).latitude, east(300).longitude);
      await settle();
      proximity.report(S(4), east(296).latitude, east(296).longitude);
      await settle();
      const before = pairs.length;
      // S(4) moved next to S(5) (4 m); then it moves back: S(5)'s new report finds nobody.
      expect(before).toBeGreaterThan(0);
      proximity.report(S(4), east(0).latitude, east(0).longitude);
      await settle();
      proximity.report(S(5), east(300).latitude, east(300).longitude);
      await settle();
      expect(pairs.length).toBe(before);
    });

    it('[W2] forget drops a position at once: nothing pairs with it afterwards', async () => {
      const { proximity, pairs, settle } = await make();
      proximity.report(S(6), east(1000).latitude, east(1000).longitude);
      await settle();
      proximity.forget(S(6));
      expect(proximity.held).toBe(0);
      proximity.report(S(7), east(1003).latitude, east(1003).longitude);
      await settle();
      expect(pairs).toEqual([]);
      await proximity.close();
    });
  });
}
