import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../src/core/errors.js';
import { formatBound } from '../src/sync/fingerprint.js';
import type { SyncMessage } from '../src/sync/messages.js';
import { runSync } from '../src/sync/session.js';
import { MemorySyncStore } from '../src/sync/store.js';
import { inMemorySyncLink } from '../src/sync/transport.js';
import type { RecordKey } from '../src/sync/version.js';
import { FakeTime, Replica, snapshot, syncStores } from './support/sync-replica.js';

const contact = (n: number) => `contacts/c${n}` as RecordKey;

/** A replica holding `count` new contacts, written a few milliseconds apart. */
function filled(node: string, time: FakeTime, from: number, count: number): Replica {
  const r = new Replica(node, time);
  for (let i = from; i < from + count; i++) {
    r.write({ record: contact(i), parents: [], op: 'put', data: `{"firstName":"N${i}"}` });
    time.advance(3);
  }
  return r;
}

const idsOf = (store: MemorySyncStore) => new Set(store.all().map((v) => v.id));

describe('sync session (X4)', () => {
  it('[X4] two empty devices end at once', async () => {
    const r = await syncStores(new MemorySyncStore(), new MemorySyncStore());
    expect(r.a).toEqual({ ok: true, value: { rounds: 1, sent: 0, received: 0 } });
    expect(r.b).toEqual({ ok: true, value: { rounds: 1, sent: 0, received: 0 } });
  }, 120_000);

  it('[X4] a new device receives every version of a full one, and both hold the same set', async () => {
    const time = new FakeTime();
    const full = filled('a', time, 0, 2000);
    const fresh = new Replica('b', time);
    const r = await syncStores(fresh.store, full.store);
    expect(r.a.ok && r.a.value.received).toBe(2000);
    expect(r.b.ok && r.b.value.sent).toBe(2000);
    expect(idsOf(fresh.store)).toEqual(idsOf(full.store));
    expect(snapshot(fresh.store)).toEqual(snapshot(full.store));
  }, 120_000);

  it('[X4] devices that worked apart each get what the other made, whoever starts', async () => {
    const time = new FakeTime();
    const a = filled('a', time, 0, 600);
    const b = new Replica('b', time);
    b.store.add(a.store.all());
    for (let i = 600; i < 900; i++) a.write({ record: contact(i), parents: [], op: 'put', data: '{}' });
    for (let i = 900; i < 1100; i++) b.write({ record: contact(i), parents: [], op: 'put', data: '{}' });
    const r = await syncStores(b.store, a.store);
    expect(r.a.ok && r.b.ok).toBe(true);
    expect(r.a.ok && r.a.value).toMatchObject({ sent: 200, received: 300 });
    expect(idsOf(a.store)).toEqual(idsOf(b.store));
    expect(a.store.size).toBe(1100);
  }, 120_000);

  it('[X4] a second sync right after the first costs one range each way', async () => {
    const time = new FakeTime();
    const a = filled('a', time, 0, 3000);
    const b = new Replica('b', time);
    await syncStores(a.store, b.store);
    const again = await syncStores(a.store, b.store);
    expect(again.a).toEqual({ ok: true, value: { rounds: 1, sent: 0, received: 0 } });
    expect(again.chars[0] + again.chars[1]).toBeLessThan(250);
  }, 120_000);
});

/** The victim runs a real sync on end 0; the test drives end 1 as a hostile device would. */
function attack(store = new MemorySyncStore()) {
  const link = inMemorySyncLink();
  const seen: (SyncMessage | null)[] = [];
  link.ends[1].onMessage((m) => seen.push(m));
  const result = runSync({ transport: link.ends[0], store, initiator: false, maxRounds: 5 });
  return { link, seen, result, store, send: link.ends[1].send };
}

const universe = { lo: { ts: 0, prefix: '' }, hi: { ts: Infinity, prefix: '' } };

/** A store that keeps what it receives until `flush`, as the app's stores 1,000 per transaction; `fail` makes the flush fail. */
class KeepingStore extends MemorySyncStore {
  kept: Parameters<MemorySyncStore['put']>[0][] = [];
  flushes = 0;
  constructor(private readonly fail = false) {
    super();
  }
  override async put(versions: Parameters<MemorySyncStore['put']>[0]): Promise<void> {
    this.kept.push(versions);
  }
  async flush(): Promise<void> {
    this.flushes++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.fail) throw new Error('the disk is full');
    for (const versions of this.kept.splice(0)) this.add(versions);
  }
}

describe('sync session with a store that writes late (X4)', () => {
  it('[X4] a sync ends only after the store has written what it kept, and a store that cannot write fails the sync', async () => {
    const time = new FakeTime();
    const full = filled('a', time, 0, 300);
    const keeping = new KeepingStore();
    const r = await syncStores(keeping, full.store);
    expect(r.a.ok && r.a.value.received).toBe(300);
    // Every version is held when runSync resolves: nothing is left kept.
    expect(keeping.flushes).toBe(1);
    expect(keeping.kept).toEqual([]);
    expect(idsOf(keeping)).toEqual(idsOf(full.store));
    const broken = new KeepingStore(true);
    const failed = await syncStores(broken, full.store);
    expect(failed.a.ok).toBe(false);
    expect(!failed.a.ok && failed.a.error.code).toBe(ErrorCode.Internal);
    expect(broken.size).toBe(0);
  }, 120_000);
});

