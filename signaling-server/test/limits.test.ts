// S3 repeat offenders, S4 gauges back to zero: an in-process server with a clock the test moves.
import { afterEach, describe, expect, it } from 'vitest';
import { ROOM_A, ROOM_B, collect, connectClient, fetchMetrics, flush, join, nextEvent, startServer, type Client, type Running } from './helpers.js';

let server: Running | undefined;
let clients: Client[] = [];
let clock = Date.UTC(2026, 10, 21);

async function start(env: Record<string, string>): Promise<Running> {
  server = await startServer(env, { now: () => clock });
  return server;
}

async function client(): Promise<Client> {
  const socket = await connectClient(server!.url);
  clients.push(socket);
  return socket;
}

async function metricsText(): Promise<string> {
  return fetchMetrics(server!.url);
}

afterEach(async () => {
  for (const socket of clients) socket.close();
  clients = [];
  await server?.close();
  server = undefined;
});

describe('repeat offenders', () => {
  it('[S3] answers every malformed message, then disconnects the connection that keeps sending them', async () => {
    await start({ MAX_OFFENCES_PER_MINUTE: '5' });
    const mallory = await client();
    const errors = collect<{ code: string }>(mallory, 'error-message');
    const gone = nextEvent<string>(mallory, 'disconnect');
    for (let i = 0; i < 6; i++) mallory.emit('signal', { roomId: ROOM_A, to: 'nobody', data: i });
    expect(await gone).toBe('io server disconnect');
    expect(errors).toEqual(Array(6).fill({ code: 'malformed-message', event: 'signal' }));
    expect(await metricsText()).toMatch(/^ihyid_signaling_disconnects_total\{reason="offences"\} 1$/m);
    // Everyone else is served as before.
    const alice = await client();
    expect((await join(alice, ROOM_A)).peers).toEqual([]);
  });

  it('[S3] forgives offences spread over time', async () => {
    await start({ MAX_OFFENCES_PER_MINUTE: '5' });
    const alice = await client();
    for (let minute = 0; minute < 3; minute++) {
      // Four malformed leaves and flush()'s malformed join: five offences a minute, the budget.
      for (let i = 0; i < 4; i++) alice.emit('leave', 'not a leave');
      await flush(alice);
      clock += 60_000;
    }
    expect(alice.connected).toBe(true);
  });

  it('[S3] forgives a burst over the rate but cuts off a sustained flood', async () => {
    await start({ MAX_MESSAGES_PER_SECOND: '5', MAX_OFFENCES_PER_MINUTE: '2' });
    const [alice, bob] = [await client(), await client()];
    await join(alice, ROOM_A);
    const b = await join(bob, ROOM_A);
    const flood = (): void => {
      for (let i = 0; i < 50; i++) alice.emit('signal', { roomId: ROOM_A, to: b.self, data: { i } });
    };
    // Two seconds over the rate: two offences, within the budget.
    for (let second = 0; second < 2; second++) {
      flood();
      await new Promise((resolve) => setTimeout(resolve, 200));
      clock += 1000;
    }
    expect(alice.connected).toBe(true);
    const gone = nextEvent<string>(alice, 'disconnect');
    flood();
    expect(await gone).toBe('io server disconnect');
  });

  it('[S3] races an honest app can lose are not offences', async () => {
    await start({ MAX_OFFENCES_PER_MINUTE: '2' });
    const [alice, bob, carol] = [await client(), await client(), await client()];
    await join(alice, ROOM_A);
    const b = await join(bob, ROOM_A);
    bob.emit('leave', { roomId: ROOM_A });
    for (let i = 0; i < 10; i++) {
      alice.emit('signal', { roomId: ROOM_A, to: b.self, data: { late: i } });
      alice.emit('signal', { roomId: ROOM_B, to: b.self, data: { late: i } });
    }
    await join(bob, ROOM_A);
    for (let i = 0; i < 5; i++) {
      expect(await carol.timeout(2000).emitWithAck('join', { roomId: ROOM_A, version: 1 })).toEqual({ ok: false, code: 'room-full' });
    }
    await flush(alice);
    expect(alice.connected && carol.connected).toBe(true);
  });
});

describe('joins and gauges', () => {
  it('[S1] two joins of one room sent at once take one seat', async () => {
    await start({});
    const [alice, bob] = [await client(), await client()];
    const replies = await Promise.all([join(alice, ROOM_A), join(alice, ROOM_A), join(alice, ROOM_A)]);
    expect(new Set(replies.map((r) => r.self)).size).toBe(1);
    expect((await join(bob, ROOM_A)).peers).toEqual([replies[0]!.self]);
  });

  it('[S4] metrics show zero rooms, members and connections once every client has left', async () => {
    await start({});
    const sockets = await Promise.all(Array.from({ length: 4 }, () => client()));
    for (const [i, socket] of sockets.entries()) await join(socket, i % 2 === 0 ? ROOM_A : ROOM_B);
    await join(sockets[0]!, 'c'.repeat(64));
    const busy = await metricsText();
    expect(busy).toMatch(/^ihyid_signaling_rooms 3$/m);
    expect(busy).toMatch(/^ihyid_signaling_room_members 5$/m);

    sockets[0]!.emit('leave', { roomId: 'c'.repeat(64) });
    await flush(sockets[0]!);
    for (const socket of sockets) socket.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const idle = await metricsText();
    expect(idle).toMatch(/^ihyid_signaling_rooms 0$/m);
    expect(idle).toMatch(/^ihyid_signaling_room_members 0$/m);
    expect(idle).toMatch(/^ihyid_signaling_connections 0$/m);
    expect(idle).toMatch(/^ihyid_signaling_joins_total 5$/m);
  });
});
