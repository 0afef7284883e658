import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../src/core/hex.js';
import type { ContactId } from '../src/core/ids.js';
import { strictVerify } from '../src/identity/ed25519.js';
import {
  assign,
  assignmentLines,
  coinHash,
  concludePair,
  orgPair,
  sharedValuesHash,
  signSummary,
  summarise,
  summaryMessage,
  type AssignmentSummary,
} from '../src/lists/index.js';
import { MemorySink, negotiate, simOrg, simShared } from './support/lists-sim.js';

const CHECK = '00000000-0000-4000-8000-000000000002';
const empty = { links: [], serving: [], bound: [], capacity: null };

describe('D3 test vectors (PROTOCOL.md §5)', () => {
  const a = simOrg('A');
  const b = simOrg('B');
  const orgs = orgPair(a.fp, b.fp);
  const values = ['00'.repeat(32), '11'.repeat(32), 'ff'.repeat(32)];

  it('[D3] coin = SHA-256("ihyid-assign-v1" ‖ value ‖ lower ‖ higher fingerprint); first bit 0: the lower serves', () => {
    expect(orgs).toEqual(['IRGSZ7PXL2PTH3TEI3APU7SN2OXZMTJE', 'VW5AN5KPMO2KU5MJMBBHF2FT3QC2H2AR']);
    expect(bytesToHex(coinHash(values[0]!, orgs))).toBe('767a70e1882be350565200864cd9952b1d23d2ebc3442cb2ba7f6704f33325d0');
    expect(bytesToHex(coinHash(values[1]!, orgs))).toBe('9b9d9d4bf205148cb0f3a6b8aa615272fc52d7161ccee8b4fc632d6e8fade403');
    // Swapping the organisations changes nothing: they are sorted first.
    expect(coinHash(values[0]!, orgPair(b.fp, a.fp))).toEqual(coinHash(values[0]!, orgs));
  }, 300_000);

  it('[D3] the assignment lines, the shared values hash and the signed summary bytes', async () => {
    const groups = assign({ values, orgs, rule: 'coin', statements: [{ ...empty, links: [[0, 2]] }, empty] });
    expect(assignmentLines(groups, orgs)).toBe('0,2 L coin\n1 H coin\n');
    expect(sharedValuesHash(values)).toBe('d990803b19a35f69d337f408883a43da5a51e9c5f430ed78024e205febe92b2e');
    const summary = summarise({ rule: 'coin', checkId: CHECK, roundId: '', orgs, values, groups });
    expect(new TextDecoder().decode(summaryMessage(summary))).toBe(
      'ihyid-assign-summary-v1\n{"alg":"ihyid-assign-v1","assignmentHash":"ac933faa689f6b2004711ee075fdb85b1607e5b286c023ee39f90a3af9eb312c","checkId":"00000000-0000-4000-8000-000000000002","groups":2,"orgs":["IRGSZ7PXL2PTH3TEI3APU7SN2OXZMTJE","VW5AN5KPMO2KU5MJMBBHF2FT3QC2H2AR"],"reasons":{"capacity":0,"coin":2,"keeps":0,"round":0},"roundId":"","rule":"coin","served":[1,1],"shared":3,"sharedHash":"d990803b19a35f69d337f408883a43da5a51e9c5f430ed78024e205febe92b2e","v":1}',
    );
    expect((await signSummary(a.signer, summary)).sig).toBe(
      '6d5bce8129be3758155635da44d29038c73fb0910fc59e5954c0def009779b5de1ce138fa2bfd2ca568e13e34eb93ebf99a7a40e3f2adaeded3b52096c497d05',
    );
  }, 300_000);
});

describe('D3 signed summaries: a mismatch or a forgery aborts and nothing is stored', () => {
  const id = (o: string, i: number) => `${o}-${i}` as ContactId;
  const a = simOrg('A', new Map(Array.from({ length: 50 }, (_, i) => [id('a', i), [`p${i}`, `q${i}`]])));
  const b = simOrg('B', new Map(Array.from({ length: 50 }, (_, i) => [id('b', i), [`p${i * 2}`]])));
  const c = simOrg('C');

  async function assigned() {
    const r = await negotiate({ org: a, shared: simShared(a, b) }, { org: b, shared: simShared(b, a) }, 'coin');
    expect(r.doneA.ok && r.doneB.ok).toBe(true);
    expect(r.sinkA.saved).toHaveLength(1);
    expect(r.sinkA.saved[0]!.outcomes.size).toBe(25);
    return r;
  }

  async function conclude(theirs: unknown, key = b.signer.publicKey) {
    const r = await assigned();
    const sink = new MemorySink();
    const out = await concludePair(r.a, theirs, key, strictVerify, sink);
    return { out, sink, r };
  }

  it('[D3] a summary with a changed count, signed by the partner, is a mismatch: nothing stored', async () => {
    const r = await assigned();
    const tampered: AssignmentSummary = { ...r.b.ours.summary, served: [r.b.ours.summary.served[1], r.b.ours.summary.served[0]] };
    const { out, sink } = await conclude(await signSummary(b.signer, tampered));
    expect(out.ok ? null : out.error.code).toBe('assignment-mismatch');
    expect(sink.saved).toEqual([]);
  }, 300_000);

  it('[D3] a summary with another assignment hash (a different grouping) is a mismatch: nothing stored', async () => {
    const r = await assigned();
    const { out, sink } = await conclude(await signSummary(b.signer, { ...r.b.ours.summary, assignmentHash: 'ee'.repeat(32) }));
    expect(out.ok ? null : out.error.code).toBe('assignment-mismatch');
    expect(sink.saved).toEqual([]);
  }, 300_000);

  it('[D3] an equal summary signed by another organisation\'s key, or with a broken signature, is forged: nothing stored', async () => {
    const r = await assigned();
    const byC = await signSummary(c.signer, r.b.ours.summary);
    for (const forged of [byC, { ...byC, signer: b.signer.publicKey }, { ...r.b.ours, sig: r.b.ours.sig.replace(/^./, (x) => (x === '0' ? '1' : '0')) }]) {
      const { out, sink } = await conclude(forged);
      expect(out.ok ? null : out.error.code).toBe('assignment-forged');
      expect(sink.saved).toEqual([]);
    }
  }, 300_000);

  it('[D3] a malformed summary is a typed error: nothing stored', async () => {
    const r = await assigned();
    for (const bad of [null, 'x', { ...r.b.ours, summary: { ...r.b.ours.summary, v: 2 } }, { ...r.b.ours, extra: 1 }]) {
      const { out, sink } = await conclude(bad);
      expect(out.ok ? null : out.error.code).toBe('malformed-message');
      expect(sink.saved).toEqual([]);
    }
  }, 300_000);

  it('[D3] a partner statement pointing past the shared values is refused before anything is computed', async () => {
    const { assignPair, openPair } = await import('../src/lists/index.js');
    const ctx = { listId: CHECK as never, roundId: '', checkId: CHECK, self: a.fp, partner: b.fp, rule: 'coin' as const };
    const open = openPair(ctx, simShared(a, b), {}, null);
    for (const bad of [{ ...empty, links: [[0, 99]] }, { ...empty, links: [[3]] }, { ...empty, links: [[2, 1]] }, { ...empty, serving: [5, 5] }, { ...empty, links: [[1, 2], [0, 1]] }]) {
      const out = await assignPair(open, bad, a.signer);
      expect(out.ok ? null : out.error.code).toBe('invalid-item');
    }
  }, 300_000);
});
