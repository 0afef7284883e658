// Kernel speeds inside one Chromium worker, each bundled with rolldown; prints JSON lines.
//   node bench/lib/curve-speed.mjs [--n 4000]            which curve library psi-v1 uses (issue 4)
//   node bench/lib/curve-speed.mjs --kernel uscadi --n 2000   the uscadi answering kernels, JS and SIMD
//   node bench/lib/curve-speed.mjs --kernel x25519             psi-v2's kernels (issue 15)
//   node bench/lib/curve-speed.mjs --kernel psi-profile       psi-v2's blinding of own keys, µs per key per stage
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'rolldown';
import { onBlankPage, parseArgs, root } from './two-orgs.mjs';

const { n, kernel } = parseArgs({ n: 4000, kernel: 'curve' });
const dir = mkdtempSync(join(tmpdir(), 'ihyid-curve-'));
const inputs = { uscadi: 'bench/lib/kernel-worker.ts', x25519: 'bench/lib/x25519-worker.mjs', 'psi-profile': 'bench/lib/psi-profile-worker.ts' };
const names = { uscadi: 'uscadi-kernels-in-chromium-worker', x25519: 'psi-v2-kernels-in-chromium-worker', 'psi-profile': 'psi-v2-blind-profile-in-chromium-worker' };
const input = inputs[kernel] ?? 'bench/lib/curve-worker.mjs';
await build({ input: join(root, input), cwd: root, output: { file: join(dir, 'worker.js'), format: 'esm' } });
const worker = readFileSync(join(dir, 'worker.js'));
try {
  const result = await onBlankPage(
    (page) =>
      page.evaluate(
        (n) =>
          new Promise((resolve) => {
            const w = new Worker('/worker.js', { type: 'module' });
            w.onmessage = (e) => resolve(e.data);
            w.postMessage({ n });
          }),
        n,
      ),
    { worker },
  );
  console.log(JSON.stringify({ bench: names[kernel] ?? 'ristretto255-in-chromium-worker', n, ...result, loadAvg1m: Math.round(os.loadavg()[0] * 100) / 100 }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
