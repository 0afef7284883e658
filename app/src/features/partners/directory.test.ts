import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesFromBase64Url, ERROR_MESSAGES, ErrorCode, roomIdFromSecret } from '@ihyid/shared';
import { PartnerConnection, type ConnectionView } from './connection';
import { bind, cleanupOrgs, connected, directory, FAST, onCleanup, pair, pairRoom, secret, until } from './fake-orgs';

// #12 on fakes (fake-orgs.ts): bound partners meet again by themselves, one entry each.
afterEach(cleanupOrgs);

describe('PartnerDirectory (on fakes)', () => {
  it('[I9][#12] an invitation that binds moves its connection under the partner\'s name; a fresh one invites', async () => {
    const { a, b, da, db } = await bind();
    const [entry] = da.snapshot().partners;
    expect(da.snapshot().partners).toHaveLength(1);
    expect(entry).toMatchObject({ name: 'Org B', fingerprint: b.fingerprint });
    expect(entry!.connection.snapshot()).toMatchObject({ status: 'connected', bound: true, partnerName: 'Org B' });
    expect(da.snapshot().invite.snapshot().status).toBe('idle');
    expect(db.snapshot().partners.map((p) => [p.name, p.fingerprint])).toEqual([['Org A', a.fingerprint]]);
  });

  it('[I9][#12] a partner that reloads is met again by itself, in the pair room, and stays one entry', async () => {
    const { hub, a, b, da, db } = await bind();
    const entry = da.snapshot().partners[0]!;
    // B's page goes away: A goes back to waiting for B, in the pair room, not the used link's.
    db.leaveAll();
    await until(entry.connection, (v) => v.status === 'waiting' && v.bound);
    expect(entry.connection.snapshot().partnerName).toBe('Org B');
    const room = await pairRoom(a, b);
    expect(hub.members(room)).toHaveLength(1);
    expect(hub.members(roomIdFromSecret(bytesFromBase64Url(secret(20))!))).toEqual([]);

    // B's page loads again: its directory meets A from its bonds alone.
    const again = directory(b);
    await again.start();
    await Promise.all([until(entry.connection, connected), until(again.snapshot().partners[0]!.connection, connected)]);
    expect(da.snapshot().partners).toHaveLength(1);
    expect(again.snapshot().partners.map((p) => p.name)).toEqual(['Org A']);
  });

  it('[#12] after the signaling server restarts, a partner left waiting joins its room again by itself', async () => {
    const { hub, a, b, da, db } = await bind();
    const entry = da.snapshot().partners[0]!;
    db.leaveAll();
    await until(entry.connection, (v) => v.status === 'waiting');
    const room = await pairRoom(a, b);

    // The server forgets every room; A is told and joins again (without this, B would wait alone).
    hub.restart();
    expect(hub.members(room)).toEqual([]);
    await until(entry.connection, (v) => v.status === 'retrying' || v.status === 'joining');
    await until(entry.connection, (v) => v.status === 'waiting');
    expect(hub.members(room)).toHaveLength(1);

    const again = directory(b);
    await again.start();
    await Promise.all([until(entry.connection, connected), until(again.snapshot().partners[0]!.connection, connected)]);
  });

  it('[#12] an unreachable server is tried again by itself, saying so, until it answers', async () => {
    const { hub, a } = await pair();
    let refusals = 2;
    const deps = { ...a.deps, openSignaling: async () => (refusals-- > 0 ? Promise.reject(new Error('down')) : hub.connect()) };
    const connection = new PartnerConnection(deps, 'Org A', FAST);
    onCleanup(() => connection.leave());
    const seen: ConnectionView[] = [];
    connection.subscribe(() => seen.push(connection.snapshot()));
    await connection.open(secret(21));
    await until(connection, (v) => v.status === 'waiting');
    expect(seen.filter((v) => v.status === 'retrying').map((v) => v.error)).toEqual([ERROR_MESSAGES[ErrorCode.SignalingUnavailable], ERROR_MESSAGES[ErrorCode.SignalingUnavailable]]);
    expect(refusals).toBe(-1);
  });

  it('[#12] Disconnect stops the tries on this side; the partner waits, and Connect meets it again', async () => {
    const { da, db } = await bind();
    const mine = da.snapshot().partners[0]!.connection;
    const theirs = db.snapshot().partners[0]!.connection;
    mine.leave();
    await until(theirs, (v) => v.status === 'waiting' && v.bound);
    expect(mine.snapshot().status).toBe('idle');
    mine.reconnect();
    await Promise.all([until(mine, connected), until(theirs, connected)]);
  });
});
