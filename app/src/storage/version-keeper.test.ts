import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { keepVersionsReady } from './version-keeper';
import { contactFields } from './contact-store.contract';
import { saveNewContact } from './contacts';
import type { IhyidDb } from './db';
import { DexieContactStore } from './dexie-stores';
import { syncDevice } from './test-dbs';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const timing = { startMs: 1500, quietMs: 1000, batch: 500, importIdleMs: 30_000 };
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Timers run by hand: `tick(ms)` moves the clock and runs what fell due. */
function manualTimers() {
  let now = 0;
  const due = new Map<number, { at: number; run: () => void }>();
  let next = 0;
  return {
    now: () => now,
    after(ms: number, run: () => void) {
      const id = next++;
      due.set(id, { at: now + ms, run });
      return () => void due.delete(id);
    },
    /** The clock moves to each timer's time in turn, then to `ms` later than it was. */
    tick(ms: number) {
      const until = now + ms;
      for (;;) {
        const next = [...due].filter(([, t]) => t.at <= until).sort((x, y) => x[1].at - y[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        now = next[1].at;
        next[1].run();
      }
      now = until;
    },
  };
}

describe('keepVersionsReady (X4, #16)', () => {
  it('[X4] adopts once after the start, then once after each burst of contact writes (not while an import runs), and never after it stops', async () => {
    const timers = manualTimers();
    let listener: ((tables: ReadonlySet<string>) => void) | null = null;
    const sync = { adopt: vi.fn((_batch: number, _stop?: () => boolean) => Promise.resolve(0)), watch: vi.fn((l: (tables: ReadonlySet<string>) => void) => ((listener = l), () => (listener = null))) };
    let importing = false;
    const errors: unknown[] = [];
    const stop = keepVersionsReady(sync, timers, () => Promise.resolve(importing), (error) => errors.push(error), timing);
    timers.tick(1499);
    expect(sync.adopt).not.toHaveBeenCalled();
    timers.tick(1);
    await settled();
    expect(sync.adopt).toHaveBeenCalledTimes(1);
    expect(sync.adopt).toHaveBeenLastCalledWith(500, expect.any(Function));
    // An import's batches: one adopt a second after the last.
    for (let i = 0; i < 5; i++) {
      listener!(new Set(['contacts', 'terms']));
      timers.tick(400);
    }
    expect(sync.adopt).toHaveBeenCalledTimes(1);
    timers.tick(600);
    await settled();
    expect(sync.adopt).toHaveBeenCalledTimes(2);
    // Other tables are not its business (their versions are made by the sync's capture).
    listener!(new Set(['pairs', 'versionPacks']));
    timers.tick(5000);
    await settled();
    expect(sync.adopt).toHaveBeenCalledTimes(2);
    // While an import runs, its batches are left alone; the job's end (a write of importJobs) brings it back.
    importing = true;
    listener!(new Set(['contacts', 'importJobs']));
    timers.tick(1000);
    await settled();
    expect(sync.adopt).toHaveBeenCalledTimes(2);
    importing = false;
    listener!(new Set(['importJobs']));
    timers.tick(1000);
    await settled();
    expect(sync.adopt).toHaveBeenCalledTimes(3);
    // A job still marked running that nobody writes any more (a reload cut it short, or it died) holds
    // the keeper back only until it counts as stale, 30 s after its last write: then it looks again by itself.
    importing = true;
    listener!(new Set(['importJobs']));
    timers.tick(1000);
    await settled();
    expect(sync.adopt).toHaveBeenCalledTimes(3);
    timers.tick(28_999);
    await settled();
    expect(sync.adopt).toHaveBeenCalledTimes(3);
    timers.tick(2);
    await settled();
    expect(sync.adopt).toHaveBeenCalledTimes(4);
    // Once it runs, an import that starts (its job written) asks it to stop between two batches.
    const stopAsked = sync.adopt.mock.lastCall![1]!;
    expect(stopAsked()).toBe(false);
    listener!(new Set(['importJobs']));
    expect(stopAsked()).toBe(true);
    timers.tick(2000);
    expect(stopAsked()).toBe(false);
    await settled();
    // A failure is reported, not thrown, and the next write tries again.
    importing = false;
    sync.adopt.mockImplementationOnce(() => Promise.reject(new Error('closed')));
    listener!(new Set(['contacts']));
    timers.tick(1000);
    await settled();
    expect(errors).toEqual([new Error('closed')]);
    const calls = sync.adopt.mock.calls.length;
    listener!(new Set(['contacts']));
    stop();
    timers.tick(60_000);
    await settled();
    expect(sync.adopt).toHaveBeenCalledTimes(calls);
    expect(listener).toBeNull();
  });

  it('[X4] a background adopt stops between batches when asked, and a sync that asks while it writes gets its answer once every contact has its version', async () => {
    const opened: IhyidDb[] = [];
    try {
      const a = syncDevice(opened, 'a', random(32));
      await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), { createdBy: 'amal', now: new Date('2026-12-06T08:00:00Z'), randomBytes: random });
      expect(await a.sync.adopt()).toBe(0);
      // The import worker's way: contacts without versions, more than one batch of the background's.
      const at = new Date('2026-12-06T08:00:00Z').toISOString();
      const batch = Array.from({ length: 120 }, (_, i) => ({ ...contactFields({ firstName: `N${i}`, lastName: 'Bulk' }), id: `b${String(i).padStart(3, '0')}`, secretHex: '00'.repeat(32), createdAt: at, createdBy: 'worker', updatedAt: at }));
      await new DexieContactStore(a.db).add(batch as never);
      await new Promise((resolve) => setTimeout(resolve, 50)); // Dexie signals committed writes after a tick
      // Asked to stop between batches (an import started): two batches of 25 done, the rest given back.
      let asked = 0;
      expect(await a.sync.adopt(25, () => ++asked >= 2)).toBe(50);
      const live = async () => (await Promise.all(batch.map((c) => a.sync.state(`contacts/${c.id}` as never)))).filter((s) => s?.kind === 'live').length;
      expect(await live()).toBe(50);
      const background = a.sync.adopt(25);
      const bySync = a.sync.adopt();
      expect(await bySync).toBe(0);
      // Answered after the background one: every contact already has its version.
      expect(await live()).toBe(120);
      expect(await background).toBe(70);
    } finally {
      for (const db of opened) {
        db.close();
        await db.delete();
      }
    }
  });
});
