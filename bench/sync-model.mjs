// bench:sync-model — the sync design measured in one Node process, without browsers: two devices'
// in-memory stores (shared's MemorySyncStore) over the in-memory link, with each record a version
// carrying a ~600-character payload (the size of an encrypted contact). One JSON line: time and
// characters for the initial sync of n records, for an incremental sync of 100 edits, for a sync
// when nothing changed, and whether both sides hold identical sets. The figures PROTOCOL.md
// compares with Yjs and Automerge; the WebRTC figures come from bench:sync.
//   npm run build -w @ihyid/shared && node bench/sync-model.mjs --n 100000
import { HlcClock, inMemorySyncLink, makeVersion, MemorySyncStore, runSync } from '@ihyid/shared';

const n = Number(process.argv[process.argv.indexOf('--n') + 1] || 100_000);
let now = Date.UTC(2026, 0, 1);
const clockA = new HlcClock('a', () => now);
const payload = (i) => `${i}:`.padEnd(600, 'x');

async function sync(a, b) {
  const link = inMemorySyncLink();
  const t = performance.now();
  const [ra, rb] = await Promise.all([
    runSync({ transport: link.ends[0], store: a, initiator: true }),
    runSync({ transport: link.ends[1], store: b, initiator: false }),
  ]);
  if (!ra.ok || !rb.ok) throw new Error(JSON.stringify([ra, rb]));
  return { ms: Math.round(performance.now() - t), chars: link.sentChars[0] + link.sentChars[1], rounds: ra.value.rounds + rb.value.rounds };
}

const heap0 = process.memoryUsage().heapUsed;
let t = performance.now();
const a = new MemorySyncStore();
const versions = [];
for (let i = 0; i < n; i++) {
  versions.push(makeVersion(clockA, { record: `contacts/c${i}`, parents: [], op: 'put', data: payload(i) }));
  if (i % 50 === 0) now += 1;
}
a.add(versions);
const createMs = Math.round(performance.now() - t);
const heapMB = Math.round((process.memoryUsage().heapUsed - heap0) / 1e6);
const b = new MemorySyncStore();
const initial = await sync(b, a);
const unchanged = await sync(b, a);
now += 60_000;
const edits = versions.slice(0, 100).map((v, i) => makeVersion(clockA, { record: v.body.record, parents: [v.id], op: 'put', data: payload(i + 0.5) }));
a.add(edits);
const incremental = await sync(b, a);
const ids = (s) => s.all().map((v) => v.id).sort().join();
console.log(JSON.stringify({ bench: 'sync-model', n, createMs, heapMB, initial, incremental, unchanged, identical: ids(a) === ids(b) }));
