// The real command an agency runs (S5): `node signaling-server/bin.js`, built first, as a child process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_A, connectClient, join, makeStaticDir, nextEvent, type StaticFixture } from './helpers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repo, 'signaling-server', 'bin.js');

let fixture: StaticFixture;

beforeAll(() => {
  // tsc -b is incremental: this is quick when dist is already up to date, and never tests a stale build.
  execFileSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'signaling-server'], {
    cwd: repo,
    stdio: 'pipe',
  });
}, 120_000);

beforeAll(async () => {
  fixture = await makeStaticDir();
});

afterAll(async () => {
  await fixture.remove();
});

interface Spawned {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

function spawnBin(env: Record<string, string>): Spawned {
  // Only what the server needs: the test's own environment might carry settings that change its behaviour.
  const child = spawn(process.execPath, [bin], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line !== ''));
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, stderr, exited };
}

async function waitForLine(spawned: Spawned, event: string, ms = 10_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    for (const line of spawned.lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (parsed.event === event) return parsed;
    }
    if (spawned.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no "${event}" line; stdout: ${spawned.lines.join('\n')} stderr: ${spawned.stderr.join('')}`);
}

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
