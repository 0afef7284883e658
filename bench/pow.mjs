// Proof-of-work benchmark (I2, I5) in headless Chromium, on the built app's own PoW worker.
// Prints one JSON line: hashes/s of one worker (SIMD and JavaScript kernels), of all workers at
// once, and the median time of a 20-bit registration over 20 seeds with the app's pool strategy.
// Run after `npm run build`: `npm run bench:pow`. Loopback only; the machine may be shared, so
// treat the numbers as indicative. Never part of `npm test`.
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const root = new URL('..', import.meta.url).pathname;
const assets = join(root, 'app/dist/assets');
const worker = readdirSync(assets).find((f) => /^pow\.worker-.*\.js$/.test(f) && readFileSync(join(assets, f), 'utf8').includes('kernelName'));
if (!worker) throw new Error('No built PoW worker in app/dist/assets: run `npm run build` first.');
const comlink = readFileSync(createRequire(import.meta.url).resolve('comlink/dist/esm/comlink.mjs'));

const SEEDS = Number(process.env.POW_SEEDS ?? 20);
const BITS = Number(process.env.POW_BITS ?? 20);
const CHUNK = 1 << 18;

// Runs in the page. Same hand-out of 2^18-nonce ranges as app/src/workers/pow-client.ts.
const page = `<!doctype html><script type="module">
import * as Comlink from '/comlink.mjs';
const n = navigator.hardwareConcurrency || 2;
const apis = Array.from({ length: n }, () => Comlink.wrap(new Worker('/assets/${worker}', { type: 'module' })));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
async function prefixOf(i) { return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('bench-seed-' + i))); }
async function solve(prefix, bits) {
  let next = 0, found = null, tried = 0;
  await Promise.all(apis.map(async (api) => {
    while (found === null) {
      const start = next; next += ${CHUNK};
      const r = await api.search(prefix, bits, start, ${CHUNK});
      tried += r === null ? ${CHUNK} : r - start + 1;
      if (r !== null && found === null) found = r;
    }
  }));
  return tried;
}
window.run = async (seeds, bits) => {
  const kernel = await apis[0].kernelName();
  for (const api of apis) await api.measure(1 << 20, true); // warm-up: compile and tier up
  const oneSimd = median([await apis[0].measure(1 << 23, true), await apis[0].measure(1 << 23, true), await apis[0].measure(1 << 23, true)]);
  const oneJs = median([await apis[0].measure(1 << 21, false), await apis[0].measure(1 << 21, false), await apis[0].measure(1 << 21, false)]);
  const all = (await Promise.all(apis.map((api) => api.measure(1 << 23, true)))).reduce((a, b) => a + b, 0);
  const times = [], tries = [];
  for (let i = 0; i < seeds; i++) {
    const prefix = await prefixOf(i);
    const t0 = performance.now();
    tries.push(await solve(prefix, bits));
    times.push(performance.now() - t0);
  }
  return { kernel, workers: n, oneSimd, oneJs, all, times, tries, median: median(times) };
};
</script>`;

const server = createServer((req, res) => {
  if (req.url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  if (req.url === '/comlink.mjs') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(comlink);
  if (req.url === `/assets/${worker}`) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(assets, worker)));
  res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const tab = await browser.newPage();
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  await tab.waitForFunction(() => typeof window.run === 'function');
  const r = await tab.evaluate(([seeds, bits]) => window.run(seeds, bits), [SEEDS, BITS]);
  const round = (x) => Math.round(x);
  console.log(
    JSON.stringify({
      bench: 'pow',
      browser: browser.version(),
      kernel: r.kernel,
      workers: r.workers,
      hashesPerSecondOneWorker: round(r.oneSimd),
      hashesPerSecondOneWorkerJs: round(r.oneJs),
      hashesPerSecondAllWorkers: round(r.all),
      registrationBits: BITS,
      seeds: SEEDS,
      registrationMedianMs: round(r.median),
      registrationMinMs: round(Math.min(...r.times)),
      registrationMaxMs: round(Math.max(...r.times)),
      registrationMedianTries: round([...r.tries].sort((a, b) => a - b)[Math.floor(r.tries.length / 2)]),
    }),
  );
} finally {
  await browser.close();
  server.close();
}
