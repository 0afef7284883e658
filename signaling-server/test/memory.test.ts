// What the server keeps per connection: nothing of the upgrade request once the connection is open.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createSignalingServer, type SignalingServer } from '../src/main.js';
import { ROOM_A, connectClient, join, type Client } from './helpers.js';

let server: SignalingServer | undefined;
let client: Client | undefined;

afterEach(async () => {
  client?.close();
  await server?.close();
});

it('[S7] drops engine.io\'s response close forwarder, which would keep each upgrade request alive', async () => {
  const loaded = loadConfig({ PORT: '0', HOST: '127.0.0.1', STATIC_DIR: '/nonexistent-static-dir' });
  if (!loaded.ok) throw new Error(loaded.error.join('; '));
  server = createSignalingServer(loaded.value);
  const upgraded: Duplex[] = [];
  server.http.on('upgrade', (_request, socket: Duplex) => upgraded.push(socket));
  const { url } = await server.listen();
  client = await connectClient(url, { transports: ['websocket'] });
  // A relay round trip still works without it.
  expect((await join(client, ROOM_A)).ok).toBe(true);

  // The forwarder is there to drop: if engine.io stops adding it, this test says so.
  const engineMain = createRequire(createRequire(import.meta.url).resolve('socket.io')).resolve('engine.io');
  const engineServer = readFileSync(path.join(path.dirname(engineMain), 'server.js'), 'utf8');
  expect(engineServer).toContain('socket.once("close", () => this.emit("close"))');
  expect(upgraded).toHaveLength(1);
  const closeListeners = upgraded[0]!.rawListeners('close').map((l) => String((l as { listener?: unknown }).listener ?? l));
  expect(closeListeners.length).toBeGreaterThan(0);
  expect(closeListeners).not.toContain('() => this.emit("close")');
});
