import { describe, expect, it } from 'vitest';
import {
  inMemoryChannelPair,
  issueChallenge,
  MAX_IDENTITY_FRAME_CHARS,
  MemoryLedgerStore,
  portFromChannel,
  receivePush,
  reconcileLedger,
  summarize,
  toSigned,
  type IdentityFailure,
  type LedgerEvent,
  type PeerChannel,
  type Result,
} from '../src/index.js';
import { ctx, HOUR, MIN, org, T0 } from './identity-fixtures.js';
import { seededRandom } from './support/seeded.js';

const [A, B, C] = [org('A'), org('B'), org('C')];
const random = seededRandom('reconcile');

/** n challenge events, cheap to make, valid on their own. */
async function filler(n: number, at = T0 + MIN): Promise<LedgerEvent[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => issueChallenge(i % 2 ? A.signer : C.signer, B.key, at + i, random)));
}

let longestFrame = 0;
function counting(channel: PeerChannel): { channel: PeerChannel; frames: string[] } {
  const frames: string[] = [];
  const send = (f: string) => {
    frames.push(JSON.parse(f).type);
    longestFrame = Math.max(longestFrame, f.length);
    channel.send(f);
  };
  return { frames, channel: { ...channel, send } };
}

async function reconcile(left: MemoryLedgerStore, right: MemoryLedgerStore, now = T0 + HOUR) {
  const [l, r] = inMemoryChannelPair().map(counting);
  const results = await Promise.all([
    reconcileLedger(portFromChannel(l!.channel), { store: left, validation: ctx(now) }),
    reconcileLedger(portFromChannel(r!.channel), { store: right, validation: ctx(now) }),
  ]);
  return { results, frames: [l!.frames, r!.frames] };
}

const readCode = (r: Result<unknown, IdentityFailure>) => (r.ok ? 'ok' : r.error.peerCode ?? r.error.code);
const sorted = async (s: MemoryLedgerStore) => (await s.ids()).sort();

describe('ledger reconciliation (I3)', () => {
  it('[I3] both sides end with the union, each sending only what the other lacked', async () => {
    const shared = [await A.register(T0), await B.register(T0)];
    const onlyLeft = await filler(5);
    const onlyRight = await filler(3, T0 + 10 * MIN);
    const left = new MemoryLedgerStore([...shared, ...onlyLeft]);
    const right = new MemoryLedgerStore([...shared, ...onlyRight]);
    const { results } = await reconcile(left, right);
    expect(results).toMatchObject([
      { ok: true, value: { sent: 5, added: expect.arrayContaining(onlyRight.map((e) => e.id)), skipped: 0 } },
      { ok: true, value: { sent: 3, added: expect.arrayContaining(onlyLeft.map((e) => e.id)), skipped: 0 } },
    ]);
    expect(await sorted(left)).toEqual(await sorted(right));
    expect(await left.ids()).toHaveLength(10);
  });

  it('[I3] equal ledgers exchange three small frames each and no event', async () => {
    const events = [await A.register(T0), ...(await filler(40))];
    const { results, frames } = await reconcile(new MemoryLedgerStore(events), new MemoryLedgerStore(events));
    expect(results.map((r) => r.ok && r.value.sent)).toEqual([0, 0]);
    expect(frames).toEqual([
      ['id-summary', 'id-ids-end', 'id-events-end'],
      ['id-summary', 'id-ids-end', 'id-events-end'],
    ]);
  });

  it('[I3] a long ledger crosses in many frames, each under the frame limit', async () => {
    const events = await filler(700);
    const { results, frames } = await reconcile(new MemoryLedgerStore(events), new MemoryLedgerStore());
    expect(results.map((r) => r.ok && r.value.sent)).toEqual([700, 0]);
    expect(frames[0]!.filter((t) => t === 'id-ids').length).toBe(2);
    expect(frames[0]!.filter((t) => t === 'id-events').length).toBe(14);
    expect(longestFrame).toBeLessThan(MAX_IDENTITY_FRAME_CHARS);
  });

  it('[I3][A8] an event with a bad signature ends the session with invalid-event, and nothing is stored', async () => {
    const good = await filler(3);
    const bad = { ...(await A.register(T0)), sig: '00'.repeat(64) };
    const victim = new MemoryLedgerStore();
    // The sender may already have finished (it had nothing to receive); the victim refuses everything.
    const { results } = await reconcile(victim, new MemoryLedgerStore([...good, bad]));
    expect(readCode(results[0]!)).toBe('invalid-event');
    expect(await victim.ids()).toEqual([]);
  });

  it('[I3] events from the future beyond the skew are skipped, not fatal: an honest clock can be wrong', async () => {
    const now = await filler(2);
    const future = await filler(1, T0 + 2 * HOUR);
    const receiver = new MemoryLedgerStore();
    const { results } = await reconcile(receiver, new MemoryLedgerStore([...now, ...future]), T0 + HOUR);
    expect(results[0]).toMatchObject({ ok: true, value: { skipped: 1 } });
    expect(await sorted(receiver)).toEqual(now.map((e) => e.id).sort());
  });

  it('[I3][A8] events that were not asked for end the session (unexpected-event)', async () => {
    const [left, right] = inMemoryChannelPair();
    const hostile = portFromChannel(right);
    const run = reconcileLedger(portFromChannel(left), { store: new MemoryLedgerStore(), validation: ctx(T0) });
    const fake = summarize(['ab'.repeat(32)]);
    hostile.send({ type: 'id-summary', ...fake });
    hostile.send({ type: 'id-ids-end' });
    hostile.send({ type: 'id-events', events: [toSigned(await A.register(T0))] });
    expect(readCode(await run)).toBe('unexpected-event');
  });

  it('[I3][A8] ids listed in a bucket that matched, and malformed frames, end the session', async () => {
    const [left, right] = inMemoryChannelPair();
    const hostile = portFromChannel(right);
    const run = reconcileLedger(portFromChannel(left), { store: new MemoryLedgerStore(), validation: ctx(T0) });
    hostile.send({ type: 'id-summary', ...summarize([]) });
    hostile.send({ type: 'id-ids', ids: ['cd'.repeat(32)] });
    expect(readCode(await run)).toBe('unexpected-event');

    const [l2, r2] = inMemoryChannelPair();
    const run2 = reconcileLedger(portFromChannel(l2), { store: new MemoryLedgerStore(), validation: ctx(T0) });
    r2.send('{"type":"id-summary","count":0,"buckets":[]}');
    expect(readCode(await run2)).toBe('malformed-message');
  });

  it('[I3] gossip after reconciliation validates pushed events like any others', async () => {
    const store = new MemoryLedgerStore();
    const reg = toSigned(await A.register(T0));
    const pushed = await receivePush({ type: 'id-push', events: [reg, reg] }, { store, validation: ctx(T0) });
    expect(pushed).toMatchObject({ ok: true, value: [expect.any(String)] });
    const bad = await receivePush({ type: 'id-push', events: [{ ...reg, sig: '00'.repeat(64) }] }, { store, validation: ctx(T0) });
    expect(bad).toEqual({ ok: false, error: 'invalid-event' });
  });
});
