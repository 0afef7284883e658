// bench/crdt-compare.mjs — the one-off measurement behind PROTOCOL.md §6.3 (why not a CRDT library):
// n contact records in Yjs or Automerge: build, heap, saved size, load, sync bytes when nothing changed,
// 100 edits, and what survives a concurrent edit of one field. The libraries are not dependencies:
//   npm install --no-save yjs @automerge/automerge && node --expose-gc bench/crdt-compare.mjs yjs 10000
import * as Y from 'yjs';
import * as A from '@automerge/automerge';
const N = Number(process.argv[3] ?? 100000);
const which = process.argv[2];
const rec = (i) => ({ firstName: `First${i % 977}`, lastName: `Last${i % 1213}`, fatherName: `Father${i % 311}`, motherName: `Mother${i % 419}`,
  birth: `19${String(50 + (i % 50)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, sex: i % 2 ? 'female' : 'male', phone: `+96131${String(i).padStart(5, '0')}`,
  documentType: 'id', documentNumber: String(10000000 + i), location: `Zone ${i % 40}`, householdSize: 1 + (i % 9), notes: i % 5 ? '' : 'Needs follow-up visit next week' });
const ms = (t) => Math.round(performance.now() - t);
const heap = () => Math.round(process.memoryUsage().heapUsed / 1e6);
const out = { lib: which, n: N };
global.gc?.();
const h0 = heap();
if (which === 'yjs') {
  let t = performance.now();
  const a = new Y.Doc();
  const m = a.getMap('contacts');
  a.transact(() => { for (let i = 0; i < N; i++) { const c = new Y.Map(); for (const [k, v] of Object.entries(rec(i))) c.set(k, v); m.set(`c${i}`, c); } });
  out.createMs = ms(t); global.gc?.(); out.heapMB = heap() - h0;
  t = performance.now(); const full = Y.encodeStateAsUpdate(a); out.encodeMs = ms(t); out.stateBytes = full.length;
  t = performance.now(); const b = new Y.Doc(); Y.applyUpdate(b, full); out.loadMs = ms(t);
  // Nothing changed: each side sends its state vector, the other answers with the diff.
  t = performance.now();
  const svA = Y.encodeStateVector(a), svB = Y.encodeStateVector(b);
  const dA = Y.encodeStateAsUpdate(a, svB), dB = Y.encodeStateAsUpdate(b, svA);
  out.unchangedBytes = svA.length + svB.length + dA.length + dB.length; out.unchangedMs = ms(t);
  // 100 edits on b, then b -> a.
  b.transact(() => { for (let i = 0; i < 100; i++) b.getMap('contacts').get(`c${(i * 997) % N}`).set('notes', `edit ${i}`); });
  t = performance.now(); const inc = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)); Y.applyUpdate(a, inc); out.incBytes = inc.length + Y.encodeStateVector(a).length; out.incMs = ms(t);
  // Concurrent edit of the same field: what survives?
  const x = new Y.Doc(); Y.applyUpdate(x, Y.encodeStateAsUpdate(a)); const y = new Y.Doc(); Y.applyUpdate(y, Y.encodeStateAsUpdate(a));
  x.getMap('contacts').get('c1').set('phone', '+961 x'); y.getMap('contacts').get('c1').set('phone', '+961 y');
  Y.applyUpdate(x, Y.encodeStateAsUpdate(y)); out.concurrentSameField = `kept one: ${x.getMap('contacts').get('c1').get('phone')}, the other is gone`;
} else {
  let t = performance.now();
  let a = A.from({ contacts: {} });
  a = A.change(a, (d) => { for (let i = 0; i < N; i++) d.contacts[`c${i}`] = rec(i); });
  out.createMs = ms(t); global.gc?.(); out.heapMB = heap() - h0;
  t = performance.now(); const full = A.save(a); out.encodeMs = ms(t); out.stateBytes = full.length;
  t = performance.now(); let b = A.load(full); out.loadMs = ms(t);
  // Nothing changed: run the sync protocol to quiescence, counting bytes.
  const syncAll = (x, y) => { let sx = A.initSyncState(), sy = A.initSyncState(); let bytes = 0, rounds = 0;
    for (;;) { let m1, m2; [sx, m1] = A.generateSyncMessage(x, sx); if (m1) { bytes += m1.length; [y, sy] = A.receiveSyncMessage(y, sy, m1); }
      [sy, m2] = A.generateSyncMessage(y, sy); if (m2) { bytes += m2.length; [x, sx] = A.receiveSyncMessage(x, sx, m2); }
      rounds++; if (!m1 && !m2) return { x, y, bytes, rounds }; } };
  t = performance.now(); let r = syncAll(a, b); out.unchangedBytes = r.bytes; out.unchangedMs = ms(t);
  b = A.change(r.y, (d) => { for (let i = 0; i < 100; i++) d.contacts[`c${(i * 997) % N}`].notes = `edit ${i}`; });
  t = performance.now(); r = syncAll(r.x, b); out.incBytes = r.bytes; out.incMs = ms(t);
  let x = A.change(A.clone(r.x), (d) => { d.contacts.c1.phone = '+961 x'; }); let y = A.change(A.clone(r.x), (d) => { d.contacts.c1.phone = '+961 y'; });
  x = A.merge(x, y); out.concurrentSameField = `shows ${x.contacts.c1.phone}; getConflicts keeps ${Object.keys(A.getConflicts(x.contacts.c1, 'phone') ?? {}).length}`;
}
console.log(JSON.stringify(out));
