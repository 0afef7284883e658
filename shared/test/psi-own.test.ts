import { describe, expect, it } from 'vitest';
import type { CheckWork } from '../src/check/overlap-check.js';
import { BlindedList, shuffledOrder } from '../src/check/psi-own.js';
import { base64ToBytes } from '../src/core/hex.js';
import { inlineWork, items, settle } from './support/check-org.js';
import { againstRawPeer } from './support/raw-peer.js';
import { seededRandom } from './support/seeded.js';

const points = (n: number, fill: number) => new Uint8Array(n * 32).fill(fill);

describe('psi-v2: our blinded list goes out as it is blinded (A3, A7)', () => {
  it('[A3] the wire order is a permutation of our keys, drawn from the session randomness', () => {
    const order = shuffledOrder(1000, seededRandom('order'));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...order]).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect([...shuffledOrder(1000, seededRandom('other'))]).not.toEqual([...order]);
  });

  it('[A7] a chunk is ready only once every point before its end is blinded, whatever order the batches finish in', async () => {
    const own = new BlindedList(3000);
    let woke = 0;
    void own.ready(2048)?.then(() => woke++);
    own.add(1024, points(1024, 2));
    await settle();
    expect(woke).toBe(0);
    expect(own.ready(1024)).not.toBeNull();
    own.add(0, points(1024, 1));
    await settle();
    expect(woke).toBe(1);
    expect(own.ready(2048)).toBeNull();
    expect([own.wire[0], own.wire[1024 * 32], own.wire[2048 * 32]]).toEqual([1, 2, 0]);
    // A blinding that ends without its last batch (a failure, a cancel) wakes every waiting sender.
    const last = own.ready(3000);
    own.end();
    await expect(last).resolves.toBeUndefined();
  });

  it('[A3][A7] the first chunk is on the wire before the last batch is blinded, and the stream is whole at the end', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // The real blinding, its second part held back behind the gate.
    const work: CheckWork = {
      ...inlineWork,
      psi: {
        ...inlineWork.psi,
        async blind(scalar, checkId, keys, hooks) {
          const all = await inlineWork.psi.blind(scalar, checkId, keys);
          hooks?.onPoints?.(0, all.subarray(0, 1024 * 32));
          await gate;
          hooks?.onPoints?.(1024, all.subarray(1024 * 32));
          return all;
        },
      },
    };
    const { victim, send, sent } = await againstRawPeer([], { work });
    const mine = items(Array.from({ length: 1100 }, (_, i) => `K${i}`), 'own');
    const requested = victim.session.requestCheck('psi-v2', mine);
    if (!requested.ok) throw new Error('request refused');
    send({ type: 'check-accept', checkId: requested.value, count: 1, items: 1 });
    const chunks = () => sent().filter((m) => m.type === 'transfer-chunk');
    for (let i = 0; i < 400 && chunks().length === 0; i++) await settle();
    for (let i = 0; i < 20; i++) await settle();
    expect(chunks().map((m) => m.seq)).toEqual([0]);
    expect(sent().some((m) => m.type === 'transfer-end')).toBe(false);
    open();
    for (let i = 0; i < 400 && !sent().some((m) => m.type === 'transfer-end'); i++) await settle();
    const wire = chunks().map((m) => base64ToBytes(m.data as string)!);
    expect(wire.map((c) => c.length / 32)).toEqual([1024, 76]);
    // Every point is distinct and none is left unwritten.
    const all = new Set(wire.flatMap((c) => Array.from({ length: c.length / 32 }, (_, i) => c.subarray(i * 32, (i + 1) * 32).join(','))));
    expect(all.size).toBe(1100);
    expect(all.has(new Uint8Array(32).join(','))).toBe(false);
  });
});
