// I9: closing a used or revoked link's room, attacked with a raw socket.io-client as the server's
// operator (or anyone who saw a room id) would. Proofs are made here with node:crypto, independently
// of shared/'s code, following PROTOCOL.md §1.3.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collect, fetchMetrics, flush, join, nextEvent, serverPerTest, type Client } from './helpers.js';

const { client, url } = serverPerTest({ MAX_CLOSES_PER_MINUTE: '3' });

/** A link's secret, the proof only its holders can make, and the room id the server sees. */
function link(): { proof: string; roomId: string } {
  const proof = createHmac('sha256', randomBytes(32)).update('ihyid-room-close-v1').digest();
  return { proof: proof.toString('hex'), roomId: createHash('sha256').update(proof).digest('hex') };
}

const close = (socket: Client, request: unknown): Promise<unknown> => socket.timeout(2000).emitWithAck('close-room', request);
const tryJoin = (socket: Client, roomId: string): Promise<unknown> => socket.timeout(2000).emitWithAck('join', { roomId, version: 1 });

describe('close-room (I9)', () => {
  it('[I9] a close-room with a wrong proof is refused with bad-proof, and the room stays open', async () => {
    const { roomId } = link();
    const attacker = await client();
    expect(await close(attacker, { roomId, proof: randomBytes(32).toString('hex'), reason: 'revoked' })).toEqual({ ok: false, code: 'bad-proof' });
    // Another link's valid proof does not close this room either.
    expect(await close(attacker, { roomId, proof: link().proof, reason: 'used' })).toEqual({ ok: false, code: 'bad-proof' });
    const invitee = await client();
    const joined = await join(invitee, roomId);
    expect(joined.peers).toEqual([]);
  });

  it('[I9] the room id alone cannot close the room: whatever is computed from it is refused', async () => {
    const { roomId } = link();
    const operator = await client();
    const fromId = [
      roomId,
      createHash('sha256').update(Buffer.from(roomId, 'hex')).digest('hex'),
      createHmac('sha256', Buffer.from(roomId, 'hex')).update('ihyid-room-close-v1').digest('hex'),
    ];
    for (const proof of fromId) expect(await close(operator, { roomId, proof, reason: 'used' })).toEqual({ ok: false, code: 'bad-proof' });
    const invitee = await client();
    expect((await join(invitee, roomId)).ok).toBe(true);
  });

  it('[I9] after a valid close, a join is refused at once with the reason, with nobody else in the room', async () => {
    const used = link();
    const revoked = link();
    const inviter = await client();
    expect(await close(inviter, { ...used, reason: 'used' })).toEqual({ ok: true });
    expect(await close(inviter, { ...revoked, reason: 'revoked' })).toEqual({ ok: true });
    // The inviter is gone: the server alone answers.
    inviter.close();
    const stranger = await client();
    expect(await tryJoin(stranger, used.roomId)).toEqual({ ok: false, code: 'room-closed', reason: 'used' });
    expect(await tryJoin(stranger, revoked.roomId)).toEqual({ ok: false, code: 'room-closed', reason: 'revoked' });
    // A refusal is not an offence: the stranger is still connected and may join other rooms.
    expect((await join(stranger, link().roomId)).ok).toBe(true);
    expect(await fetchMetrics(url())).toMatch(/^ihyid_signaling_rooms_closed_total 2$/m);
  });

  it('[I9] the members still in a room are told it was closed, with the reason', async () => {
    const { roomId, proof } = link();
    const [waiting, other] = [await client(), await client()];
    await join(waiting, roomId);
    const told = nextEvent(waiting, 'room-closed');
    const outsider = collect(other, 'room-closed');
    const inviter = await client();
    expect(await close(inviter, { roomId, proof, reason: 'revoked' })).toEqual({ ok: true });
    expect(await told).toEqual({ roomId, reason: 'revoked' });
    await flush(other);
    expect(outsider).toEqual([]);
  });

  it('[S3] closes past MAX_CLOSES_PER_MINUTE are refused rate-limited and record nothing', async () => {
    const flood = await client();
    for (let i = 0; i < 3; i++) expect(await close(flood, { ...link(), reason: 'used' })).toEqual({ ok: true });
    const extra = link();
    expect(await close(flood, { ...extra, reason: 'used' })).toEqual({ ok: false, code: 'rate-limited' });
    expect((await join(await client(), extra.roomId)).ok).toBe(true);
  });

  it('[S3] a malformed close-room is refused typed, and nothing is closed', async () => {
    const { roomId, proof } = link();
    const sender = await client();
    expect(await close(sender, { roomId, proof, reason: 'expired' })).toEqual({ ok: false, code: 'malformed-message' });
    expect(await close(sender, { roomId, proof: proof.toUpperCase(), reason: 'used' })).toEqual({ ok: false, code: 'malformed-message' });
    const dropped = nextEvent(sender, 'error-message');
    sender.emit('close-room', { roomId, proof, reason: 'used' });
    expect(await dropped).toEqual({ code: 'malformed-message', event: 'close-room' });
    expect((await join(await client(), roomId)).ok).toBe(true);
  });
});
