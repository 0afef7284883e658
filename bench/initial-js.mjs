// Size of the JavaScript a first visit must download before the app paints: the entry chunk and
// its static imports, from Vite's build manifest. Prints one JSON line. Run after `npm run build`.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../app/dist/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8'));
const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const seen = new Set();
const visit = (key) => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const dep of manifest[key].imports ?? []) visit(dep);
};
visit(entry);
let raw = 0;
let gzip = 0;
// What Chromium receives: the build's precompressed brotli file (S8), the plain file where none was made.
let brotli = 0;
for (const key of seen) {
  const file = new URL(manifest[key].file, dist);
  const bytes = readFileSync(file);
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
  const br = new URL(`${manifest[key].file}.br`, dist);
  brotli += existsSync(br) ? readFileSync(br).length : bytes.length;
}
const lazy = Object.keys(manifest).filter((k) => !seen.has(k) && manifest[k].file.endsWith('.js'));
console.log(JSON.stringify({ bench: 'initial-js', chunks: seen.size, rawBytes: raw, gzipBytes: gzip, brotliBytes: brotli, lazyChunks: lazy.length }));
