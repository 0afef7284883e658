// S8: precompresses the built PWA once, so the server sends brotli or gzip without compressing per
// request (signaling-server/src/encoding.ts picks the variant). Writes `x.br` and `x.gz` next to every
// text-like file `x` when that is smaller; images and woff2 are compressed already, and source maps
// are not served. Usage: node scripts/compress-dist.mjs app/dist   (part of the app's build)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.xml', '.wasm', '.ico']);
const dir = path.resolve(process.argv[2] ?? 'app/dist');

function* files(root) {
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

let count = 0;
let raw = 0;
let br = 0;
let gz = 0;
for (const file of files(dir)) {
  if (!COMPRESSIBLE.has(path.extname(file).toLowerCase())) continue;
  const bytes = readFileSync(file);
  const brotli = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  const gzip = gzipSync(bytes, { level: 9 });
  count++;
  raw += bytes.length;
  // A variant no smaller than the file is not worth a header; the server then sends the file itself.
  if (brotli.length < bytes.length) writeFileSync(`${file}.br`, brotli);
  if (gzip.length < bytes.length) writeFileSync(`${file}.gz`, gzip);
  br += Math.min(brotli.length, bytes.length);
  gz += Math.min(gzip.length, bytes.length);
}
console.log(`[ihyid] precompressed ${count} files in ${path.relative(process.cwd(), dir) || '.'}: ${raw} bytes, brotli ${br}, gzip ${gz}`);
