import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../src/core/hex.js';
import { inMemoryChannelPair, type PeerChannel } from '../src/peer/channel.js';
import { PEER_PROTOCOL } from '../src/peer/protocol.js';
import { ok } from '../src/core/result.js';
import { fingerprintOf, type Signer } from '../src/identity/keys.js';
import { signerFromSecretKey, strictVerify } from '../src/identity/ed25519.js';
import { RoundPlanSchema, type ListId, type PairSide, type RoundPlan } from '../src/lists/index.js';
import type { CheckItem } from '../src/check/overlap-check.js';
import * as v from 'valibot';
import { VECTORS, type Label } from './identity-fixtures.js';
import { items, until, type Identify } from './support/check-org.js';
import { MemorySink } from './support/lists-sim.js';

const signer = (l: Label): Signer => signerFromSecretKey(hexToBytes(VECTORS[l].sk));
const fp = (l: Label) => fingerprintOf(signer(l).publicKey);
/** The identity step, stood in: each side "verifies" the partner's real key, named by its org name. */
const identifyAs: Identify = async (_port, partnerName) => {
  const key = signer(partnerName as Label).publicKey;
  return ok({ peerKey: key, peerFingerprint: fingerprintOf(key) });
};

/** The frames a side sends, as the partner receives them. */
function tap(channel: PeerChannel, sent: string[]): PeerChannel {
  return { ...channel, send: (f) => (sent.push(f), channel.send(f)), onMessage: (h) => channel.onMessage(h), onClose: (h) => channel.onClose(h), close: () => channel.close() };
}

const LIST = '00000000-0000-4000-8000-0000000000a1' as ListId;
const plan = (rule: RoundPlan['rule'] = 'coin'): RoundPlan =>
  v.parse(RoundPlanSchema, { v: 1, roundId: '00000000-0000-4000-8000-0000000000a2', coordinator: fp('A'), participants: [fp('A'), fp('B')], rule, list: { name: 'Winter', programme: 'MPCA', round: 'R1', members: 60 } });

/** A holds people 0–59, B people 30–89 (30 shared); each contact has two keys, a few only one. */
function lists() {
  const ids = (from: number) => Array.from({ length: 60 }, (_, i) => `P${from + i}`);
  const extra = (from: number) => (i: number) => ((from + i) % 7 === 0 ? [] : [`{"id":"doc-${from + i}","kind":"document","v":1}`]);
  return { a: items(ids(0), 'A', extra(0)), b: items(ids(30), 'B', extra(30)) };
}

function setup() {
  const [ca, cb] = inMemoryChannelPair();
  const sentByA: string[] = [];
  const sinkA = new MemorySink();
  const sinkB = new MemorySink();
  const { a: itemsA, b: itemsB } = lists();
  return { ca, cb, sentByA, sinkA, sinkB, itemsA, itemsB };
}

const side = (its: readonly CheckItem[]): PairSide => ({ listId: LIST, items: its, flags: {}, capacity: null });

