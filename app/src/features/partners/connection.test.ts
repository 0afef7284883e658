import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesFromBase64Url, ERROR_MESSAGES, ErrorCode, inMemorySignalingHub, roomIdFromSecret, SIGNALING_ERROR_MESSAGES, testContact, type OrgFingerprint } from '@ihyid/shared';
import { inMemoryLinkNetwork } from '../../network/in-memory-link';
import { cleanupOrgs, connected, org, pair, secret, until as untilView, type Org } from './fake-orgs';
import { closedLinkMessage } from './invitations';

// PartnerConnection on fakes (fake-orgs.ts): what the user reads is asserted from the connection's snapshot.
afterEach(cleanupOrgs);

const until = (o: Org, test: Parameters<typeof untilView>[1]) => untilView(o.connection, test);

describe('PartnerConnection (on fakes)', () => {
  it('[I8] the inviter waits in its room, the invitee joins with the inviter\'s fingerprint, and both see the verified partner', async () => {
    const { a, b } = await pair();
    await a.connection.open(secret(1));
    expect(a.connection.snapshot()).toMatchObject({ status: 'waiting', expected: null });
    await b.connection.open(secret(1), a.fingerprint);
    const [va, vb] = await Promise.all([until(a, (v) => v.status === 'connected'), until(b, (v) => v.status === 'connected')]);
    expect(va).toMatchObject({ partnerName: 'Org B', partnerFingerprint: b.fingerprint, error: null });
    expect(vb).toMatchObject({ partnerName: 'Org A', partnerFingerprint: a.fingerprint, expected: a.fingerprint });
  });

  it('[I8] an invitation link naming another inviter ends both sides with identity-mismatch, nothing connected', async () => {
    const { a, b } = await pair();
    await a.connection.open(secret(2));
    await b.connection.open(secret(2), 'f'.repeat(64) as OrgFingerprint);
    const vb = await until(b, (v) => v.status === 'closed');
    expect(vb.error).toContain('identity-mismatch');
    expect(vb.partnerFingerprint).toBeNull();
    const va = await until(a, (v) => v.status === 'closed');
    expect(va.partnerFingerprint).toBeNull();
  });

  it('[I9] a third organisation on an invitation that bound two reads at once that it was used (the invitee closed its room)', async () => {
    const hub = inMemorySignalingHub();
    const links = inMemoryLinkNetwork();
    const [a, b, c] = await Promise.all([org('Org A', hub, links), org('Org B', hub, links), org('Org C', hub, links)]);
    await a.connection.open(secret(3));
    await b.connection.open(secret(3), a.fingerprint);
    await Promise.all([until(a, connected), until(b, connected)]);
    await c.connection.open(secret(3), a.fingerprint);
    expect(c.connection.snapshot()).toMatchObject({ status: 'closed', error: closedLinkMessage('used') });
  });

  it('[S3] a third organisation on an invitation two are still meeting on reads that it is in use', async () => {
    const hub = inMemorySignalingHub();
    const links = inMemoryLinkNetwork();
    const [a, c] = await Promise.all([org('Org A', hub, links), org('Org C', hub, links)]);
    await a.connection.open(secret(4));
    // A second member that never completes the handshake keeps the room full and unbound.
    await hub.connect().join(roomIdFromSecret(bytesFromBase64Url(secret(4))!), { onPeerJoined() {}, onPeerLeft() {}, onSignal() {} });
    await c.connection.open(secret(4), a.fingerprint);
    expect(c.connection.snapshot()).toMatchObject({ status: 'closed', error: SIGNALING_ERROR_MESSAGES['room-full'] });
  });

  it('[I8] an invitation whose secret is not 32 bytes is refused before any signaling', async () => {
    const hub = inMemorySignalingHub();
    const a = await org('Org A', hub, inMemoryLinkNetwork());
    await a.connection.open('not-a-secret');
    expect(a.connection.snapshot()).toMatchObject({ status: 'closed', error: ERROR_MESSAGES[ErrorCode.InvalidInvitation] });
    expect(hub.members(('0'.repeat(64)) as never)).toEqual([]);
  });

  it('[S1] a partner that leaves before the channel opens puts the inviter back to waiting', async () => {
    const { hub, a, b } = await pair();
    await a.connection.open(secret(4));
    // The invitee's link never connects: it has no link network shared with the inviter.
    const lonely = await org('Org B2', hub, inMemoryLinkNetwork());
    await lonely.connection.open(secret(4), a.fingerprint);
    await until(a, (v) => v.status === 'connecting');
    lonely.connection.leave();
    await until(a, (v) => v.status === 'waiting');
    // The room is free again for the real partner.
    await b.connection.open(secret(4), a.fingerprint);
    await until(a, (v) => v.status === 'connected');
  });

  it('[A3][A4][A5] a psi-v2 check asked by one side, accepted by the other, stored on both with what each learnt', async () => {
    const { a, b } = await pair();
    await a.db.contacts.bulkAdd([testContact('a-1', 'Rami'), testContact('a-2', 'Samir', { lastName: 'Khoury', fatherName: 'Elias' })]);
    await b.db.contacts.bulkAdd([testContact('b-1', 'Rami'), testContact('b-2', 'Nadia', { lastName: 'Saad', sex: 'female' })]);
    await a.connection.open(secret(5));
    await b.connection.open(secret(5), a.fingerprint);
    await Promise.all([until(a, (v) => v.status === 'connected'), until(b, (v) => v.status === 'connected')]);

    await a.connection.requestCheck('psi-v2');
    const consent = await until(b, (v) => v.consent !== null);
    expect(consent.consent).toMatchObject({ protocol: 'psi-v2', theirs: { count: 2 } });
    b.connection.accept();
    const done = await until(a, (v) => !v.checkRunning && (v.notice ?? '').startsWith('Check complete'));
    expect(done.notice).toMatch(/^Check complete: 1 of 2 contacts are also known to Org B\./);
    // psi-v2 gives per-contact results to both sides (A3).
    const answered = await until(b, (v) => !v.checkRunning && (v.notice ?? '').startsWith('Check complete'));
    expect(answered.notice).toMatch(/^Check complete: 1 of 2 contacts are also known to Org A\./);

    expect(await a.db.overlaps.toArray()).toMatchObject([{ contactId: 'a-1', partnerName: 'Org B', protocol: 'psi-v2' }]);
    expect(await b.db.overlaps.toArray()).toMatchObject([{ contactId: 'b-1', partnerName: 'Org A', protocol: 'psi-v2' }]);
    expect(await a.db.checks.toArray()).toMatchObject([{ role: 'asked', sent: 2, known: 1 }]);
  });

  it('[A4] a declined check stores nothing and tells the asker', async () => {
    const { a, b } = await pair();
    await a.db.contacts.add(testContact('a-1', 'Rami'));
    await a.connection.open(secret(6));
    await b.connection.open(secret(6), a.fingerprint);
    await Promise.all([until(a, (v) => v.status === 'connected'), until(b, (v) => v.status === 'connected')]);
    await a.connection.requestCheck('psi-v2');
    await until(b, (v) => v.consent !== null);
    b.connection.decline();
    const view = await until(a, (v) => !v.checkRunning);
    expect(view.notice).toBe('Org B declined the check.');
    expect(await a.db.checks.count()).toBe(0);
    expect(await b.db.checks.count()).toBe(0);
  });

  it('[I6] an unregistered partner is refused with the sentence for each side', async () => {
    const hub = inMemorySignalingHub();
    const links = inMemoryLinkNetwork();
    const [a, b] = await Promise.all([org('Org A', hub, links), org('Org B', hub, links, false)]);
    await a.connection.open(secret(7));
    await b.connection.open(secret(7), a.fingerprint);
    const [va, vb] = await Promise.all([until(a, (v) => v.status === 'closed'), until(b, (v) => v.status === 'closed')]);
    expect(va.error).toContain('identity-unregistered');
    expect(vb.error).toContain('self-unregistered');
  });
});
