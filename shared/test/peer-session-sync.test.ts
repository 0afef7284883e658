import { describe, expect, it } from 'vitest';
import { inMemoryChannelPair } from '../src/peer/channel.js';
import { PEER_PROTOCOL_VERSIONS } from '../src/peer/protocol.js';
import type { ProtocolError } from '../src/core/errors.js';
import type { Result } from '../src/core/result.js';
import type { SyncStats } from '../src/sync/session.js';
import type { RecordKey } from '../src/sync/version.js';
import { org, settle, until } from './support/check-org.js';
import { FakeTime, Replica } from './support/sync-replica.js';

type Done = Result<SyncStats, ProtocolError>;

function replicaWith(node: string, time: FakeTime, from: number, count: number): Replica {
  const r = new Replica(node, time);
  for (let i = from; i < from + count; i++) r.write({ record: `contacts/c${i}` as RecordKey, parents: [], op: 'put', data: `{"n":${i}}` });
  return r;
}

async function waitFor<T>(get: () => T | undefined): Promise<T> {
  for (let i = 0; i < 5000; i++) {
    const value = get();
    if (value !== undefined) return value;
    await settle();
  }
  throw new Error('timed out waiting');
}

describe('sync inside a peer session (X4)', () => {
  it('[X4] two devices of one organisation sync once the session is ready, and the session stays open for checks', async () => {
    const time = new FakeTime();
    const laptop = replicaWith('a', time, 0, 700);
    const phone = replicaWith('b', time, 500, 400);
    const [ca, cb] = inMemoryChannelPair();
    let doneA: Done | undefined;
    let doneB: Done | undefined;
    const a = org('Org', ca, [], { sync: { store: laptop.store, initiator: true, onDone: (r) => (doneA = r) } });
    const b = org('Org', cb, [], { sync: { store: phone.store, initiator: false, onDone: (r) => (doneB = r) } });
    a.session.start();
    b.session.start();
    await until(a.events, 'ready');
    const ra = await waitFor(() => doneA);
    const rb = await waitFor(() => doneB);
    expect(ra).toEqual({ ok: true, value: expect.objectContaining({ sent: 700, received: 400 }) });
    expect(rb).toEqual({ ok: true, value: expect.objectContaining({ sent: 400, received: 700 }) });
    const ids = (r: Replica) => new Set(r.store.all().map((v) => v.id));
    expect(ids(laptop)).toEqual(ids(phone));
    expect(laptop.store.size).toBe(1100);
    expect(a.session.isOpen && b.session.isOpen).toBe(true);
  }, 120_000);

  it('[X4] a partner session without sync (another organisation) ends on a sync frame, and says so to the sender', async () => {
    const [raw, mine] = inMemoryChannelPair();
    const received: string[] = [];
    raw.onMessage((f) => received.push(f as string));
    const victim = org('Org B', mine, []);
    victim.session.start();
    raw.send(JSON.stringify({ type: 'hello', protocol: 'ihyid-peer', versions: [...PEER_PROTOCOL_VERSIONS], orgName: 'Mallory' }));
    raw.send(JSON.stringify({ type: 'ready' }));
    await until(victim.events, 'ready');
    raw.send(JSON.stringify({ type: 'sync-ranges', ranges: [{ lo: '0', hi: 'inf', ids: [] }], last: true }));
    const closed = await until(victim.events, 'closed');
    expect(closed.error?.code).toBe('unexpected-message');
    expect(received.map((f) => JSON.parse(f) as { type: string; code?: string }).at(-1)).toEqual({ type: 'error', code: 'unexpected-message' });
  }, 120_000);

  it('[X4] a device that sends a bad version ends the session with invalid-item, and nothing of that frame is stored', async () => {
    const time = new FakeTime();
    const phone = new Replica('b', time);
    const [raw, mine] = inMemoryChannelPair();
    const received: string[] = [];
    raw.onMessage((f) => received.push(f as string));
    let done: Done | undefined;
    const victim = org('Org', mine, [], { sync: { store: phone.store, initiator: false, onDone: (r) => (done = r) } });
    victim.session.start();
    raw.send(JSON.stringify({ type: 'hello', protocol: 'ihyid-peer', versions: [...PEER_PROTOCOL_VERSIONS], orgName: 'Org' }));
    raw.send(JSON.stringify({ type: 'ready' }));
    await until(victim.events, 'ready');
    const good = new Replica('m', time).write({ record: 'contacts/x' as RecordKey, parents: [], op: 'put', data: '{}' });
    raw.send(JSON.stringify({ type: 'sync-ranges', ranges: [{ lo: '0', hi: 'inf', ids: [] }], last: true }));
    raw.send(JSON.stringify({ type: 'sync-records', versions: [good.body, { ...good.body, parents: ['zz'] }] }));
    const closed = await until(victim.events, 'closed');
    expect(closed.error?.code).toBe('invalid-item');
    expect(done?.ok).toBe(false);
    expect(phone.store.size).toBe(0);
    expect(received.map((f) => (JSON.parse(f) as { type: string }).type)).toContain('sync-abort');
  }, 120_000);
});
