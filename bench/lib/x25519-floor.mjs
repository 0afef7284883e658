// What the machine can do at most for psi-v2's curve work (#15): WebCrypto X25519 derivations, the
// point imported per derivation as the app does, 32 in flight per worker, in `--workers` workers of
// each of `--pages` pages (browser contexts, as bench:psi's two organisations are). Prints one JSON
// line: derivations a second over all of them, and the CPU time the machine spent per derivation.
// bench:psi 100k with four keys a contact asks 1,600,000 of them (each side blinds its 400,000 keys
// and re-blinds the partner's 400,000), so 1.6M / perS is the check's floor on this machine.
//   node bench/lib/x25519-floor.mjs [--n 20000] [--workers 2] [--pages 2]
import os from 'node:os';
import { onBlankPage, parseArgs } from './two-orgs.mjs';

const { n, workers, pages, inflight } = parseArgs({ n: 20_000, workers: 2, pages: 2, inflight: 32 });

/** Runs in each worker: a chain of 64 distinct points, repeated to n, then n derivations under one scalar. */
const WORKER = `self.onmessage = async ({ data: { n, inflight } }) => {
  const prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20];
  const priv = await crypto.subtle.importKey('pkcs8', new Uint8Array([...prefix, ...crypto.getRandomValues(new Uint8Array(32))]), { name: 'X25519' }, false, ['deriveBits']);
  const derive = async (u) => new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: await crypto.subtle.importKey('raw', u, { name: 'X25519' }, false, []) }, priv, 256));
  const points = new Uint8Array(n * 32);
  let u = new Uint8Array(32);
  u[0] = 9;
  for (let i = 0; i < 64; i++) points.set((u = await derive(u)), i * 32);
  for (let i = 64; i < n; i++) points.copyWithin(i * 32, (i % 64) * 32, (i % 64) * 32 + 32);
  const started = performance.now();
  let next = 0;
  const lane = async () => { while (next < n) { const i = next++; await derive(points.subarray(i * 32, i * 32 + 32)); } };
  await Promise.all(Array.from({ length: inflight }, lane));
  self.postMessage(performance.now() - started);
};`;

const line = await onBlankPage(
  async (first, { browser, url }) => {
    const open = [first];
    while (open.length < pages) {
      const page = await browser.newPage();
      await page.goto(url);
      open.push(page);
    }
    const busy = () => os.cpus().reduce((s, c) => s + c.times.user + c.times.sys + c.times.nice, 0);
    const [t0, cpu0] = [Date.now(), busy()];
    const perWorkerMs = await Promise.all(
      open.map((page) =>
        page.evaluate(
          ({ n, workers, inflight }) =>
            Promise.all(Array.from({ length: workers }, () => new Promise((resolve) => {
              const w = new Worker('/worker.js');
              w.onmessage = (e) => resolve(Math.round(e.data));
              w.postMessage({ n, inflight });
            }))),
          { n, workers, inflight },
        ),
      ),
    );
    const [wallMs, cpuMs] = [Date.now() - t0, busy() - cpu0];
    const total = n * workers * pages;
    const perS = Math.round((total / wallMs) * 1000);
    return {
      bench: 'x25519-floor', n, workers, pages, inflight, derivations: total, wallMs, perS,
      cpuUsPerDerivation: Math.round((cpuMs * 1000) / total),
      floorMsFor1600000: Math.round((1_600_000 / perS) * 1000),
      perWorkerMs: perWorkerMs.flat(), machineCores: os.cpus().length, loadAvg1m: Math.round(os.loadavg()[0] * 100) / 100,
    };
  },
  { worker: WORKER },
);
console.log(JSON.stringify(line));
