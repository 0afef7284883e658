import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conflictFields, mergeRecords, resolveConflict, winnerOf, type RecordState } from '../src/sync/merge.js';
import { canonicalBody, makeVersion, parseVersion, versionId, type RecordKey, type VersionBody } from '../src/sync/version.js';
import { HlcClock } from '../src/sync/hlc.js';
import { FakeTime, Replica, snapshot, syncStores } from './support/sync-replica.js';

const K = 'contacts/keep' as RecordKey;
const D = 'contacts/drop' as RecordKey;
const data = (fields: Record<string, unknown>) => JSON.stringify(fields);
const fieldsOf = (d: string | undefined) => (d === undefined ? null : (JSON.parse(d) as Record<string, unknown>));

/** Two devices that share one contact, then go offline. */
async function twoDevices() {
  const time = new FakeTime();
  const a = new Replica('a', time);
  const b = new Replica('b', time, -40_000); // b's clock is 40 s behind
  const first = a.write({ record: K, parents: [], op: 'put', data: data({ firstName: 'Ali', phone: '', notes: '' }) });
  await syncStores(a.store, b.store);
  time.advance(60_000);
  return { time, a, b, first };
}

const stateAt = (r: Replica, record: RecordKey): RecordState => r.store.states().get(record)!;

/** Both devices edit the shared contact offline, then sync. */
async function editBoth(onA: Record<string, unknown>, onB: Record<string, unknown>) {
  const world = await twoDevices();
  const a = world.a.write({ record: K, parents: [world.first.id], op: 'put', data: data(onA) });
  const b = world.b.write({ record: K, parents: [world.first.id], op: 'put', data: data(onB) });
  await syncStores(world.b.store, world.a.store);
  return { ...world, onA: a, onB: b };
}

