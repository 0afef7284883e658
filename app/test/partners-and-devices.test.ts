import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceKeyOf, deviceRoom } from '../src/features/devices/device-sync';
import { meet, type MeetDeps } from '../src/features/devices/meet';
import { bind, cleanupOrgs, pairRoom, until } from '../src/features/partners/fake-orgs';
import { RecordKeys } from '../src/storage/at-rest/keyring';

// #12 beside X4, on one signaling server (the in-memory hub): the partner directory meets bound
// partners again by itself; the room where the organisation's own devices sync (features/devices) is
// no partner's, so the directory neither lists it nor joins it again. Here, outside features/, a test
// may hold both features.
afterEach(cleanupOrgs);

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

describe('partners and devices on one signaling server', () => {
  it('[#12][X4] a device-sync meeting is not listed as a partner and not joined again after the server restarts; the bound partner is', async () => {
    const { hub, links, a, b, da, db } = await bind();
    const net: MeetDeps = { openSignaling: async () => hub.connect(), openLink: async (options) => links.openLink(options) };
    const room = deviceRoom(deviceKeyOf(new RecordKeys(random(32), random)));
    // Two devices of A's organisation meet in their room, as a sync does.
    const devices = await Promise.all([meet(net, room, new AbortController().signal), meet(net, room, new AbortController().signal)]);
    expect(hub.members(room)).toHaveLength(2);
    expect(da.snapshot().partners.map((p) => p.name)).toEqual(['Org B']);

    // B goes away and A waits for it in their pair room; then the server restarts, forgetting every room.
    const entry = da.snapshot().partners[0]!;
    db.leaveAll();
    await until(entry.connection, (v) => v.status === 'waiting');
    hub.restart();
    await until(entry.connection, (v) => v.status === 'retrying' || v.status === 'joining');
    await until(entry.connection, (v) => v.status === 'waiting');
    expect(hub.members(await pairRoom(a, b))).toHaveLength(1);
    expect(hub.members(room)).toEqual([]);
    expect(da.snapshot().partners.map((p) => p.name)).toEqual(['Org B']);
    for (const d of devices) d.close();
  });
});
