import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { Role, RoleForbiddenError } from '@ihyid/shared';
import { AccountError } from './accounts';
import { argon2idKek } from './kdf';
import { wrapDataKey, type KdfParams } from './keyring';
import { FIRST_ADMIN, openVaultDb, UnlockError, Vault } from './vault';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const FAST: KdfParams = { alg: 'argon2id13', ops: 1, memKiB: 8 * 1024 };
const deps = (clock: { t: number }) => ({ derive: argon2idKek, randomBytes: random, now: () => clock.t, kdf: FAST });

/** The same data key seen through its index key: equal hashes mean equal keys, without reading the key. */
const fingerprint = (r: Awaited<ReturnType<Vault['unlock']>>) => (r.ok ? r.value.keys.indexHash('probe') : r.error.code);

async function team(clock = { t: 1_000 }) {
  const v = new Vault(openVaultDb(`users-${Math.random()}`), deps(clock));
  const admin = await v.create('Amal', 'amal passphrase 1');
  const accounts = v.accounts(admin.keys, admin.user);
  expect((await accounts.add('Bashir', Role.Caseworker, 'bashir passphrase')).ok).toBe(true);
  expect((await accounts.add('Carim', Role.Checker, 'carim passphrase')).ok).toBe(true);
  return { v, admin, accounts, clock };
}

