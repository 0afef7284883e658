// The witness namespace in-process: a real Socket.IO server on 127.0.0.1:0 and real socket.io-client
// connections (what an attacker would drive too), with a fake clock for intervals and staleness.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EARTH_RADIUS_M } from '@ihyid/shared';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, expect } from 'vitest';
import { createLogger } from '../src/log.js';
import { attachWitness, loadWitnessConfig, type WitnessHandle, type WitnessHostConfig } from '../src/witness/index.js';

export const BEIRUT = { latitude: 33.8938, longitude: 35.5018 };
const metresPerDegree = (Math.PI / 180) * EARTH_RADIUS_M;
export const east = (m: number, from = BEIRUT) => ({
  latitude: from.latitude,
  longitude: from.longitude + m / (metresPerDegree * Math.cos((from.latitude * Math.PI) / 180)),
});
export const INTERVAL_MS = 10_000;

export interface Harness {
  url: string;
  witness: WitnessHandle;
  clock: { now: number };
  lines: string[];
  metrics(): Promise<string>;
  /**
   * A raw connection to /witness that has not started a session, from `address` (sent as
   * X-Forwarded-For, which the server trusts here); by default each connection has its own address.
   */
  client(address?: string): Promise<Socket>;
  close(): Promise<void>;
}

/** A connection that started witness mode, with the session id the server made for it. */
export interface Device {
  socket: Socket;
  id: string;
}

const running: Harness[] = [];
afterEach(async () => {
  for (const h of running.splice(0)) await h.close();
});

export async function start(env: Record<string, string> = {}): Promise<Harness> {
  const problems: string[] = [];
  const witness = loadWitnessConfig({ WITNESS_TICK_MS: '60000', WITNESS_POW_BITS: '8', ...env }, problems);
  expect(problems).toEqual([]);
  const config: WitnessHostConfig = {
    witness,
    maxMessagesPerSecond: 20,
    maxOffencesPerMinute: 20,
    maxMessageBytes: 16 * 1024,
    iceServers: [],
    turn: null,
    redis: null,
    trustProxy: true,
  };
  const http = createServer();
  const io = new Server(http);
  const clock = { now: Date.parse('2026-11-21T10:00:00Z') };
  const lines: string[] = [];
  const host = { render: () => Promise.resolve('# host metrics\n') };
  const handle = attachWitness(io, config, { log: createLogger('debug', (l) => lines.push(l)), metrics: host, now: () => clock.now });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: Socket[] = [];
  let addresses = 0;
  const harness: Harness = {
    url,
    witness: handle,
    clock,
    lines,
    metrics: () => host.render(),
    client: (address = `10.0.0.${++addresses}`) =>
      new Promise((resolve, reject) => {
        const socket = connect(`${url}/witness`, {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          extraHeaders: { 'x-forwarded-for': address },
        });
        clients.push(socket);
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      }),
    close: async () => {
      for (const c of clients) c.close();
      await io.close();
    },
  };
  running.push(harness);
  return harness;
}

export async function started(h: Harness, position?: { latitude: number; longitude: number }, address?: string): Promise<Device> {
  const socket = await h.client(address);
  const reply = (await socket.timeout(2000).emitWithAck('witness-start', { v: 2 })) as { ok: true; sessionId: string };
  expect(reply).toEqual({ ok: true, sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/), positionIntervalMs: INTERVAL_MS, iceServers: [] });
  if (position) socket.emit('witness-position', position);
  return { socket, id: reply.sessionId };
}

/** Resolves once earlier emits of `socket` have been handled (a round trip through the server). */
export const settle = (socket: Socket) => socket.timeout(2000).emitWithAck('witness-start', { v: 99 });

export const gauge = async (h: Harness, name: string) =>
  Number((await h.metrics()).split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1]);

/** A labelled counter's value, 0 when it never moved. */
export const counter = async (h: Harness, name: string, labels: string) =>
  Number((await h.metrics()).split('\n').find((l) => l.startsWith(`${name}{${labels}} `))?.split(' ')[1] ?? 0);
