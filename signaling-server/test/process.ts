// Test harness for real processes: `node signaling-server/bin.js` (built first) and `redis-server`.
import { execFileSync, spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { METRICS_TOKEN } from './helpers.js';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(repo, 'signaling-server', 'bin.js');

/** tsc -b is incremental: quick when dist is up to date, and a test never runs a stale build. */
export function buildServer(): void {
  execFileSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'signaling-server'], {
    cwd: repo,
    stdio: 'pipe',
  });
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

/** Any command, with its stdout split into lines and stderr kept. */
export function spawnProcess(command: string, args: string[], options: SpawnOptions = {}): Spawned {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
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

/** bin.js with only the given environment: the test's own might carry settings that change its behaviour. */
export function spawnBin(env: Record<string, string>, options: SpawnOptions = {}): Spawned {
  return spawnProcess(process.execPath, [bin], { env: { PATH: process.env.PATH ?? '', METRICS_TOKEN, ...env }, ...options });
}

export async function waitForLine(spawned: Spawned, event: string, ms = 25_000): Promise<Record<string, unknown>> {
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

/** Starts bin.js on 127.0.0.1:0 and resolves once it listens. */
export async function startBin(env: Record<string, string>, options: SpawnOptions = {}): Promise<Spawned & { url: string; port: number }> {
  const spawned = spawnBin({ PORT: '0', HOST: '127.0.0.1', ...env }, options);
  const listening = await waitForLine(spawned, 'listening');
  return { ...spawned, url: listening.url as string, port: listening.port as number };
}

export async function stop(spawned: Spawned | undefined): Promise<void> {
  if (spawned === undefined || spawned.child.exitCode !== null || spawned.child.signalCode !== null) return;
  spawned.child.kill('SIGKILL');
  await spawned.exited;
}

/** A port that was free a moment ago, for programs (redis-server) that cannot report the one they got. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export interface RedisProcess extends Spawned {
  readonly url: string;
}

/**
 * redis-server on a random loopback port with persistence off (`--save '' --appendonly no`), as the
 * README tells operators to run it, so the scale-out tests also show that nothing is written.
 */
export async function startRedis(): Promise<RedisProcess> {
  if (!hasCommand('redis-server')) {
    throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does this)');
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const spawned = spawnProcess('redis-server', [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--protected-mode', 'yes',
      '--loglevel', 'warning',
    ]);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && spawned.child.exitCode === null) {
      if (await redisPing(port)) {
        return { ...spawned, url: `redis://127.0.0.1:${port}` };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stop(spawned);
  }
  throw new Error('redis-server did not start on a free loopback port');
}

/** True when a Redis server answers PING on the loopback port. */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
