import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupError, HlcClock, makeVersion, pendingPair, seededBytes, versionTime, type CheckId, type ContactId, type PublicKeyHex, type RecordKey } from '@ihyid/shared';
import { openIdentityDb } from '../../identity/db';
import { ensureKeys } from '../../identity/keys';
import { saveNewContact } from '../contacts';
import { contactFields } from '../contact-store.contract';
import { openDb, versionTables, type IhyidDb, type SyncVersionRow } from '../db';
import { HeldVersions } from '../held-versions';
import { DexieContactStore } from '../dexie-stores';
import { DexieCheckResultStore } from '../partner-stores';
import { dexieListStore } from '../lists';
import { makeBackup, restoreBackup } from './backup';
import { argon2idKek } from './kdf';
import { RecordKeys, type KdfParams } from './keyring';

/** Small Argon2id costs keep the unit tests quick; the app's are DEFAULT_KDF. */
const FAST: KdfParams = { alg: 'argon2id13', ops: 1, memKiB: 8 * 1024 };
const PASS = 'backup passphrase of the organisation';
const random = seededBytes(31);
const now = () => new Date('2026-12-05T08:00:00.000Z');
const deps = { derive: argon2idKek, randomBytes: random, now, kdf: FAST };

const opened: Dexie[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

/** A device's two databases, in the clear or sealed under a data key of its own. */
function device(sealed: boolean, id = Math.random().toString(36).slice(2)): { db: IhyidDb; identity: ReturnType<typeof openIdentityDb> } {
  const keys = sealed ? new RecordKeys(seededBytes(id.length + 5)(32), random) : null;
  const atRest = keys ? { keys: () => keys } : undefined;
  const db = openDb(`backup-${id}`, undefined, undefined, atRest);
  const identity = openIdentityDb(`backup-identity-${id}`, atRest);
  opened.push(db, identity);
  return { db, identity };
}

async function seed(d: ReturnType<typeof device>) {
  const contacts = new DexieContactStore(d.db);
  const meta = { createdBy: 'Caseworker Amal', now: now(), randomBytes: random };
  const a = await saveNewContact(contacts, contactFields({ firstName: 'محمد', lastName: 'الحسن', phone: '+96170123456' }), meta);
  const b = await saveNewContact(contacts, contactFields({ firstName: 'Layla', lastName: 'Haddad', documentNumber: 'LB-99887' }), meta);
  await contacts.addPendingPairs([pendingPair({ a: a.id, b: b.id, keys: b.matchKeys!, foundBy: 'save', at: now() })]);
  await new DexieCheckResultStore(d.db).addCheck(
    { id: 'k1' as CheckId, partnerName: 'Partner Relief Org', protocol: 'psi-v2', role: 'asked', checkedAt: now().toISOString(), sent: 2, known: 1 },
    [{ id: 'k1:x', contactId: b.id as ContactId, checkId: 'k1' as CheckId, partnerName: 'Partner Relief Org', protocol: 'psi-v2', checkedAt: now().toISOString() }],
  );
  await d.db.profile.put({ key: 'self', orgName: 'Backup Relief', userName: 'Amal', defaultCountry: 'LB', createdAt: now().toISOString() });
  const list = await dexieListStore(d.db, random, now).createList(
    { name: 'Winter Kits Akkar', programme: 'Shelter', sector: 'Shelter', round: 'Round 3', startDate: '2026-12-01', endDate: '2027-01-31', transferValue: 120, currency: 'USD', capacity: null },
    [{ contactId: b.id, alreadyServing: false }],
  );
  const key = await ensureKeys(d.identity, () => now().getTime());
  await d.identity.peers.put({ key: 'cd'.repeat(32) as PublicKeyHex, orgName: 'Partner Relief Org', lastSeen: 1 });
  return { a, b, list, key };
}

/** What a device holds, read through the app. */
async function contents(d: ReturnType<typeof device>) {
  const contacts = new DexieContactStore(d.db);
  return {
    contacts: (await d.db.contacts.toArray()).map(({ keyHashes: _k, nameTerms: _n, blockTerms: _b, importTerms: _i, ...c }) => c).sort((x, y) => x.id.localeCompare(y.id)),
    pairs: await d.db.pairs.toArray(),
    checks: await d.db.checks.toArray(),
    overlaps: await d.db.overlaps.toArray(),
    lists: await d.db.lists.toArray(),
    audit: await d.db.listAudit.toArray(),
    profile: await d.db.profile.toArray(),
    keys: await d.identity.keys.toArray(),
    peers: await d.identity.peers.toArray(),
    found: (await contacts.search('Mohamad', 5)).map((c) => c.id),
  };
}

describe('X3: encrypted backup and restore', () => {
  it('[X3] a sealed device backs up to a file that names nobody; a fresh device restores every record, decision, result, list, the profile and the signing key', async () => {
    const from = device(true);
    const { a } = await seed(from);
    const file = await makeBackup([from.db, from.identity], PASS, deps);
    for (const secret of ['محمد', 'الحسن', 'Layla', 'Haddad', '70123456', 'LB-99887', 'Partner Relief Org', 'Winter Kits Akkar', 'Backup Relief', 'Caseworker Amal']) expect(file.includes(secret), secret).toBe(false);
    expect(JSON.parse(file)).toMatchObject({ format: 'ihyid-backup', v: 1, kdf: FAST });

    // A fresh browser (the same database names, nothing in them) with a data key of its own: the
    // rows are sealed and indexed under its keys.
    const before = await contents(from);
    const name = from.db.name.replace('backup-', '');
    for (const db of [from.db, from.identity]) {
      db.close();
      await db.delete();
    }
    const to = device(true, name);
    // A page of the fresh device that counted its (no) contacts before the restore: it sees them after (the contacts' stamp, contact-packs.ts).
    expect(await to.db.contacts.count()).toBe(0);
    const restored = await restoreBackup(file, PASS, [to.db, to.identity], argon2idKek);
    expect(restored.ok ? null : restored.error).toBeNull();
    // The contacts travel as rows of `contacts`, whatever this version's layout: their packs and keys are not in the file.
    const tables = Object.keys(restored.ok ? restored.value.rows : {});
    expect(tables).toContain(`${to.db.name}/contacts`);
    expect(tables.filter((table) => /\/contact(Packs|Keys)$/.test(table))).toEqual([]);
    const after = await contents(to);
    expect(after).toEqual(before);
    expect(after.found).toEqual([a.id]);
    expect(after.contacts).toHaveLength(2);
  });

  it('[X3][X4] the record versions come back whole: their packs as backed up, their keys derived again, and a page that held the device\'s versions before reads them again; an older backup\'s versions (a row each) come back packed', async () => {
    const version = (i: number): SyncVersionRow => {
      const made = makeVersion(new HlcClock('n', () => Date.parse('2026-12-01T08:00:00Z') + i), { record: `contacts/c${i}` as RecordKey, parents: [], op: 'delete' });
      return { id: made.id, ts: versionTime(made), record: made.body.record, body: made.body };
    };
    const rows = Array.from({ length: 150 }, (_, i) => version(i));
    const from = device(true);
    const writer = new HeldVersions(from.db);
    await from.db.transaction('rw', versionTables(from.db), () => writer.write(rows));
    const file = await makeBackup([from.db], PASS, deps);
    const name = from.db.name.replace('backup-', '');
    from.db.close();
    await from.db.delete();
    const to = device(true, name);
    const page = new HeldVersions(to.db);
    expect(await page.items()).toEqual([]);
    const restored = await restoreBackup(file, PASS, [to.db], argon2idKek);
    expect(restored.ok ? null : restored.error).toBeNull();
    // The stamp and the keys rows are not in the file: the keys are derived from the packs, the stamp is new.
    expect(Object.keys(restored.ok ? restored.value.rows : {}).filter((table) => table.endsWith('/syncMeta'))).toEqual([]);
    expect((await to.db.versionPacks.toArray()).map((pack) => pack.rows.length)).toEqual([100, 50]);
    expect((await page.items()).map((item) => item.id)).toEqual(rows.map((row) => row.id));
    expect(await page.read(() => page.rows([rows[120]!.id]))).toEqual([rows[120]]);

    // A backup made before packs: the same versions, one row each, in a table the app no longer has.
    const oldName = `backup-old-${Math.random().toString(36).slice(2)}`;
    const old = new Dexie(oldName);
    old.version(16).stores({ syncVersions: 'id, [ts+id], record, *viaHops', syncMeta: 'key' });
    await old.table('syncVersions').bulkAdd([...rows].reverse());
    const oldFile = await makeBackup([old], PASS, deps);
    old.close();
    await old.delete();
    const later = device(true, oldName.replace('backup-', ''));
    expect((await restoreBackup(oldFile, PASS, [later.db], argon2idKek)).ok).toBe(true);
    expect((await later.db.versionPacks.toArray()).flatMap((pack) => pack.rows)).toEqual(rows);
    expect((await new HeldVersions(later.db).items()).map((item) => item.id)).toEqual(rows.map((row) => row.id));
  });

  it('[X3] a wrong passphrase, a changed byte, a cut file, a changed header or a newer format is refused, and the device keeps what it had', async () => {
    const from = device(false);
    await seed(from);
    const file = await makeBackup([from.db, from.identity], PASS, deps);
    const to = device(false);
    const { a } = await seed(to);
    const had = await contents(to);
    const parsed = JSON.parse(file) as Record<string, string>;
    const data = parsed.data!;
    const flipped = data.slice(0, 100) + (data[100] === 'A' ? 'B' : 'A') + data.slice(101);
    const cases: [string, string, BackupError][] = [
      ['wrong passphrase', file, BackupError.WrongPassphrase],
      ['changed byte', JSON.stringify({ ...parsed, data: flipped }), BackupError.Damaged],
      ['cut short', file.slice(0, file.length - 200), BackupError.Damaged],
      ['cut data', JSON.stringify({ ...parsed, data: data.slice(0, data.length - 8) }), BackupError.Damaged],
      ['changed header', JSON.stringify({ ...parsed, createdAt: '2020-01-01T00:00:00.000Z' }), BackupError.Damaged],
      ['newer format', JSON.stringify({ ...parsed, v: 2 }), BackupError.Unsupported],
      ['not a backup', 'name,phone\nLayla,123\n', BackupError.Damaged],
    ];
    for (const [label, text, code] of cases) {
      const result = await restoreBackup(text, label === 'wrong passphrase' ? `${PASS}!` : PASS, [to.db, to.identity], argon2idKek);
      expect(result, label).toEqual({ ok: false, error: code });
    }
    expect(await contents(to)).toEqual(had);
    expect(had.found).toEqual([a.id]);
  });
});
