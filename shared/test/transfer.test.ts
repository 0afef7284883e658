import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inMemoryChannelPair } from '../src/peer/channel.js';
import { base64ToBytes, bytesToBase64 } from '../src/core/hex.js';
import { CHUNK_CHARS, firstDuplicate, ItemReceiver } from '../src/check/transfer.js';
import { encodePeerMessage, MAX_FRAME_CHARS } from '../src/peer/protocol.js';
import type { CheckId } from '../src/core/ids.js';
import { uscadiV1 } from '../src/check/uscadi-v1.js';
import { items, org, phoneticKey, until } from './support/check-org.js';
import { seededRandom } from './support/seeded.js';

describe('transfers (A7)', () => {
  it('[A7] base64 round-trips every length and matches the standard encoding', () => {
    const random = seededRandom('b64');
    for (let n = 0; n < 70; n++) {
      const bytes = random(n);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(text)).toEqual(bytes);
    }
    expect(base64ToBytes('ab$=')).toBeNull();
    expect(base64ToBytes('abc')).toBeNull();
  });

  it('[A7] a full chunk of points fits one frame', () => {
    const frame = encodePeerMessage({ type: 'transfer-chunk', checkId: '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4' as CheckId, stream: 'psi-blinded', seq: 999_999, data: 'A'.repeat(CHUNK_CHARS) });
    expect(frame.length).toBeLessThan(MAX_FRAME_CHARS);
  });

  it('[A8] a receiver takes chunks in order, never more than announced, exactly that many at the end', () => {
    const r = new ItemReceiver('psi-blinded', 3, 2);
    expect(r.chunk(1, bytesToBase64(new Uint8Array(2))).ok).toBe(false);
    expect(r.chunk(0, bytesToBase64(new Uint8Array([1, 2, 3, 4]))).ok).toBe(true);
    expect(r.end()).toMatchObject({ ok: false, error: { code: 'unexpected-message' } });
    expect(r.chunk(1, bytesToBase64(new Uint8Array(4)))).toMatchObject({ ok: false, error: { code: 'size-exceeded' } });
    expect(r.chunk(1, bytesToBase64(new Uint8Array([5, 6]))).ok).toBe(true);
    expect(r.end()).toEqual({ ok: true, value: new Uint8Array([1, 2, 3, 4, 5, 6]) });
    expect(firstDuplicate(new Uint8Array([1, 2, 3, 4, 1, 2]), 2)).toBe(2);
    expect(firstDuplicate(new Uint8Array([1, 2, 3, 4]), 2)).toBe(-1);
  });
});

describe('uscadi-v1 (A2)', () => {
  it('[A2] is HMAC-SHA256 keyed by the contact secret over the key\'s canonical JSON', () => {
    const secret = '59c55a729967035702716ef6ec26094f65c737605e4220679913ce776d355a3a';
    const key = phoneticKey('H550-H330-B616-M240-19760507');
    expect(key).toBe('{"id":"H550-H330-B616-M240-19760507","kind":"phonetic-v0","v":0}');
    const expected = createHmac('sha256', Buffer.from(secret, 'hex')).update(key, 'utf8').digest('hex');
    expect(uscadiV1(key, secret)).toBe(expected);
    // The vector of PROTOCOL.md §3.3, computed with Node's crypto.createHmac.
    expect(uscadiV1(key, secret)).toBe('5d30881d93107089b834793f7b1fc6ea7942101c7270b42b13a1c9b1d61fb56f');
  });

  it('[A2][A4] the seed flow runs on match keys: a contact known by any one of its keys counts once', async () => {
    const phone = (n: number) => `{"kind":"phone-v1","number":"+96130000${n}","v":1}`;
    const mine = items(['H550-N236-G500-A630-19800101', 'H655-N236-G500-A630-19800101', 'V236-N236-G500-A630-19800101'], 'a', (i) => [phone(i)]);
    // B knows contact 0 by both keys, contact 1 by phone only, contact 2 not at all.
    const theirs = items(['H550-N236-G500-A630-19800101', 'X000-N236-G500-A630-19800101'], 'b', (i) => [phone(i)]);
    const [ca, cb] = inMemoryChannelPair();
    const a = org('Org A', ca, mine);
    const b = org('Org B', cb, theirs);
    a.session.start();
    b.session.start();
    await until(a.events, 'ready');
    expect(a.session.requestCheck('uscadi-v1', mine).ok).toBe(true);
    const consent = await until(b.events, 'consent-requested');
    expect(consent).toMatchObject({ protocol: 'uscadi-v1', theirs: { count: 3, items: 6 } });
    b.session.acceptCheck(consent.checkId);
    const done = await until(a.events, 'check-completed');
    expect([...done.known].sort()).toEqual([mine[0]!.contactId, mine[1]!.contactId].sort());
    expect(await until(b.events, 'check-answered')).toMatchObject({ count: 3, known: 3 });
  });
});
