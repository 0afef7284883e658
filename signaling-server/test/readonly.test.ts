// S2: the server process writes no file.
//
// A read-only working directory proves little here: tests run as root, and root ignores permission
// bits. So the real `node signaling-server/bin.js` runs in its own mount namespace (`unshare -m`) in
// which every mount, `/` and `/tmp` included, has been remounted read-only: any write to a file would
// fail with EROFS and show up as an error line, a failed request or a non-zero exit. The script first
// checks that a write really fails there. While it serves, the test also reads /proc/<pid>/fdinfo to
// check that no file is even open for writing.
//
// Where `unshare -m` is not allowed (no root, no CAP_SYS_ADMIN), the same run happens with a 0555
// working directory and the /proc check alone, and the test says so on the console.
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_TOKEN, ROOM_A, connectClient, fetchMetrics, join, makeStaticDir, nextEvent, type StaticFixture } from './helpers.js';
import { bin, buildServer, spawnProcess, waitForLine, type Spawned } from './process.js';

let fixture: StaticFixture;
let cwd: string;

beforeAll(async () => {
  buildServer();
  fixture = await makeStaticDir();
  cwd = await mkdtemp(path.join(tmpdir(), 'ihyid-readonly-cwd-'));
  await chmod(cwd, 0o555);
}, 120_000);

afterAll(async () => {
  await fixture?.remove();
  await rm(cwd, { recursive: true, force: true });
});

const mountNamespaceAllowed = (): boolean =>
  spawnSync('unshare', ['-m', '--propagation', 'private', 'true'], { stdio: 'ignore' }).status === 0;

/** Every mount point this process sees, each remounted read-only inside the namespace. */
async function readOnlyScript(probe: string): Promise<string> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1])
    .filter((point): point is string => point !== undefined && point !== '')
    // Octal escapes (\040 for a space) as the kernel writes them.
    .map((point) => point.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))));
  const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
  return [
    'set -e',
    ...[...new Set(mounts)].map((point) => `mount -o remount,bind,ro ${quote(point)}`),
    `if touch ${quote(probe)} 2>/dev/null; then echo 'a write succeeded: the file systems are not read-only' >&2; exit 3; fi`,
    `cd ${quote(cwd)}`,
    `exec ${quote(process.execPath)} ${quote(bin)}`,
  ].join('\n');
}

/** Files (not sockets, pipes or devices) the process holds open for writing. */
async function filesOpenForWriting(pid: number): Promise<string[]> {
  const open: string[] = [];
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (!target.startsWith('/') || target.startsWith('/dev/')) continue;
    const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
    const flags = parseInt(/^flags:\s+([0-7]+)/m.exec(info)?.[1] ?? '0', 8);
    // O_WRONLY = 1, O_RDWR = 2, O_APPEND and O_CREAT only matter with one of them.
    if ((flags & 3) !== 0) open.push(target);
  }
  return open;
}

describe('no disk writes', () => {
  it('[S2] serves, relays and shuts down with every file system read-only and no file open for writing', async () => {
    const env = { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', STATIC_DIR: fixture.staticDir, LOG_LEVEL: 'debug', METRICS_TOKEN };
    let spawned: Spawned;
    if (mountNamespaceAllowed()) {
      const script = await readOnlyScript(path.join(tmpdir(), 'ihyid-readonly-probe'));
      spawned = spawnProcess('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { env });
    } else {
      console.warn('[S2] unshare -m is not allowed here: checking open files and a 0555 working directory only');
      spawned = spawnProcess(process.execPath, [bin], { env, cwd });
    }
    try {
      const listening = await waitForLine(spawned, 'listening');
      const url = listening.url as string;
      const pid = spawned.child.pid!;

      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${url}/`)).text()).toContain('<title>Ihyid</title>');
      expect(await fetchMetrics(url)).toContain('process_resident_memory_bytes');
      const [alice, bob] = [await connectClient(url), await connectClient(url)];
      await join(alice, ROOM_A);
      const b = await join(bob, ROOM_A);
      const received = nextEvent(bob, 'signal');
      alice.emit('signal', { roomId: ROOM_A, to: b.self, data: { type: 'offer', sdp: 'v=0' } });
      await received;
      alice.emit('signal', { roomId: ROOM_A, to: b.self, data: 'malformed' });
      await nextEvent(alice, 'error-message');
      expect(await filesOpenForWriting(pid)).toEqual([]);

      spawned.child.kill('SIGTERM');
      expect(await spawned.exited).toBe(0);
      alice.close();
      bob.close();
      const levels = spawned.lines.map((line) => (JSON.parse(line) as { level: string }).level);
      expect(levels.filter((level) => level === 'error' || level === 'fatal')).toEqual([]);
      expect(spawned.stderr.join('')).toBe('');
    } finally {
      if (spawned.child.exitCode === null) spawned.child.kill('SIGKILL');
    }
  });
});
