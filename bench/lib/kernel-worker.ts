// The uscadi answering kernels (app/src/workers) timed inside a Chromium worker; bundled by kernel-speed.mjs.
import { answerV0, answerV1, packMessages, WantedTable } from '../../app/src/workers/sha256-kernel';
import { answerV0Simd } from '../../app/src/workers/uscadi-simd';

self.onmessage = ({ data: { n } }: MessageEvent<{ n: number }>) => {
  const ids = Array.from({ length: n }, (_, i) => `H${String(i).padStart(3, '0')}-H330-B616-M240-19760507`.slice(-28));
  const keys = ids.map((id) => `{"id":"${id}","kind":"phonetic-v0","v":0}`);
  const random = (len: number) => crypto.getRandomValues(new Uint8Array(len));
  const secrets = random(32 * n);
  const wanted = random(32 * n);
  const rate = (f: () => void) => {
    const t = performance.now();
    f();
    return Math.round((n * n) / (performance.now() - t)) / 1000;
  };
  const encoder = new TextEncoder();
  const table = new WantedTable(wanted);
  self.postMessage({
    v0JsMPairsPerS: rate(() => answerV0(packMessages(ids), secrets, wanted, new Uint8Array(n))),
    v0SimdMPairsPerS: rate(() => answerV0Simd(ids.map((i) => encoder.encode(i)), secrets, wanted, (d) => table.findBytes(d), new Uint8Array(n))),
    v1JsMPairsPerS: rate(() => answerV1(packMessages(keys), secrets, wanted, new Uint8Array(n))),
  });
};
