import { describe, expect, it } from 'vitest';
import { ErrorCode, HlcClock, inMemoryChannelPair, makeVersion, MemorySyncStore, type RecordKey } from '@ihyid/shared';
import { AGAIN_FRAME, DeviceLink, DeviceSyncError } from './device-link';

/** A store holding one version, so a sync that ran would send it. */
function storeWithOne(): MemorySyncStore {
  const store = new MemorySyncStore();
  store.add([makeVersion(new HlcClock('a', () => Date.parse('2026-12-05T08:00:00Z')), { record: 'contacts/x1' as RecordKey, parents: [], op: 'put', data: 'sealed' })]);
  return store;
}

/** The victim's link on one end; the attacker drives the other end's raw frames and records what comes back. */
function victim(initiator: boolean) {
  const [ours, theirs] = inMemoryChannelPair();
  const after: unknown[] = [];
  const store = storeWithOne();
  const sessions = { forSync: () => ({ received: new Map(), refused: 0, items: () => store.items(), get: store.get.bind(store), put: store.put.bind(store), settled: () => Promise.resolve() }) };
  const link = new DeviceLink(ours, sessions, initiator, { after: (result) => after.push(result) });
  ours.onMessage(link.deliver);
  const got: string[] = [];
  theirs.onMessage((frame) => got.push(frame as string));
  const closed = new Promise<void>((resolve) => theirs.onClose(resolve));
  return { link, theirs, got, closed, after };
}

describe('syncs on one open device link (X4, PROTOCOL.md §6.6)', () => {
  it('[X4] the side that made the offer closes the link on an opening round it did not ask for, and sends nothing of its store', async () => {
    const v = victim(true);
    v.theirs.send(JSON.stringify({ type: 'sync-ranges', ranges: [{ lo: '0', hi: 'inf', ids: [] }], last: true }));
    await v.closed;
    expect(v.got).toEqual([]);
  });

  it('[X4] the answering side closes the link on dev-again (only the offerer starts syncs), before any sync', async () => {
    const v = victim(false);
    v.theirs.send(AGAIN_FRAME);
    await v.closed;
    expect(v.got).toEqual([]);
    expect(v.after).toEqual([]);
  });

  it('[X4] a malformed frame in the middle of a sync ends it with malformed-message and closes the link', async () => {
    const v = victim(false);
    v.theirs.send(JSON.stringify({ type: 'sync-ranges', ranges: [{ lo: '0', hi: 'inf', fp: 'AAAAAAAAAAAAAAAAAAAAAA' }], last: false }));
    v.theirs.send('{"type":"sync-records","versions":"not a list"}');
    await v.closed;
    expect(v.got.map((f) => (JSON.parse(f) as { type: string }).type)).toEqual(['sync-abort']);
    expect(v.after).toMatchObject([{ ok: false, error: { code: 'malformed-message' } }]);
  });

  it('[I10] a sync refused before it starts (the other device revoked meanwhile) on a channel the other side already closed ends refused, without throwing', async () => {
    const [ours, theirs] = inMemoryChannelPair();
    const store = storeWithOne();
    const sessions = { forSync: () => ({ received: new Map(), refused: 0, items: () => store.items(), get: store.get.bind(store), put: store.put.bind(store), settled: () => Promise.resolve() }) };
    const after: unknown[] = [];
    const ended = new Promise<void>((resolve) => {
      const link = new DeviceLink(ours, sessions, true, {
        before: async () => {
          theirs.close();
          throw new DeviceSyncError(ErrorCode.PeerRevoked);
        },
        after: (result) => {
          after.push(result);
          resolve();
        },
      });
      link.request();
    });
    await ended;
    expect(after).toMatchObject([{ ok: false, error: { code: ErrorCode.PeerRevoked } }]);
  });
});