describe('sync session under attack (X4)', () => {
  it('[X4] a version that fails to parse stops the sync with invalid-item, and nothing of its frame is stored', async () => {
    const time = new FakeTime();
    const good = new Replica('m', time).write({ record: contact(1), parents: [], op: 'put', data: '{}' });
    const a = attack();
    a.send({ type: 'sync-ranges', ranges: [{ ...universe, ids: [] }], last: true });
    a.send({ type: 'sync-records', versions: [good.body, { ...good.body, op: 'delete' }] });
    const result = await a.result;
    expect(result.ok === false && result.error.code).toBe(ErrorCode.InvalidItem);
    expect(a.store.size).toBe(0);
    expect(a.seen.at(-1)).toEqual({ type: 'sync-abort', code: ErrorCode.InvalidItem });
  }, 120_000);

  it('[I10][X4] hops travel with their versions, and a frame whose hops do not line up with its versions is refused with nothing stored', async () => {
    const time = new FakeTime();
    const good = new Replica('m', time).write({ record: contact(1), parents: [], op: 'put', data: '{}' });
    const hop = `${'ab'.repeat(8)}:1767225600000`;
    const a = attack();
    a.send({ type: 'sync-ranges', ranges: [{ ...universe, ids: [] }], last: true });
    a.send({ type: 'sync-records', versions: [good.body], via: [[hop]] });
    a.send({ type: 'sync-records', versions: [good.body], via: [[hop], [hop]] });
    const result = await a.result;
    expect(result.ok === false && result.error.code).toBe(ErrorCode.MalformedMessage);
    // The first frame's version was stored with its hop; the second frame stored nothing.
    expect(a.store.all()).toEqual([{ ...good, via: [hop] }]);
    // A hop that is not one (no time, or not a key prefix) fails the frame's schema.
    const b = attack();
    b.send({ type: 'sync-ranges', ranges: [{ ...universe, ids: [] }], last: true });
    b.send({ type: 'sync-records', versions: [good.body], via: [['not-a-hop']] });
    expect(((await b.result) as { ok: false; error: { code: string } }).error.code).toBe(ErrorCode.MalformedMessage);
    expect(b.store.size).toBe(0);
  }, 120_000);

  it('[I10][X4] a version relayed by a device that sends its hops: the receiving store gets them as sent', async () => {
    const time = new FakeTime();
    const full = filled('a', time, 0, 3);
    const hop = `${'cd'.repeat(8)}:1767225600000`;
    const relay = new MemorySyncStore();
    relay.add(full.store.all().map((v) => ({ ...v, via: [hop] })));
    const fresh = new MemorySyncStore();
    await syncStores(fresh, relay);
    expect(fresh.all().map((v) => v.via)).toEqual([[hop], [hop], [hop]]);
  }, 120_000);

  it('[X4] sync-end before reconciliation ended is refused', async () => {
    const a = attack();
    a.send({ type: 'sync-end' });
    const result = await a.result;
    expect(result.ok === false && result.error.code).toBe(ErrorCode.UnexpectedMessage);
    expect(a.seen.at(-1)).toEqual({ type: 'sync-abort', code: ErrorCode.UnexpectedMessage });
  }, 120_000);

  it('[X4] a device that never stops sending fingerprints is cut off after the round limit', async () => {
    const a = attack();
    let rounds = 0;
    a.link.ends[1].onMessage((m) => {
      if (m?.type === 'sync-ranges' && m.last && rounds++ < 50) a.send({ type: 'sync-ranges', ranges: [{ ...universe, fp: 'A'.repeat(22) }], last: true });
    });
    a.send({ type: 'sync-ranges', ranges: [{ ...universe, fp: 'A'.repeat(22) }], last: true });
    const result = await a.result;
    expect(result.ok === false && result.error.code).toBe(ErrorCode.TooManyItems);
    expect(rounds).toBe(5);
  }, 120_000);

  it('[X4] a frame that is not a sync message ends the sync with malformed-message', async () => {
    const a = attack();
    // The link parses what it carries: a bound that is not a bound arrives as null.
    a.send({ type: 'sync-ranges', ranges: [{ lo: { ts: -5, prefix: '' }, hi: universe.hi, ids: [] }], last: true });
    expect(formatBound({ ts: -5, prefix: '' })).toBe('-5');
    const result = await a.result;
    expect(result.ok === false && result.error.code).toBe(ErrorCode.MalformedMessage);
  }, 120_000);

  it('[X4] a link that closes mid-sync ends it with peer-closed', async () => {
    const a = attack();
    a.link.close();
    const result = await a.result;
    expect(result.ok === false && result.error.code).toBe(ErrorCode.PeerClosed);
  }, 120_000);
});
