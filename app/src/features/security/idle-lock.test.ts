import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type IhyidDb } from '../../storage/db';
import { adoptPolicy, DexieSettingsStore, readPolicy } from '../../storage/settings';
import { DEFAULT_LOCK_MINUTES, IDLE_TICK_MS, idleLock, loadLockMinutes, setLockMinutes } from './idle-lock';

const opened: IhyidDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

function settings(): DexieSettingsStore {
  const db = openDb(`lock-${Math.random()}`);
  opened.push(db);
  return new DexieSettingsStore(db);
}

/** A hand-driven clock and ticker: `advance` moves time and runs every tick that falls due. */
function fakeTime() {
  let t = 0;
  const ticks: { fn: () => void; ms: number; next: number; on: boolean }[] = [];
  return {
    now: () => t,
    every: (fn: () => void, ms: number) => {
      const tick = { fn, ms, next: t + ms, on: true };
      ticks.push(tick);
      return () => void (tick.on = false);
    },
    async advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = ticks.filter((k) => k.on && k.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        t = due.next;
        due.next += due.ms;
        due.fn();
        // The tick reads the limit asynchronously (a settings read): let it settle.
        for (let i = 0; i < 5; i++) await Promise.resolve();
      }
      t = end;
    },
  };
}

describe('X2: locking after inactivity', () => {
  it('[X2] the idle time is 5 minutes until an admin chooses another, and odd stored values read as 5', async () => {
    const store = settings();
    expect(await loadLockMinutes(store)).toBe(DEFAULT_LOCK_MINUTES);
    await setLockMinutes(store, 15, new Date());
    expect(await loadLockMinutes(store)).toBe(15);
    await expect(setLockMinutes(store, 0, new Date())).rejects.toThrow(RangeError);
    await store.update('lockAfterMinutes', () => '15; drop', new Date());
    expect(await loadLockMinutes(store)).toBe(DEFAULT_LOCK_MINUTES);
  });

  it('[X2] locks once the chosen minutes pass without activity; activity postpones it; a changed choice applies at once', async () => {
    const time = fakeTime();
    let minutes = 5;
    let locks = 0;
    const watch = idleLock({ now: time.now, every: time.every, limitMinutes: async () => minutes, lock: () => locks++ });
    await time.advance(4 * 60_000);
    watch.touch();
    await time.advance(4 * 60_000);
    expect(locks).toBe(0);
    await time.advance(60_000 + IDLE_TICK_MS);
    expect(locks).toBe(1);
    // Locked once, and only once.
    await time.advance(10 * 60_000);
    expect(locks).toBe(1);

    const again = fakeTime();
    let second = 0;
    idleLock({ now: again.now, every: again.every, limitMinutes: async () => minutes, lock: () => second++ });
    await again.advance(2 * 60_000);
    expect(second).toBe(0);
    minutes = 1;
    await again.advance(IDLE_TICK_MS);
    expect(second).toBe(1);
  });
});

describe('[X4] the policy a paired device takes from the admin device (#16 item 2)', () => {
  it('[X4] the idle time and the optional protocols an admin chose reach the new device as stored; habits and unset settings stay behind', async () => {
    const admin = settings();
    const now = new Date('2026-12-05T09:00:00Z');
    await setLockMinutes(admin, 15, now);
    await admin.update('check.protocols', () => ['uscadi-v1'], now);
    await admin.update('import-duplicates', () => 'flag', now);
    const policy = await readPolicy(admin);
    expect(policy).toEqual({ lockAfterMinutes: 15, 'check.protocols': ['uscadi-v1'] });
    const joined = settings();
    await adoptPolicy(joined, policy, now);
    expect(await loadLockMinutes(joined)).toBe(15);
    expect(await joined.get('check.protocols')).toEqual(['uscadi-v1']);
    expect(await joined.get('import-duplicates')).toBeUndefined();
    // An admin device that never changed a policy sends none, and the new device keeps its defaults.
    const fresh = settings();
    expect(await readPolicy(settings())).toEqual({});
    await adoptPolicy(fresh, {}, now);
    expect(await loadLockMinutes(fresh)).toBe(DEFAULT_LOCK_MINUTES);
  });
});
