import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { saveNewContact } from '../contacts';
import { contactFields } from '../contact-store.contract';
import { openDb } from '../db';
import { DexieContactStore } from '../dexie-stores';
import { DexieInvitationStore } from '../partner-stores';
import { argon2idKek } from './kdf';
import type { KdfParams } from './keyring';
import { sealInPlace } from './migrate';
import { failureDelayMs, openVaultDb, UnlockError, Vault } from './vault';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const FAST: KdfParams = { alg: 'argon2id13', ops: 1, memKiB: 8 * 1024 };

function vault(clock: { t: number }) {
  return new Vault(openVaultDb(`vault-${Math.random()}`), { derive: argon2idKek, randomBytes: random, now: () => clock.t, kdf: FAST });
}

describe('X2: the vault', () => {
  it('[X2] the passphrase set at first run unlocks the same data key; a second data key is never made over it', async () => {
    const v = vault({ t: 0 });
    expect(await v.exists()).toBe(false);
    const created = await v.create('admin', 'olive tree 1948');
    const unlocked = await v.unlock('admin', 'olive tree 1948');
    expect(unlocked.ok && unlocked.value.keys.indexHash('k:MHMT')).toBe(created.keys.indexHash('k:MHMT'));
    await expect(v.create('someone', 'another one')).rejects.toThrow('already exists');
  });

  it('[X2] a wrong passphrase is refused, later attempts wait longer and longer, and nothing is wiped', async () => {
    const clock = { t: 1_000_000 };
    const v = vault(clock);
    await v.create('admin', 'olive tree 1948');
    expect(await v.unlock('admin', 'olive tree 1949')).toEqual({ ok: false, error: { code: UnlockError.WrongPassphrase, waitMs: 1000 } });
    // Too soon: not even tried, so the right passphrase is refused too until the wait is over.
    expect(await v.unlock('admin', 'olive tree 1948')).toEqual({ ok: false, error: { code: UnlockError.TooSoon, waitMs: 1000 } });
    clock.t += 1000;
    expect(await v.unlock('admin', 'wrong again')).toEqual({ ok: false, error: { code: UnlockError.WrongPassphrase, waitMs: 2000 } });
    clock.t += 2000;
    expect((await v.unlock('admin', 'olive tree 1948')).ok).toBe(true);
    expect(await v.exists()).toBe(true);
    // A success resets the count.
    expect(await v.unlock('admin', 'nope')).toEqual({ ok: false, error: { code: UnlockError.WrongPassphrase, waitMs: 1000 } });
    expect([1, 2, 3, 4, 20].map(failureDelayMs)).toEqual([0, 1000, 2000, 4000, 300_000]);
  });

  it('[X2] the first unlock seals in place what an older version stored in the clear, and search still finds it', async () => {
    const name = `migrate-${Math.random()}`;
    const plain = openDb(name);
    const saved = await saveNewContact(new DexieContactStore(plain), contactFields({ firstName: 'محمد', lastName: 'الحسن', fatherName: 'علي' }), { createdBy: 'amal', now: new Date(), randomBytes: random });
    await new DexieInvitationStore(plain).add({ id: 'i1', secret: 'PlainSecret123', createdAt: '2026-11-21T00:00:00.000Z', label: 'x' });
    plain.close();

    const { keys } = await vault({ t: 0 }).create('admin', 'olive tree 1948');
    const db = openDb(name, undefined, undefined, { keys: () => keys });
    expect(await sealInPlace(db)).toBe(2);
    const store = new DexieContactStore(db);
    expect(await store.get(saved.id)).toEqual(saved);
    expect((await store.search('Mohamad', 5)).map((c) => c.id)).toEqual([saved.id]);
    db.close();

    const raw = new Dexie(name);
    await raw.open();
    const dump = JSON.stringify(await Promise.all(raw.tables.map((t) => t.toArray())), (_, v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v));
    raw.close();
    for (const s of ['محمد', 'الحسن', saved.secretHex, 'PlainSecret123', 'Houman']) expect(dump.includes(s), s).toBe(false);
    await Dexie.delete(name);
  });
});
