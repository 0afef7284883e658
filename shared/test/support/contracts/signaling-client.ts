import { describe, expect, it } from 'vitest';
import type { PeerId, RoomId } from '../../../src/core/ids.js';
import type { RoomHandlers, SignalingClient } from '../../../src/signaling/client.js';
import type { RoomCloseReason, SignalData } from '../../../src/signaling/protocol.js';
import { closableRoom } from '../../../src/signaling/room.js';

export interface SignalingUnderTest {
  /** A new client, connected (as a new browser would be). */
  connect(): Promise<SignalingClient>;
  /** The server goes away (a restart): every room is forgotten. */
  lose(): Promise<void>;
  /** Stops everything `connect` started (also after `lose`). */
  close(): Promise<void>;
}

type Heard = { joined: PeerId[]; left: PeerId[]; signals: { from: PeerId; data: SignalData }[] };

function listener(): RoomHandlers & Heard {
  const heard: Heard = { joined: [], left: [], signals: [] };
  return {
    ...heard,
    onPeerJoined: (peer) => void heard.joined.push(peer),
    onPeerLeft: (peer) => void heard.left.push(peer),
    onSignal: (from, data) => void heard.signals.push({ from, data }),
  };
}

async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 2));
}

const ROOM = 'a'.repeat(64) as RoomId;
const OTHER_ROOM = 'b'.repeat(64) as RoomId;

/**
 * The signaling contract as partner connections rely on it (shared/src/signaling/client.ts), asked of
 * every implementation: the in-memory hub (shared/test) and SignalingConnection over socket.io-client
 * against the real server in-process (app/test).
 */
export function runSignalingClientContract(name: string, start: () => Promise<SignalingUnderTest>): void {
  describe(`SignalingClient contract: ${name}`, () => {
    const withClients = async (n: number, run: (clients: SignalingClient[], under: SignalingUnderTest) => Promise<void>) => {
      const under = await start();
      const clients: SignalingClient[] = [];
      try {
        for (let i = 0; i < n; i++) clients.push(await under.connect());
        await run(clients, under);
      } finally {
        for (const c of clients) c.close();
        await under.close();
      }
    };

    it('[S1] the newcomer gets its id and the peers already there; the one there hears of it', async () => {
      await withClients(2, async ([a, b]) => {
        const atA = listener();
        const first = await a!.join(ROOM, atA);
        expect(first).toMatchObject({ ok: true, peers: [] });
        const second = await b!.join(ROOM, listener());
        if (!first.ok || !second.ok) throw new Error('join failed');
        expect(second.peers).toEqual([first.self]);
        expect(second.self).not.toBe(first.self);
        await until(() => atA.joined.length === 1);
        expect(atA.joined).toEqual([second.self]);
      });
    });

    it('[S1] a signal reaches the named peer with `from` set to the sender, data intact, and only in its room', async () => {
      await withClients(2, async ([a, b]) => {
        const atA = listener();
        const atB = listener();
        const ja = await a!.join(ROOM, atA);
        const jb = await b!.join(ROOM, atB);
        if (!ja.ok || !jb.ok) throw new Error('join failed');
        const data = { type: 'offer', sdp: 'v=0\r\n', nested: { n: 1, list: [1, 'two'] } };
        b!.signal(ROOM, ja.self, data);
        a!.signal(OTHER_ROOM, jb.self, { type: 'stray' });
        a!.signal(ROOM, jb.self, { type: 'answer' });
        await until(() => atA.signals.length === 1 && atB.signals.length === 1);
        expect(atA.signals).toEqual([{ from: jb.self, data }]);
        expect(atB.signals).toEqual([{ from: ja.self, data: { type: 'answer' } }]);
      });
    });

    it('[S3] a third joiner is refused with room-full', async () => {
      await withClients(3, async ([a, b, c]) => {
        await a!.join(ROOM, listener());
        await b!.join(ROOM, listener());
        expect(await c!.join(ROOM, listener())).toEqual({ ok: false, code: 'room-full' });
      });
    });

    it('[S1] leave and close both tell the other member, and free the seat', async () => {
      await withClients(4, async ([a, b, c, d]) => {
        const atA = listener();
        await a!.join(ROOM, atA);
        const jb = await b!.join(ROOM, listener());
        if (!jb.ok) throw new Error('join failed');
        b!.leave(ROOM);
        await until(() => atA.left.length === 1);
        expect(atA.left).toEqual([jb.self]);
        const jc = await c!.join(ROOM, listener());
        if (!jc.ok) throw new Error('join failed');
        c!.close();
        await until(() => atA.left.length === 2);
        expect(atA.left[1]).toBe(jc.self);
        expect(await d!.join(ROOM, listener())).toMatchObject({ ok: true });
      });
    });

    it('[#12] when the server goes away, every member of every room is told (onLost): it must join again to be found', async () => {
      await withClients(2, async ([a, b], under) => {
        const lost: string[] = [];
        await a!.join(ROOM, { ...listener(), onLost: () => void lost.push('a') });
        await b!.join(OTHER_ROOM, { ...listener(), onLost: () => void lost.push('b') });
        await under.lose();
        await until(() => lost.length === 2);
        expect(lost.sort()).toEqual(['a', 'b']);
      });
    });

    it('[I9] a room closed with its proof refuses every later join with the reason, and its member is told', async () => {
      await withClients(3, async ([a, b, c]) => {
        const link = closableRoom(Uint8Array.from({ length: 32 }, (_, i) => i + 7), 'ihyid-room-close-v1');
        const told: RoomCloseReason[] = [];
        await a!.join(link.roomId, { ...listener(), onClosed: (reason) => void told.push(reason) });
        expect(await b!.closeRoom(link.roomId, link.proof, 'revoked')).toEqual({ ok: true });
        expect(await c!.join(link.roomId, listener())).toEqual({ ok: false, code: 'room-closed', reason: 'revoked' });
        await until(() => told.length === 1);
        expect(told).toEqual(['revoked']);
      });
    });

    it('[I9] a proof that does not hash to the room id is refused, and the room stays open', async () => {
      await withClients(2, async ([a, b]) => {
        const link = closableRoom(Uint8Array.from({ length: 32 }, (_, i) => i + 9), 'ihyid-room-close-v1');
        const other = closableRoom(Uint8Array.from({ length: 32 }, (_, i) => i + 11), 'ihyid-room-close-v1');
        expect(await a!.closeRoom(link.roomId, other.proof, 'used')).toEqual({ ok: false, code: 'bad-proof' });
        expect(await b!.join(link.roomId, listener())).toMatchObject({ ok: true, peers: [] });
      });
    });

    it('[S1] a repeated join keeps its id and announces nothing', async () => {
      await withClients(2, async ([a, b]) => {
        const atA = listener();
        await a!.join(ROOM, atA);
        const once = await b!.join(ROOM, listener());
        const atB = listener();
        const twice = await b!.join(ROOM, atB);
        if (!once.ok || !twice.ok) throw new Error('join failed');
        expect(twice.self).toBe(once.self);
        // A round trip a → b → a: anything announced to a for the second join came before b's reply.
        const ja = twice.peers[0]!;
        a!.signal(ROOM, once.self, { type: 'ping' });
        await until(() => atB.signals.length === 1);
        b!.signal(ROOM, ja, { type: 'pong' });
        await until(() => atA.signals.length === 1);
        expect(atA.joined).toEqual([once.self]);
      });
    });
  });
}
