import * as Comlink from 'comlink';
import { err, hexToBytes, ok, packKeys, type CheckWork, type WorkHooks } from '@ihyid/shared';
import { packMessages } from './sha256-kernel';
import type { CheckItemsPage } from '../storage/check-results';
import type { WorkerPool } from './pool';

/**
 * What partner sessions need of the check workers: every heavy step of a check, and our contacts as
 * check items read page by page (R9: never on the page's thread). Tests pass the same steps inline.
 */
export interface CheckPool {
  readonly work: CheckWork;
  /** One page of the id range (after, upTo] (check-results.ts, loadCheckItems). */
  itemsPage(after: string | null, upTo: string | undefined): Promise<CheckItemsPage>;
}

/**
 * The real pool's CheckPool; main.tsx builds it with the first partner session. X2: each page read
 * carries a copy of the data key while unlocked (`dataKey`), which the worker drops after the page.
 */
export function checkPoolOf(pool: WorkerPool, dataKey: () => Uint8Array | null = () => null): CheckPool {
  return { work: poolCheckWork(pool), itemsPage: (after, upTo) => pool.run((remote) => remote.checkItemsPage(after, upTo, dataKey())) };
}

/**
 * The app's CheckWork: every heavy step of psi-v2 and the uscadi checks cut into batches and run
 * across the pool. Batches are sized so that each worker gets several (progress, load balance) and
 * one batch stays well under a second. A cancelled check stops handing out batches; its partial
 * result is ignored by the protocol, which checks that the check is still current after each await.
 */
export function poolCheckWork(pool: WorkerPool): CheckWork {
  return {
    psi: {
      async blind(scalar, checkId, keys, hooks) {
        const out = new Uint8Array(keys.length * 32);
        await batches(pool, keys.length, 1024, hooks, async (remote, from, to) => {
          const points = await remote.psiBlind(scalar, checkId, packKeys(keys.slice(from, to)));
          out.set(points, from * 32);
          hooks?.onPoints?.(from, points);
        });
        return out;
      },
      async reblind(scalar, points, hooks) {
        const n = points.length / 32;
        const out = new Uint8Array(points.length);
        let bad = -1;
        await batches(pool, n, 1024, hooks, async (remote, from, to) => {
          const slice = points.slice(from * 32, to * 32);
          const result = await remote.psiReblind(scalar, Comlink.transfer(slice, [slice.buffer]));
          if (result.ok) out.set(result.value, from * 32);
          else if (bad < 0 || from + result.error < bad) bad = from + result.error;
        });
        return bad >= 0 ? err(bad) : ok(out);
      },
    },
    uscadi: {
      async uscadis(protocol, pairs) {
        const out: string[] = new Array<string>(pairs.length);
        await batches(pool, pairs.length, 4096, {}, async (remote, from, to) => {
          (await remote.uscadis(protocol, pairs.slice(from, to))).forEach((u, i) => (out[from + i] = u));
        });
        return out;
      },
      async answer(protocol, local, secrets, uscadis, hooks) {
        const packed = packMessages(local);
        const wanted = hexToBytes(uscadis.join(''));
        const secretBytes = hexToBytes(secrets.join(''));
        const found = new Uint8Array(uscadis.length);
        // About two million hashes per batch: a fraction of a second with the SIMD kernel, a second in JavaScript.
        const perBatch = Math.max(4, Math.floor(2_000_000 / Math.max(1, local.length)));
        await batches(pool, secrets.length, perBatch, hooks, async (remote, from, to) => {
          const flags = await remote.answer(protocol, packed, secretBytes.slice(from * 32, to * 32), wanted);
          for (let i = 0; i < flags.length; i++) if (flags[i]) found[i] = 1;
        });
        return Array.from(found, (f) => f === 1);
      },
    },
  };
}

/** Runs [0, total) in batches of at most `size` over the pool, reporting progress as batches finish. */
async function batches(pool: WorkerPool, total: number, size: number, hooks: WorkHooks | undefined, task: (remote: Parameters<Parameters<WorkerPool['run']>[0]>[0], from: number, to: number) => Promise<void>): Promise<void> {
  // Small lists still spread over every worker.
  const step = Math.max(1, Math.min(size, Math.ceil(total / pool.size)));
  let done = 0;
  const jobs: Promise<void>[] = [];
  for (let from = 0; from < total; from += step) {
    const to = Math.min(total, from + step);
    jobs.push(
      pool.run(async (remote) => {
        if (hooks?.cancelled?.()) return;
        await task(remote, from, to);
        done += to - from;
        hooks?.onProgress?.(done, total);
      }),
    );
  }
  await Promise.all(jobs);
}
