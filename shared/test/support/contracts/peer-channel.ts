import { describe, expect, it } from 'vitest';
import type { PeerChannel } from '../../../src/peer/channel.js';

/** Waits until `test` holds, a macrotask at a time (no time limit beyond the test's own). */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 1));
}

/**
 * What the peer protocol needs of a transport (shared/src/peer/channel.ts), asked of every
 * implementation: the in-memory pair (shared/test), the app's in-memory link fake (app/test), and the
 * WebRTC link in the browser through the e2e suite. `open` returns two connected ends.
 */
export function runPeerChannelContract(name: string, open: () => Promise<[PeerChannel, PeerChannel]>): void {
  describe(`PeerChannel contract: ${name}`, () => {
    it('[A7] delivers text frames in order, both ways', async () => {
      const [a, b] = await open();
      const atA: unknown[] = [];
      const atB: unknown[] = [];
      a.onMessage((f) => atA.push(f));
      b.onMessage((f) => atB.push(f));
      for (let i = 0; i < 50; i++) a.send(`a${i}`);
      b.send('b0');
      b.send('b1');
      await until(() => atB.length === 50 && atA.length === 2);
      expect(atB).toEqual(Array.from({ length: 50 }, (_, i) => `a${i}`));
      expect(atA).toEqual(['b0', 'b1']);
      a.close();
    });

    it('[A8] frames sent before close arrive before the other side learns of the close', async () => {
      const [a, b] = await open();
      const seen: string[] = [];
      b.onMessage((f) => seen.push(String(f)));
      b.onClose(() => seen.push('closed'));
      a.send('error');
      a.close();
      await until(() => seen.includes('closed'));
      expect(seen).toEqual(['error', 'closed']);
    });

    it('[A8] close reaches both ends once, is idempotent, and a send after it throws', async () => {
      const [a, b] = await open();
      let closedA = 0;
      let closedB = 0;
      a.onClose(() => closedA++);
      b.onClose(() => closedB++);
      a.close();
      a.close();
      await until(() => closedA > 0 && closedB > 0);
      b.close();
      await new Promise((r) => setTimeout(r, 5));
      expect([closedA, closedB]).toEqual([1, 1]);
      expect(() => a.send('late')).toThrow();
    });

    it('[A7] an unsubscribed handler hears nothing more', async () => {
      const [a, b] = await open();
      const heard: unknown[] = [];
      const kept: unknown[] = [];
      const stop = b.onMessage((f) => heard.push(f));
      b.onMessage((f) => kept.push(f));
      a.send('one');
      await until(() => kept.length === 1);
      stop();
      a.send('two');
      await until(() => kept.length === 2);
      expect(heard).toEqual(['one']);
      a.close();
    });

    it('[A7] drained() resolves once what was sent has gone (where the transport offers back-pressure)', async () => {
      const [a, b] = await open();
      const got: unknown[] = [];
      b.onMessage((f) => got.push(f));
      a.send('x'.repeat(10_000));
      if (a.drained) await a.drained();
      await until(() => got.length === 1);
      expect(a.bufferedAmount?.() ?? 0).toBe(0);
      a.close();
    });
  });
}