describe('merging versions (X4)', () => {
  it('[X4] the PROTOCOL.md version vector: the id is SHA-256 of the tagged canonical body', () => {
    const body: VersionBody = {
      v: 1,
      record: 'contacts/7f0c1a52-4f4e-4a47-9d55-2a8c6b1e9f30' as RecordKey,
      hlc: '001767225600000-00000-d1',
      parents: [],
      op: 'put',
      data: 'ciphertext',
    };
    // Computed independently (Python: json.dumps(sort_keys, compact) and hashlib), as in PROTOCOL.md.
    expect(versionId(body)).toBe('289ffcccee68a9663b510a416dd1f2303ad803291fa71cc2714e522f2bf5b5ff');
    expect(parseVersion(body)).toEqual({ ok: true, value: { id: versionId(body), body } });
  });

  it('[X4] the body written directly is the canonical JSON the general canonicaliser writes, for any content', () => {
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
    const body = fc.record(
      {
        v: fc.constant(1 as const),
        record: fc.stringMatching(/^[a-z][a-z0-9-]{0,5}\/[0-9A-Za-z_-]{1,12}$/),
        hlc: fc.string(),
        parents: fc.uniqueArray(hex, { maxLength: 4 }).map((ids) => ids.sort()),
        op: fc.constantFrom('put' as const, 'delete' as const),
        // Any UTF-16 code unit (lone surrogates among them), quotes, controls and line separators.
        data: fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)) })),
        mergedInto: fc.stringMatching(/^[a-z]{1,4}\/[0-9a-z]{1,8}$/),
      },
      { requiredKeys: ['v', 'record', 'hlc', 'parents', 'op'] },
    );
    // Equal output, or both refuse (canonicalize throws on a lone surrogate).
    const outcome = (write: () => string | undefined) => {
      try {
        return { text: write() };
      } catch (error) {
        return { refused: String(error) };
      }
    };
    const agree = () =>
      fc.assert(
        fc.property(body, (b) => {
          expect(outcome(() => canonicalBody(b as VersionBody))).toEqual(outcome(() => canonicalize(b)));
        }),
        { numRuns: 3000 },
      );
    agree();
    // An engine without ES2024's isWellFormed (an old phone's browser) finds lone surrogates by a search.
    const native = Object.getOwnPropertyDescriptor(String.prototype, 'isWellFormed')!;
    delete (String.prototype as { isWellFormed?: unknown }).isWellFormed;
    try {
      agree();
    } finally {
      Object.defineProperty(String.prototype, 'isWellFormed', native);
    }
    // A list with a hole (never from the wire) is written as canonicalize writes it.
    const holed = { v: 1, record: K, hlc: 'x', parents: ['a', , 'b'], op: 'put', data: 'd' } as unknown as VersionBody;
    expect(canonicalBody(holed)).toBe(canonicalize(holed));
    const lone = { v: 1, record: K, hlc: 'x', parents: [], op: 'put', data: 'a\ud800b' } as VersionBody;
    expect(() => canonicalize(lone)).toThrow();
    expect(() => canonicalBody(lone)).toThrow();
    // A body without a required key (never from the wire) is written as canonicalize writes it.
    const short = { v: 1, record: K, parents: [], op: 'delete' } as unknown as VersionBody;
    expect(canonicalBody(short)).toBe(canonicalize(short));
    // A key of no body's (never from the wire: the shape is strict) still comes out canonical.
    const odd = { v: 1, record: K, hlc: 'x', parents: [], op: 'put', data: 'd', zeta: { b: 1, a: [2] } } as unknown as VersionBody;
    expect(canonicalBody(odd)).toBe(canonicalize(odd));
  });

  it('[X4] a version from the wire is refused when it breaks a rule of its shape', () => {
    const clock = new HlcClock('a', () => 1);
    const good = makeVersion(clock, { record: K, parents: [], op: 'put', data: 'x' }).body;
    const bad: unknown[] = [
      { ...good, data: undefined },
      { ...good, op: 'delete' },
      { ...good, parents: ['b'.repeat(64), 'a'.repeat(64)] },
      { ...good, parents: ['a'.repeat(64), 'a'.repeat(64)] },
      { ...good, hlc: '1-2-a' },
      { ...good, record: 'Contacts/x' },
      { ...good, mergedInto: D },
      { ...good, extra: 1 },
      { ...good, data: 'x'.repeat(16 * 1024 + 1) },
    ];
    for (const b of bad) expect(parseVersion(b).ok).toBe(false);
  });

  it('[X4] concurrent offline edits of one contact keep both versions and raise the same conflict on both devices', async () => {
    const { a, b, onA, onB } = await editBoth({ firstName: 'Ali', phone: '+9613123456', notes: '' }, { firstName: 'Aly', phone: '', notes: 'moved' });
    const state = stateAt(a, K);
    expect(state.kind).toBe('conflict');
    expect(state.kind === 'conflict' && state.heads.map((h) => h.id).sort()).toEqual([onA.id, onB.id].sort());
    expect(snapshot(a.store)).toEqual(snapshot(b.store));
  });

  it('[X4] field by field: a field changed on one side only merges by itself; a field changed on both is a choice', async () => {
    const { a, b, first, onA, onB } = await editBoth({ firstName: 'Ali', phone: '+9613123456', notes: '' }, { firstName: 'Aly', phone: '+9613999999', notes: 'moved' });
    const state = stateAt(b, K);
    if (state.kind !== 'conflict') throw new Error('expected a conflict');
    const view = conflictFields(
      fieldsOf(first.body.data),
      state.heads.map((h) => ({ id: h.id, fields: fieldsOf(h.body.data) })),
    );
    expect(view.merged).toEqual({ firstName: 'Aly', notes: 'moved' });
    expect(view.choices).toEqual([
      {
        field: 'phone',
        options: state.heads.map((h) => ({ value: fieldsOf(h.body.data)!.phone, from: [h.id] })),
      },
    ]);
    expect(new Set(view.choices[0]!.options.map((o) => o.value))).toEqual(new Set(['+9613123456', '+9613999999']));
    // Without the common version nothing is taken for granted: every differing field is a choice.
    expect(conflictFields(null, state.heads.map((h) => ({ id: h.id, fields: fieldsOf(h.body.data) }))).choices.map((c) => c.field)).toEqual([
      'firstName',
      'notes',
      'phone',
    ]);

    // b resolves; after the next sync both devices see one live record with both parents.
    const resolved = resolveConflict(b.clock, state, data({ ...view.merged, phone: '+9613123456' }));
    b.store.add([resolved]);
    expect(resolved.body.parents).toEqual([onA.id, onB.id].sort());
    await syncStores(a.store, b.store);
    expect(stateAt(a, K)).toEqual({ kind: 'live', record: K, head: resolved });
    expect(snapshot(a.store)).toEqual(snapshot(b.store));
  });

  it('[X4] a deletion is a tombstone that replicates; an edit made meanwhile elsewhere survives as a conflict', async () => {
    const { a, b, first } = await twoDevices();
    const gone = a.write({ record: K, parents: [first.id], op: 'delete' });
    await syncStores(a.store, b.store);
    expect(stateAt(b, K)).toEqual({ kind: 'deleted', record: K, heads: [gone] });

    const { a: a2, b: b2, first: first2 } = await twoDevices();
    a2.write({ record: K, parents: [first2.id], op: 'delete' });
    const edit = b2.write({ record: K, parents: [first2.id], op: 'put', data: data({ firstName: 'Ali', phone: '', notes: 'still here' }) });
    await syncStores(a2.store, b2.store);
    const state = stateAt(a2, K);
    expect(state.kind).toBe('conflict');
    expect(state.kind === 'conflict' && state.heads.map((h) => h.id)).toContain(edit.id);
  });

  it('[X4] two devices deleting the same contact agree it is deleted, without a conflict', async () => {
    const { a, b, first } = await twoDevices();
    a.write({ record: K, parents: [first.id], op: 'delete' });
    b.write({ record: K, parents: [first.id], op: 'delete' });
    await syncStores(a.store, b.store);
    expect(stateAt(a, K).kind).toBe('deleted');
    expect(snapshot(a.store)).toEqual(snapshot(b.store));
  });

  it('[X4] a merge of duplicates on one device and an edit of the merged-away contact on another both survive', async () => {
    const { a, b, first } = await twoDevices();
    const dropFirst = a.write({ record: D, parents: [], op: 'put', data: data({ firstName: 'Alí', phone: '+9613123456', notes: '' }) });
    await syncStores(a.store, b.store);
    const [kept, dropped] = mergeRecords(a.clock, { record: K, heads: [first.id], data: data({ firstName: 'Ali', phone: '+9613123456', notes: '' }) }, { record: D, heads: [dropFirst.id] });
    a.store.add([kept, dropped]);
    expect(dropped.body).toMatchObject({ op: 'delete', mergedInto: K });
    const edit = b.write({ record: D, parents: [dropFirst.id], op: 'put', data: data({ firstName: 'Alí', phone: '+9613123456', notes: 'new address' }) });
    await syncStores(b.store, a.store);
    for (const device of [a, b]) {
      expect(stateAt(device, K)).toEqual({ kind: 'live', record: K, head: kept });
      const d = stateAt(device, D);
      expect(d.kind).toBe('conflict');
      expect(d.kind === 'conflict' && d.heads.map((h) => h.id).sort()).toEqual([dropped.id, edit.id].sort());
    }
  });

  it('[X4] a collection without review shows the same row on every device: the newest put head, and an edit concurrent with a delete keeps the record', async () => {
    const edits = await editBoth({ firstName: 'Ali', phone: '+96170000001', notes: '' }, { firstName: 'Ali', phone: '', notes: 'moved' });
    const [onA, onB] = [winnerOf(stateAt(edits.a, K)), winnerOf(stateAt(edits.b, K))];
    expect(onA?.id).toBe(onB?.id);
    // b's clock is behind: a's edit is the newer stamp.
    expect(onA?.id).toBe(edits.onA.id);

    const world = await twoDevices();
    world.a.write({ record: K, parents: [world.first.id], op: 'delete' });
    const edit = world.b.write({ record: K, parents: [world.first.id], op: 'put', data: data({ firstName: 'Ali', phone: '', notes: 'still here' }) });
    await syncStores(world.a.store, world.b.store);
    expect(winnerOf(stateAt(world.a, K))?.id).toBe(edit.id);
    expect(winnerOf(stateAt(world.b, K))?.id).toBe(edit.id);
  });
});