describe('X1: local users, each with a passphrase wrapping the same data key', () => {
  it("[X1] each user's own passphrase opens the same data key, with that user's role; the first user is an admin", async () => {
    const { v, admin } = await team();
    expect(await v.users()).toEqual([
      { name: 'Amal', role: Role.Admin },
      { name: 'Bashir', role: Role.Caseworker },
      { name: 'Carim', role: Role.Checker },
    ]);
    const opened = await Promise.all([v.unlock('Amal', 'amal passphrase 1'), v.unlock('Bashir', 'bashir passphrase'), v.unlock('Carim', 'carim passphrase')]);
    expect(opened.map(fingerprint)).toEqual([0, 1, 2].map(() => admin.keys.indexHash('probe')));
    expect(opened.map((r) => r.ok && r.value.user)).toEqual(await v.users());
  });

  it("[X1] another user's passphrase and an unknown name are wrong passphrases, counted once for the device whichever name was tried", async () => {
    const { v, clock } = await team();
    expect(await v.unlock('Bashir', 'carim passphrase')).toEqual({ ok: false, error: { code: UnlockError.WrongPassphrase, waitMs: 1000 } });
    // The counter is the device's: trying another name does not start afresh.
    expect(await v.unlock('Carim', 'carim passphrase')).toEqual({ ok: false, error: { code: UnlockError.TooSoon, waitMs: 1000 } });
    clock.t += 1000;
    expect(await v.unlock('Nobody', 'bashir passphrase')).toEqual({ ok: false, error: { code: UnlockError.WrongPassphrase, waitMs: 2000 } });
    clock.t += 2000;
    expect((await v.unlock('Carim', 'carim passphrase')).ok).toBe(true);
    expect(await v.unlock('Amal', 'nope')).toEqual({ ok: false, error: { code: UnlockError.WrongPassphrase, waitMs: 1000 } });
  });

  it("[X1] a removed user's passphrase opens nothing any more; a reset passphrase replaces the old one", async () => {
    const { v, admin, accounts } = await team();
    expect(await accounts.remove('Bashir')).toEqual({ ok: true, value: undefined });
    expect(fingerprint(await v.unlock('Bashir', 'bashir passphrase'))).toBe(UnlockError.WrongPassphrase);
    expect((await v.users()).map((u) => u.name)).toEqual(['Amal', 'Carim']);

    const later = await team();
    expect(await later.accounts.resetPassphrase('Carim', 'carim new passphrase')).toEqual({ ok: true, value: undefined });
    expect(fingerprint(await later.v.unlock('Carim', 'carim passphrase'))).toBe(UnlockError.WrongPassphrase);
    later.clock.t += 60_000;
    expect(fingerprint(await later.v.unlock('Carim', 'carim new passphrase'))).toBe(later.admin.keys.indexHash('probe'));
    expect(admin.keys.indexHash('probe')).not.toBe(later.admin.keys.indexHash('probe'));
  });

  it('[X1] the last admin is never removed nor demoted; names are unique; passphrases are long enough', async () => {
    const { accounts } = await team();
    expect(await accounts.remove('Amal')).toEqual({ ok: false, error: AccountError.LastAdmin });
    expect(await accounts.setRole('Amal', Role.Caseworker)).toEqual({ ok: false, error: AccountError.LastAdmin });
    expect(await accounts.add('Bashir', Role.Admin, 'another long one')).toEqual({ ok: false, error: AccountError.Exists });
    expect(await accounts.add('Dalia', Role.Admin, 'short')).toEqual({ ok: false, error: AccountError.TooShort });
    expect(await accounts.add('  ', Role.Admin, 'long enough passphrase')).toEqual({ ok: false, error: AccountError.InvalidName });
    expect(await accounts.remove('Nobody')).toEqual({ ok: false, error: AccountError.NotFound });
    // With a second admin, the first may step down.
    expect((await accounts.setRole('Bashir', Role.Admin)).ok).toBe(true);
    expect(await accounts.setRole('Amal', Role.Checker)).toEqual({ ok: true, value: { name: 'Amal', role: Role.Checker } });
  });

  it('[X1] only an admin administers users: a caseworker and a checker are refused, and so is an admin demoted since unlock', async () => {
    const { v, accounts } = await team();
    for (const [name, passphrase] of [['Bashir', 'bashir passphrase'], ['Carim', 'carim passphrase']] as const) {
      const session = await v.unlock(name, passphrase);
      if (!session.ok) throw new Error('unlock');
      const theirs = v.accounts(session.value.keys, session.value.user);
      await expect(theirs.add('Eve', Role.Admin, 'eve passphrase 1')).rejects.toBeInstanceOf(RoleForbiddenError);
      await expect(theirs.setRole(name, Role.Admin)).rejects.toThrow('not allowed');
      await expect(theirs.remove('Amal')).rejects.toBeInstanceOf(RoleForbiddenError);
      await expect(theirs.resetPassphrase('Amal', 'taken over pass')).rejects.toBeInstanceOf(RoleForbiddenError);
    }
    expect((await v.users()).map((u) => u.name)).toEqual(['Amal', 'Bashir', 'Carim']);
    // Bashir made admin, then Amal demoted by Bashir: Amal's open session can no longer administer.
    await accounts.setRole('Bashir', Role.Admin);
    const bashir = await v.unlock('Bashir', 'bashir passphrase');
    if (!bashir.ok) throw new Error('unlock');
    await v.accounts(bashir.value.keys, bashir.value.user).setRole('Amal', Role.Caseworker);
    await expect(accounts.add('Eve', Role.Admin, 'eve passphrase 1')).rejects.toBeInstanceOf(RoleForbiddenError);
  });

  it('[X1] a single-passphrase vault (schema v1) becomes the user "admin", an admin, whose passphrase opens the same data key', async () => {
    const name = `legacy-${Math.random()}`;
    const dataKey = random(32);
    const old = new Dexie(name);
    old.version(1).stores({ vault: 'id' });
    const key = await wrapDataKey(dataKey, 'olive tree 1948', argon2idKek, random, FAST);
    await old.table('vault').add({ id: 'data-key', key, failures: 0, notBefore: 0, sealed: true });
    old.close();

    const v = new Vault(openVaultDb(name), deps({ t: 0 }));
    expect(await v.users()).toEqual([{ name: FIRST_ADMIN, role: Role.Admin }]);
    expect(await v.sealed()).toBe(true);
    const opened = await v.unlock(FIRST_ADMIN, 'olive tree 1948');
    expect(opened.ok && opened.value.keys.dataKeyCopy()).toEqual(dataKey);
  });
});
