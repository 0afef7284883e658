// The real command an agency runs (S5): `node signaling-server/bin.js`, built first, as a child process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_A, connectClient, join, makeStaticDir, nextEvent, type StaticFixture } from './helpers.js';
import { buildServer, spawnBin, waitForLine } from './process.js';

let fixture: StaticFixture;

beforeAll(buildServer, 120_000);

beforeAll(async () => {
  fixture = await makeStaticDir();
});

afterAll(async () => {
  await fixture.remove();
});

describe('bin.js', () => {
  it('[S5] starts with one command on PORT=0, logs the real URL, and closes cleanly on SIGTERM', async () => {
    const spawned = spawnBin({ PORT: '0', HOST: '127.0.0.1', STATIC_DIR: fixture.staticDir, LOG_LEVEL: 'debug' });
    try {
      const listening = await waitForLine(spawned, 'listening');
      const port = listening.port as number;
      expect(port).toBeGreaterThan(0);
      expect(listening.url).toBe(`http://127.0.0.1:${port}`);

      const url = listening.url as string;
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${url}/join`)).text()).toContain('<title>Ihyid</title>');

      // A full exchange, so that every code path that might log runs once.
      const [alice, bob] = [await connectClient(url), await connectClient(url)];
      const a = await join(alice, ROOM_A);
      const b = await join(bob, ROOM_A);
      const received = nextEvent(bob, 'signal');
      alice.emit('signal', { roomId: ROOM_A, to: b.self, data: { type: 'offer', sdp: 'MARKER-SDP' } });
      await received;
      const error = nextEvent(alice, 'error-message');
      alice.emit('signal', { roomId: ROOM_A, to: b.self, data: 'MARKER-BAD' });
      await error;

      // S4: SIGTERM disconnects clients and exits with 0.
      const disconnected = nextEvent(bob, 'disconnect');
      spawned.child.kill('SIGTERM');
      expect(await spawned.exited).toBe(0);
      await disconnected;
      alice.close();
      bob.close();

      const events = spawned.lines.map((line) => (JSON.parse(line) as { event: string }).event);
      expect(events).toContain('shutting-down');
      expect(events).toContain('closed');
      // S2: logs carry codes and counts, never room ids, peer ids or payloads.
      const output = spawned.lines.join('\n') + spawned.stderr.join('');
      for (const secret of [ROOM_A, a.self, b.self, 'MARKER-SDP', 'MARKER-BAD']) expect(output).not.toContain(secret);
    } finally {
      if (spawned.child.exitCode === null) spawned.child.kill('SIGKILL');
    }
  });

  it('[S4] refuses an invalid configuration with a fatal line naming the variable', async () => {
    const spawned = spawnBin({ PORT: 'eighty', STATIC_DIR: fixture.staticDir });
    expect(await spawned.exited).toBe(1);
    const fatal = JSON.parse(spawned.stderr.join('').trim()) as { level: string; code: string; message: string };
    expect(fatal).toMatchObject({ level: 'fatal', code: 'start-failed' });
    expect(fatal.message).toContain('PORT must be a whole number');
  });
});
