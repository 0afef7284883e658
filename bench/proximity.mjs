#!/usr/bin/env node
// `npm run bench:proximity` (W2): one matching tick of the signaling server's in-memory proximity store
// (signaling-server/src/witness/proximity-memory.ts over shared/src/witness/grid.ts) for 10,000 and
// 100,000 simulated connections, every position fresh (the worst tick: all devices reported at once).
// Prints one JSON line per case. Target: ≤ 50 ms per tick at 10,000 connections (a town). Not a test.
//
//   town: positions uniform over 10 km × 10 km (a few neighbours within 15 m for some)
//   camp: one person per 25 m² (a crowded site: about 28 neighbours within 15 m each)
//
// Flags: --runs N (timed ticks per case, default 7), --sizes 10000,100000
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../shared/dist/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flag = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const runs = Number(flag('runs', 7));
const sizes = String(flag('sizes', '10000,100000')).split(',').map(Number);

try {
  // Incremental: quick when dist is current. With a type error elsewhere in the tree, dist still emits.
  execFileSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-b', 'signaling-server'], { cwd: repo, stdio: 'pipe' });
} catch {
  console.error('[bench] tsc -b reported errors; using the emitted dist as it is');
}
const { createMemoryProximity } = await import(path.join(repo, 'signaling-server/dist/witness/index.js'));

const RADIUS_M = 15;
const CENTRE = { latitude: 33.8938, longitude: 35.5018 };
const M_PER_DEG = (Math.PI / 180) * 6_371_008.8;

/** A seeded generator (shared's mulberry32), so every run measures the same positions. */
const random = mulberry32;

function positions(n, sideM, seed) {
  const next = random(seed);
  const cos = Math.cos((CENTRE.latitude * Math.PI) / 180);
  return Array.from({ length: n }, () => ({
    latitude: CENTRE.latitude + ((next() - 0.5) * sideM) / M_PER_DEG,
    longitude: CENTRE.longitude + ((next() - 0.5) * sideM) / (M_PER_DEG * cos),
  }));
}

function measure(scenario, n, sideM) {
  const points = positions(n, sideM, n);
  let pairs = 0;
  let now = 0;
  const store = createMemoryProximity({ radiusM: RADIUS_M, staleMs: 30_000, now: () => now, onPair: () => pairs++ });
  const sessions = points.map((_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);
  const report = () => points.forEach((p, i) => store.report(sessions[i], p.latitude, p.longitude));
  const reportStart = process.hrtime.bigint();
  report();
  const reportMs = Number(process.hrtime.bigint() - reportStart) / 1e6;
  store.tick(); // warm-up: JIT and buffer growth
  const times = [];
  for (let r = 0; r < runs; r++) {
    report();
    now += 1000;
    pairs = 0;
    const t0 = process.hrtime.bigint();
    store.tick();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  return {
    bench: 'proximity',
    scenario,
    connections: n,
    radiusM: RADIUS_M,
    areaM: `${sideM}x${sideM}`,
    pairs,
    tickMs: { median: round(times[Math.floor(times.length / 2)]), min: round(times[0]), max: round(times.at(-1)) },
    reportAllMs: round(reportMs),
    runs,
    targetMs: n === 10_000 && scenario === 'town' ? 50 : undefined,
    node: process.version,
  };
}

for (const n of sizes) {
  console.log(JSON.stringify(measure('town', n, 10_000)));
  console.log(JSON.stringify(measure('camp', n, Math.round(Math.sqrt(n * 25)))));
}