describe('D3 a list pair over the peer session, after a real psi-v2 check', () => {
  async function run(opts: { bSigner?: Signer; closeBAfter?: string; sinks?: [MemorySink, MemorySink]; propose?: boolean } = {}) {
    const { PeerSession } = await import('../src/peer/session.js');
    const { inlineWork } = await import('./support/check-org.js');
    const { seededRandom } = await import('./support/seeded.js');
    const fresh = setup();
    const { ca, cb, sentByA, itemsA, itemsB } = fresh;
    const [sinkA, sinkB] = opts.sinks ?? [fresh.sinkA, fresh.sinkB];
    const events = { A: [] as any[], B: [] as any[] };
    let bSession: InstanceType<typeof PeerSession> | null = null;
    const make = (label: 'A' | 'B', channel: PeerChannel, local: CheckItem[], s: Signer, sink: MemorySink) =>
      new PeerSession(channel, {
        orgName: label, random: seededRandom(label), work: inlineWork, localItems: async () => local, identify: identifyAs,
        lists: { random: seededRandom(`lists-${label}`), signer: s, verify: strictVerify, sink },
        onEvent: (e) => {
          events[label].push(e);
          if (label === 'B' && e.type === 'assign-proposed') bSession!.acceptPair(e.pairId, side(itemsB));
        },
      });
    const a = make('A', tap(ca, sentByA), itemsA, signer('A'), sinkA);
    // B's frames: when asked, close B right after it sends a given message type (a participant leaving mid-pair).
    const bChannel: PeerChannel = opts.closeBAfter
      ? { ...cb, send: (f) => { cb.send(f); if (JSON.parse(f).type === opts.closeBAfter) cb.close(); }, onMessage: (h) => cb.onMessage(h), onClose: (h) => cb.onClose(h), close: () => cb.close() }
      : cb;
    bSession = make('B', bChannel, itemsB, opts.bSigner ?? signer('B'), sinkB);
    a.start();
    bSession.start();
    await until(events.A, 'ready');
    await until(events.B, 'ready');
    if (opts.propose !== false) expect(a.proposePair(plan(), 0, side(itemsA.slice(10))).ok).toBe(true);
    return { events, sinkA, sinkB, sentByA, itemsA, itemsB, a };
  }

  it('[D3] both sides store the same assignment for every shared contact, with both signed summaries', async () => {
    const { events, sinkA, sinkB } = await run();
    const agreedA = await until(events.A, 'assign-agreed', 20_000);
    const agreedB = await until(events.B, 'assign-agreed', 20_000);
    expect(sinkA.saved).toHaveLength(1);
    expect(sinkB.saved).toHaveLength(1);
    expect(agreedA.agreed.ours).toEqual(agreedB.agreed.theirs);
    // Shared: people 30–59 (A offered its contacts 10–59, so people 10–59): 30 contacts each side.
    expect(sinkA.saved[0]!.outcomes.size).toBe(30);
    expect(sinkB.saved[0]!.outcomes.size).toBe(30);
    // Contact i of A is person i; contact j of B is person 30 + j: the same person, the same server.
    for (let person = 30; person < 60; person++) {
      const onA = sinkA.saved[0]!.outcomes.get(`c-A-${person}` as never)!;
      const onB = sinkB.saved[0]!.outcomes.get(`c-B-${person - 30}` as never)!;
      expect(onB.server, `person ${person}`).toBe(onA.server);
    }
    const servers = new Set([...sinkA.saved[0]!.outcomes.values()].map((o) => o.server));
    expect(servers).toEqual(new Set([fp('A'), fp('B')]));
  }, 300_000);

  it('[D3] a partner whose summary signature does not verify under its session key: the victim sends assignment-forged and stores nothing', async () => {
    // B claims its own key but signs with C's secret: what a partner forging a summary would send.
    const forging: Signer = { publicKey: signer('B').publicKey, sign: (m) => signer('C').sign(m) };
    const { events, sinkA, sinkB, sentByA } = await run({ bSigner: forging });
    const closed = await until(events.A, 'closed', 20_000);
    expect(closed.error?.code).toBe('assignment-forged');
    expect(sentByA.map((f) => JSON.parse(f)).filter((m) => m.type === 'error')).toEqual([{ type: 'error', code: 'assignment-forged' }]);
    expect(sentByA.some((f) => JSON.parse(f).type === 'assign-commit')).toBe(false);
    expect(sinkA.saved).toEqual([]);
    expect(sinkB.saved).toEqual([]);
  }, 300_000);

  for (const step of ['assign-statement', 'assign-summary']) {
    it(`[D4] a participant closing right after sending ${step} leaves no assignment on either side`, async () => {
      const { events, sinkA, sinkB } = await run({ closeBAfter: step });
      await until(events.A, 'closed', 20_000);
      await until(events.B, 'closed', 20_000);
      expect(sinkA.saved).toEqual([]);
      expect(sinkB.saved).toEqual([]);
    }, 300_000);
  }

  it('[D4] a participant closing right after its commit: each side holds the whole pair or nothing, never part of it', async () => {
    // The last commit can always be lost (two generals): the side that saw both commits stores, the
    // other nothing; PROTOCOL.md §5.7 says how a rerun of the pair brings them together.
    const { events, sinkA, sinkB } = await run({ closeBAfter: 'assign-commit' });
    await until(events.A, 'closed', 20_000);
    await until(events.B, 'closed', 20_000);
    for (const sink of [sinkA, sinkB]) {
      expect(sink.saved.length).toBeLessThanOrEqual(1);
      for (const pair of sink.saved) expect(pair.outcomes.size).toBe(30);
    }
  }, 300_000);

  it('[D4] a pair whose last commit was lost is undone on the side that stored it when the two meet again, and a rerun agrees on both', async () => {
    // First meeting: B leaves right after its commit, so A stores the pair and B, which never saw A's commit, nothing.
    const first = await run({ closeBAfter: 'assign-commit' });
    await until(first.events.A, 'closed', 20_000);
    await until(first.events.B, 'closed', 20_000);
    expect(first.sinkA.saved).toHaveLength(1);
    expect(first.sinkB.saved).toEqual([]);
    const lost = { roundId: first.sinkA.saved[0]!.ctx.roundId, checkId: first.sinkA.saved[0]!.ctx.checkId };

    // They meet again: A names the pair it holds, B answers that it lacks it, A undoes it (§7.8).
    const reads = [first.sinkA.heldReads, first.sinkB.heldReads];
    const again = await run({ sinks: [first.sinkA, first.sinkB], propose: false });
    const undone = await until(again.events.A, 'assign-undone', 20_000);
    expect(undone.pairs).toEqual([lost]);
    // Each side read its pairs once for the meeting: its own assign-held and its answer to the partner's.
    await waitFor(() => again.sentByA.find((f) => JSON.parse(f).type === 'assign-lacking'));
    expect([first.sinkA.heldReads - reads[0]!, first.sinkB.heldReads - reads[1]!]).toEqual([1, 1]);
    expect(first.sinkA.saved).toEqual([]);
    expect(again.sentByA.map((f) => JSON.parse(f)).filter((m) => m.type === 'assign-held')).toEqual([{ type: 'assign-held', pairs: [lost] }]);
    expect(again.events.B.some((e) => e.type === 'assign-undone')).toBe(false);

    // The pair runs again in the same session: both sides store it, the same one.
    expect(again.a.proposePair(plan(), 0, side(again.itemsA.slice(10))).ok).toBe(true);
    const agreedA = await until(again.events.A, 'assign-agreed', 20_000);
    await until(again.events.B, 'assign-agreed', 20_000);
    expect(first.sinkA.saved).toHaveLength(1);
    expect(first.sinkB.saved).toHaveLength(1);
    expect(first.sinkB.saved[0]!.theirs).toEqual(agreedA.agreed.ours);
  }, 300_000);

  it('[D4] a partner naming in assign-lacking a pair we never named is refused (invalid-item), and nothing is undone', async () => {
    const { PeerSession } = await import('../src/peer/session.js');
    const { inlineWork } = await import('./support/check-org.js');
    const { seededRandom } = await import('./support/seeded.js');
    const [ca, cb] = inMemoryChannelPair();
    const sink = new MemorySink();
    const events: any[] = [];
    const victim = new PeerSession(ca, {
      orgName: 'A', random: seededRandom('A'), work: inlineWork, localItems: async () => [], identify: identifyAs,
      lists: { random: seededRandom('lists-A'), signer: signer('A'), verify: strictVerify, sink }, onEvent: (e) => events.push(e),
    });
    // The attacker drives the raw channel: hello, ready, then an assign-lacking for a pair A never named.
    const got: any[] = [];
    cb.onMessage((f) => got.push(JSON.parse(f as string)));
    victim.start();
    cb.send(JSON.stringify({ type: 'hello', protocol: PEER_PROTOCOL, versions: [3], orgName: 'B' }));
    cb.send(JSON.stringify({ type: 'ready' }));
    await until(events, 'ready');
    const held = await waitFor(() => got.find((m) => m.type === 'assign-held'));
    expect(held).toEqual({ type: 'assign-held', pairs: [] });
    cb.send(JSON.stringify({ type: 'assign-lacking', pairs: [{ roundId: '00000000-0000-4000-8000-0000000000a2', checkId: '00000000-0000-4000-8000-0000000000ff' }] }));
    const closed = await until(events, 'closed', 20_000);
    expect(closed.error?.code).toBe('invalid-item');
    expect(got.filter((m) => m.type === 'error')).toEqual([{ type: 'error', code: 'invalid-item' }]);
  }, 60_000);
});

async function waitFor<T>(find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const x = find();
    if (x !== undefined) return x;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('never came');
}
