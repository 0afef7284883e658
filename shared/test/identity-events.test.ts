import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  acceptEvents,
  eventId,
  eventMessage,
  loadValidated,
  MemoryLedgerStore,
  signEvent,
  toSigned,
  validateEvent,
  DEFAULT_LEDGER_RULES,
} from '../src/identity/index.js';
import { ctx, HOUR, MIN, org, T0, VECTORS } from './identity-fixtures.js';

const A = org('A');
const B = org('B');

describe('ledger events (I3)', () => {
  it('[I3] signs and hashes exactly UTF-8("ihyid-event-v1" LF canonical JSON): PROTOCOL.md vector', async () => {
    const event = await A.register(T0);
    const canonical = `{"at":${T0},"author":"${VECTORS.A.pk}","kind":"register","nonce":${VECTORS.A.nonce},"seed":"${VECTORS.A.seed}","v":1}`;
    expect(new TextDecoder().decode(eventMessage(event.body))).toBe(`ihyid-event-v1\n${canonical}`);
    // Independent: node:crypto over the same string.
    const id = createHash('sha256').update(`ihyid-event-v1\n${canonical}`).digest('hex');
    expect(event.id).toBe(id);
    expect(event.id).toBe('f6d49b12d64ccd121a815c5429ed8dfb38f8419ac3c7b8472c79580304bff8b5');
    // Ed25519 is deterministic (RFC 8032), so the signature is a vector too.
    expect(event.sig).toBe(
      '54a3fd750e06d3e9180add0084a1b63d31072ec6d0cd6991abca33df75ced6494ac5ecb2929687e9675b38520df6f67401573cf2aaf72a6ad703c2b92cb9f101',
    );
  });

  it('[I3] content-addressed: the same body is the same event, whatever the key order on the wire', async () => {
    const event = await A.register(T0);
    const shuffled = { sig: event.sig, body: { v: 1, seed: VECTORS.A.seed, nonce: VECTORS.A.nonce, kind: 'register', at: T0, author: VECTORS.A.pk } };
    const result = await validateEvent(JSON.parse(JSON.stringify(shuffled)), ctx(T0));
    expect(result.ok && result.value.id).toBe(event.id);
    expect(eventId(event.body)).toBe(event.id);
  });

  it('[I3] a valid registration passes: shape, signature, proof of work', async () => {
    const result = await validateEvent(toSigned(await A.register(T0)), ctx(T0));
    expect(result.ok).toBe(true);
  });

  it('[I3] a tampered body fails the signature check', async () => {
    const event = await A.register(T0);
    const result = await validateEvent({ body: { ...event.body, at: T0 + 1 }, sig: event.sig }, ctx(T0));
    expect(result).toEqual({ ok: false, error: 'bad-signature' });
  });

  it('[I2][I3] a registration whose work is short is refused, even when properly signed', async () => {
    const weak = await signEvent(A.signer, { kind: 'register', at: T0, seed: VECTORS.A.seed, nonce: VECTORS.A.nonce + 1 });
    expect(await validateEvent(toSigned(weak), ctx(T0))).toEqual({ ok: false, error: 'insufficient-work' });
  });

  it('[I2][I3] the difficulty never comes from the message: a `bits` field is refused, and the local rule decides', async () => {
    const event = await A.register(T0);
    const claimed = { ...toSigned(event), body: { ...event.body, bits: 1 } };
    expect(await validateEvent(claimed, ctx(T0))).toEqual({ ok: false, error: 'malformed-event' });
    const stricter = { ...ctx(T0), rules: { ...DEFAULT_LEDGER_RULES, registrationBits: 24 } };
    expect(await validateEvent(toSigned(event), stricter)).toEqual({ ok: false, error: 'insufficient-work' });
  });

  it('[I3] events from the future beyond the bounded clock skew are refused; within it they pass', async () => {
    const reg = toSigned(await A.register(T0 + 5 * MIN));
    expect((await validateEvent(reg, ctx(T0))).ok).toBe(true);
    const far = toSigned(await A.register(T0 + 5 * MIN + 1));
    expect(await validateEvent(far, ctx(T0))).toEqual({ ok: false, error: 'future-event' });
    expect((await validateEvent(far, ctx(T0 + HOUR))).ok).toBe(true);
  });

  it('[I5] a challenge to oneself and [I7] an attestation of oneself are refused', async () => {
    const self = await signEvent(A.signer, { kind: 'challenge', at: T0, target: A.key, rand: '00'.repeat(16) });
    expect(await validateEvent(toSigned(self), ctx(T0))).toEqual({ ok: false, error: 'self-reference' });
    const selfAttest = await signEvent(A.signer, { kind: 'attest', at: T0, subject: A.key, name: 'n', schema: 's', valueHash: '00'.repeat(32), expires: T0 + 1 });
    expect(await validateEvent(toSigned(selfAttest), ctx(T0))).toEqual({ ok: false, error: 'self-reference' });
  });

  it('[I3] malformed input is a value, never an exception', async () => {
    for (const raw of [null, 1, 'x', {}, { body: {}, sig: '' }, { body: { kind: 'nope' }, sig: '00'.repeat(64) }]) {
      expect(await validateEvent(raw, ctx(T0))).toEqual({ ok: false, error: 'malformed-event' });
    }
  });

  it('[I3] replayed events are idempotent: accepting the same event twice stores it once', async () => {
    const store = new MemoryLedgerStore();
    const reg = toSigned(await A.register(T0));
    const first = await acceptEvents(store, [reg, toSigned(await B.register(T0))], ctx(T0));
    const again = await acceptEvents(store, [reg, reg], ctx(T0));
    expect(first.added).toHaveLength(2);
    expect(again).toEqual({ added: [], duplicates: 2, rejected: [] });
    expect(await store.ids()).toHaveLength(2);
  });

  it('[I3] re-validated on load: a stored event that fails today (tampered storage) is left out', async () => {
    const good = await A.register(T0);
    const b = await B.register(T0);
    const tampered = { ...b, body: { ...b.body, at: T0 + 1 } };
    const store = new MemoryLedgerStore([good, tampered]);
    const loaded = await loadValidated(store, ctx(T0 + HOUR));
    expect(loaded.events.map((e) => e.id)).toEqual([good.id]);
    expect(loaded.invalid).toEqual([b.id]);
  });
});
