import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contactBlockingTerms, pendingPair, type CheckId, type ContactId, type OrgFingerprint } from '@ihyid/shared';
import { newContactRecord, saveNewContact } from '../contacts';
import { contactFields, dexieContractStores, runContactStoreContract } from '../contact-store.contract';
import { openDb, type IhyidDb } from '../db';
import { DexieContactStore } from '../dexie-stores';
import { DexieCheckResultStore, DexieInvitationStore } from '../partner-stores';
import { dexieListStore } from '../lists';
import { keyHash } from '../key-hashes';
import { TERM_KINDS } from '../term-index';
import { workerCheckItemsPage } from '../check-items-reader';
import { readCheckItemsPage } from '../check-results';
import { DexieSettingsStore } from '../settings';
import { openStoredContacts, rawConnection } from '../raw-rows';
import { openRows, sealRow } from './seal-middleware';
import { argon2idKek } from './kdf';
import { rawDump } from './raw-dump';
import { runPartnerStoresContract } from '../partner-stores.contract';
import { RecordKeys, unwrapDataKey, VaultError, wrapDataKey, type KdfParams } from './keyring';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
/** Small Argon2id costs keep the unit tests quick; the app's are DEFAULT_KDF. */
const FAST: KdfParams = { alg: 'argon2id13', ops: 1, memKiB: 8 * 1024 };

function sealedDb(name = `sealed-${Math.random()}`): { db: IhyidDb; keys: { current: RecordKeys | null } } {
  const keys: { current: RecordKeys | null } = { current: new RecordKeys(random(32), random) };
  const db = openDb(name, undefined, undefined, {
    keys: () => {
      if (!keys.current) throw new Error('locked');
      return keys.current;
    },
  });
  return { db, keys };
}

runContactStoreContract('Dexie sealed under X2 keys', async () => dexieContractStores(sealedDb().db));
runPartnerStoresContract('Dexie sealed under X2 keys', async () => dexieContractStores(sealedDb().db));

const opened: IhyidDb[] = [];

/** A sealed database holding two contacts, closed after the test. */
async function twoSealedContacts() {
  const { db, keys } = sealedDb();
  opened.push(db);
  const contacts = new DexieContactStore(db);
  const meta = { createdBy: 'amal', now: new Date(), randomBytes: random };
  const a = await saveNewContact(contacts, contactFields(), meta);
  const b = await saveNewContact(contacts, contactFields({ firstName: 'Hana' }), meta);
  return { db, keys, contacts, a, b };
}
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('X2: data at rest', () => {
  it('[X2][R9] contacts sealed and indexed ahead of their write (an import\'s next batch) are stored as sealed then and read back as written; a changed copy is sealed and indexed at its write', async () => {
    const { db, keys } = sealedDb();
    opened.push(db);
    const store = new DexieContactStore(db);
    const meta = { createdBy: 'amal', now: new Date(), randomBytes: random };
    const made = ['Rana', 'Samir', 'Yusuf'].map((firstName) => newContactRecord(contactFields({ firstName }), meta));
    const seals = vi.spyOn(keys.current!, 'sealRow');
    const hashes = vi.spyOn(keys.current!, 'indexHash');
    db.prepareContacts(made);
    expect(seals).toHaveBeenCalledTimes(3);
    const hashedAhead = hashes.mock.calls.length;
    expect(hashedAhead).toBeGreaterThan(0);
    // The third is written as a changed copy: not the object prepared, so sealed and indexed now.
    const changed = { ...made[2]!, firstName: 'Karim' };
    await store.add([made[0]!, made[1]!, changed]);
    expect(seals).toHaveBeenCalledTimes(4);
    expect(hashes.mock.calls.length - hashedAhead).toBe(hashedAhead / 3);
    expect((await store.get(made[1]!.id))?.firstName).toBe('Samir');
    expect((await store.get(made[2]!.id))?.firstName).toBe('Karim');
    expect((await store.search('Samir', 10)).map((c) => c.id)).toEqual([made[1]!.id]);
    expect((await store.search('Karim', 10)).map((c) => c.id)).toEqual([made[2]!.id]);
    expect(await store.search('Yusuf', 10)).toEqual([]);
    const dump = await rawDump(db.name);
    for (const name of ['Rana', 'Samir', 'Yusuf', 'Karim']) expect(dump).not.toContain(name);
  });

  it('[X2] a raw dump of the database holds no name, date, phone, document, partner name or secret', async () => {
    const { db } = sealedDb();
    opened.push(db);
    const contacts = new DexieContactStore(db);
    const meta = { createdBy: 'Caseworker Amal', now: new Date('2026-11-21T08:00:00Z'), randomBytes: random };
    const arabic = await saveNewContact(contacts, contactFields({ firstName: 'محمد', lastName: 'الحسن', fatherName: 'علي', motherName: 'زينب', phone: '+96170123456', documentNumber: 'AR-7788', birthDate: '1984-03-09' }), meta);
    const latin = await saveNewContact(contacts, contactFields({ firstName: 'Layla', lastName: 'Haddad', fatherName: 'Georges', motherName: 'Mariam', phone: '+9613555111', documentNumber: 'LB-99887', birthDate: '1991-12-30' }), meta);
    await contacts.addPendingPairs([pendingPair({ a: arabic.id, b: latin.id, keys: latin.matchKeys!, foundBy: 'save', at: meta.now })]);
    await new DexieCheckResultStore(db).addCheck(
      { id: 'k1' as CheckId, partnerName: 'Partner Relief Org', protocol: 'psi-v2', role: 'asked', checkedAt: '2026-11-21T09:00:00.000Z', sent: 2, known: 1 },
      [{ id: 'k1:x', contactId: latin.id as ContactId, checkId: 'k1' as CheckId, partnerName: 'Partner Relief Org', protocol: 'psi-v2', checkedAt: '2026-11-21T09:00:00.000Z' }],
    );
    await new DexieInvitationStore(db).add({ id: 'i1', secret: 'InvitationSecretXYZ123', createdAt: '2026-11-21T09:00:00.000Z', label: 'Invitation of 2026-11-21' });
    await new DexieSettingsStore(db).update('check.standing-rules', () => [{ partnerName: 'Standing Partner Org' }], meta.now);
    const lists = dexieListStore(db, random, () => meta.now);
    const list = await lists.createList(
      { name: 'Winter Kits Akkar', programme: 'Shelter Winterisation', sector: 'Shelter', round: 'Round 3', startDate: '2026-12-01', endDate: '2027-01-31', transferValue: 120, currency: 'USD', capacity: null },
      [{ contactId: latin.id, alreadyServing: true }],
    );
    // D4: a round's plan carries the list's name and programme.
    const [self, partner] = ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'] as OrgFingerprint[];
    const me = { self: self!, selfName: 'Coordinating Relief Org' };
    const round = await lists.planRound(list.id, me, [self!, partner!], 'coin');
    // A round's result is written into its sealed row (an update: read opened, written sealed).
    await lists.skipPair(round.roundId, 0, partner!, me);
    // Read back through the app: everything is there.
    expect(await contacts.get(arabic.id)).toEqual(arabic);
    expect((await contacts.search('Mohamad', 5)).map((c) => c.id)).toEqual([arabic.id]);
    expect(await lists.getList(list.id)).toEqual(list);
    expect((await lists.audit()).map((e) => e.kind).sort()).toEqual(['list-created', 'pair-skipped', 'round-finished', 'round-planned']);
    expect(await lists.getRound(round.roundId)).toEqual({ ...round, results: [{ index: 0, status: 'skipped', absent: partner }] });

    const dump = await rawDump(db.name);
    const secrets = ['محمد', 'الحسن', 'زينب', 'Layla', 'Haddad', 'Georges', 'Mariam', '+96170123456', '+9613555111', 'AR-7788', 'LB-99887', '1984-03-09', '1991-12-30', arabic.secretHex, 'Partner Relief Org', 'InvitationSecretXYZ123', 'Standing Partner Org', 'Caseworker Amal', 'HSN MHMT', '"last":"HSN"', 'Winter Kits Akkar', 'Shelter Winterisation', 'Coordinating Relief Org'];
    for (const s of secrets) expect(dump.includes(s), s).toBe(false);
    // The ids and index hashes are there: the dump is real.
    expect(dump).toContain(arabic.id);
  });

  it('[X2][R8] a merge\'s aliases and history are sealed like the rest; the alias is found through its keyed name terms', async () => {
    const { db } = sealedDb();
    opened.push(db);
    const contacts = new DexieContactStore(db);
    const meta = { createdBy: 'amal', now: new Date('2026-11-21T08:00:00Z'), randomBytes: random };
    const keep = await saveNewContact(contacts, contactFields({ firstName: 'Samira', lastName: 'Nassar' }), meta);
    const gone = await saveNewContact(contacts, contactFields({ firstName: 'Samira', lastName: 'Zoghbi', sex: 'female' }), meta);
    expect(await contacts.merge(keep.id, gone.id, { by: 'Merger Rania', at: meta.now })).toBe(true);
    expect((await contacts.get(keep.id))?.aliases?.map((a) => a.lastName)).toEqual(['Zoghbi']);
    expect((await contacts.search('Zoghbi', 5)).map((c) => c.id)).toEqual([keep.id]);
    const dump = await rawDump(db.name);
    for (const s of ['Samira', 'Nassar', 'Zoghbi', 'female', 'Merger Rania', 'aliases']) expect(dump.includes(s), s).toBe(false);
  });

  it('[X2][R8] blocking terms are stored as keyed hashes only: never the term, never its unkeyed hash', async () => {
    const { db, keys } = sealedDb();
    opened.push(db);
    const contacts = new DexieContactStore(db);
    const saved = await saveNewContact(contacts, contactFields({ birthDate: '1984-03-09', phone: '+96170123456' }), { createdBy: 'amal', now: new Date(), randomBytes: random });
    const terms = contactBlockingTerms(saved);
    expect(terms).toContain('b:born:1984-03-09');
    const [row] = await db.terms.toArray();
    const ofKind = (k: number) => [...row!.terms.filter((_, i) => row!.kinds[i] === k)];
    const blockTerms = ofKind(TERM_KINDS.indexOf('block'));
    expect(new Set(blockTerms)).toEqual(new Set(terms.map((t) => keys.current!.indexHash(t))));
    for (const t of terms) expect(blockTerms).not.toContain(keyHash(t));
    // A block term and a match key never share a hash: their terms differ (`b:` against canonical JSON).
    expect(blockTerms.some((h) => ofKind(TERM_KINDS.indexOf('key')).includes(h))).toBe(false);
    const dump = await rawDump(db.name);
    // Index hashes are 16-digit decimals and ciphertext decodes to random text, so every probe is long or
    // punctuated enough never to turn up there by chance (a bare '1984' once did, in a hash's digits).
    const probes = [...terms, 'b:born', 'b:first', 'b:phone', 'born:', ':1984', '1984-03', '70123456', 'Houman', ':HMN'];
    for (const s of probes) expect(dump.includes(s), s).toBe(false);
    expect(dump).toContain(String(blockTerms[0]));
    // And they find the contact again.
    expect((await contacts.withBlockingTerms(['b:born:1984-03-09'], 10)).map((c) => c.id)).toEqual([saved.id]);
  });

  it('[X2] while locked nothing is read or written; the keys come back and so does the data', async () => {
    const { db, keys } = sealedDb();
    opened.push(db);
    const contacts = new DexieContactStore(db);
    const saved = await saveNewContact(contacts, contactFields(), { createdBy: 'amal', now: new Date(), randomBytes: random });
    const held = keys.current;
    keys.current = null;
    await expect(contacts.get(saved.id)).rejects.toThrow('locked');
    await expect(contacts.search('Houman', 5)).rejects.toThrow('locked');
    await expect(saveNewContact(contacts, contactFields(), { createdBy: 'amal', now: new Date(), randomBytes: random })).rejects.toThrow('locked');
    keys.current = held;
    expect(await contacts.get(saved.id)).toEqual(saved);
    expect(await contacts.count()).toBe(1);
  });

  it('[X2] a row is sealed with XChaCha20-Poly1305 under the row key (HKDF "ihyid/x2/rows/v2"); a row an earlier version sealed with AES-GCM is still read, on both paths, and sealed anew when written', async () => {
    const dataKey = random(32);
    const keys = new RecordKeys(dataKey, random);
    const db = openDb(`rows-v2-${Math.random()}`, undefined, undefined, { keys: () => keys });
    opened.push(db);
    const contacts = new DexieContactStore(db);
    const meta = { createdBy: 'amal', now: new Date(), randomBytes: random };
    const a = await saveNewContact(contacts, contactFields(), meta);
    const b = await saveNewContact(contacts, contactFields({ firstName: 'Hana' }), meta);
    const raw = rawConnection(db.name);
    await raw.open();
    const rowA = (await raw.table('contacts').get(a.id)) as { $x: Uint8Array };
    // Opened here by noble's XChaCha20-Poly1305 under a key derived in the test: the format PROTOCOL §8 names.
    const rowKey = hkdf(sha256, dataKey, undefined, new TextEncoder().encode('ihyid/x2/rows/v2'), 32);
    const plain = xchacha20poly1305(rowKey, rowA.$x.subarray(0, 24), new TextEncoder().encode(`contacts\u0000${a.id}`)).decrypt(rowA.$x.subarray(24));
    expect(JSON.parse(new TextDecoder().decode(plain)).firstName).toBe(a.firstName);
    // Hana's row as an earlier version wrote it: `$s`, AES-256-GCM under the record key.
    const { id: _id, updatedAt: _at, ...secret } = b;
    await raw.table('contacts').put({ id: b.id, updatedAt: b.updatedAt, $s: keys.seal(secret, `contacts\u0000${b.id}`) });
    expect(await contacts.get(b.id)).toEqual(b);
    expect(await openStoredContacts(db.name, keys, (await raw.table('contacts').bulkGet([a.id, b.id])) as Record<string, unknown>[])).toEqual([a, b]);
    await contacts.update(b.id, (c) => ({ ...c, firstName: 'Hanan' }));
    expect(Object.keys((await raw.table('contacts').get(b.id)) as object).sort()).toEqual(['$x', 'id', 'updatedAt']);
    raw.close();
  });

  it('[R9] [X2] a page of sealed rows opened in bulk ends its task every 500 rows: what waits runs in between', async () => {
    const keys = new RecordKeys(random(32), random);
    const clear = ['id'];
    const rows = Array.from({ length: 1_100 }, (_, i) => sealRow(keys, 'contacts', clear, { id: `c${i}`, firstName: `N${i}` }));
    let opened = 0;
    const counting = Object.create(keys, { openRow: { value: (sealed: Uint8Array, aad: string) => (opened++, keys.openRow(sealed, aad)) } }) as RecordKeys;
    // Queued before the page starts: it runs at the first yield, not after the last row.
    let seenAt = -1;
    setTimeout(() => (seenAt = opened), 0);
    const out = await openRows(counting, 'contacts', clear, rows);
    expect(out.map((row) => row.firstName)).toEqual(rows.map((_, i) => `N${i}`));
    expect(opened).toBe(1_100);
    expect(seenAt).toBe(500);
  });

  it('[X2] a sealed record moved to another row, or changed, does not open', async () => {
    const { db, keys, contacts, a, b } = await twoSealedContacts();
    db.close();
    const raw = rawConnection(db.name);
    await raw.open();
    const rowA = await raw.table('contacts').get(a.id);
    await raw.table('contacts').put({ ...rowA, id: b.id });
    const sealed = (rowA as { $x: Uint8Array }).$x;
    await raw.table('contacts').put({ ...rowA, $x: sealed.map((x, i) => (i === sealed.length - 1 ? x ^ 1 : x)) });
    raw.close();
    const again = openDb(db.name, undefined, undefined, { keys: () => keys.current! });
    opened.push(again);
    await expect(new DexieContactStore(again).get(b.id)).rejects.toThrow();
    await expect(new DexieContactStore(again).get(a.id)).rejects.toThrow();
  });

  it('[X2][A3] a check worker opens sealed contacts on WebCrypto to the same items as the store, and refuses a moved or changed record', async () => {
    const { db, keys, contacts, a, b } = await twoSealedContacts();
    const viaStore = await readCheckItemsPage(contacts, null);
    expect(viaStore.items).toHaveLength(2);
    expect(await workerCheckItemsPage(null, undefined, keys.current!.dataKeyCopy(), db.name)).toEqual(viaStore);
    // The data key given to the reader is wiped once it has its own keys.
    const copy = keys.current!.dataKeyCopy();
    await workerCheckItemsPage(null, undefined, copy, db.name);
    expect(copy.every((x) => x === 0)).toBe(true);
    const raw = rawConnection(db.name);
    await raw.open();
    const rowA = await raw.table('contacts').get(a.id);
    await raw.table('contacts').put({ ...rowA, id: b.id });
    await expect(workerCheckItemsPage(null, undefined, keys.current!.dataKeyCopy(), db.name)).rejects.toThrow();
    const sealed = (rowA as { $x: Uint8Array }).$x;
    await raw.table('contacts').put({ ...rowA, $x: sealed.map((x, i) => (i === sealed.length - 1 ? x ^ 1 : x)) });
    await raw.table('contacts').delete(b.id);
    await expect(workerCheckItemsPage(null, undefined, keys.current!.dataKeyCopy(), db.name)).rejects.toThrow();
    raw.close();
  });

  it('[X2] the data key opens only with its passphrase; a changed wrapped key is refused the same way', async () => {
    const dataKey = random(32);
    const wrapped = await wrapDataKey(dataKey, 'correct horse battery staple', argon2idKek, random, FAST);
    expect(await unwrapDataKey(wrapped, 'correct horse battery staple', argon2idKek)).toEqual({ ok: true, value: dataKey });
    expect(await unwrapDataKey(wrapped, 'correct horse battery stapl', argon2idKek)).toEqual({ ok: false, error: VaultError.WrongPassphrase });
    const tampered = { ...wrapped, wrapped: wrapped.wrapped.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    expect(await unwrapDataKey(tampered, 'correct horse battery staple', argon2idKek)).toEqual({ ok: false, error: VaultError.WrongPassphrase });
    expect(JSON.stringify(wrapped)).not.toContain('correct horse');
  });

  it('[X2] index hashes are keyed: another data key hashes the same term differently', () => {
    const [k1, k2] = [new RecordKeys(random(32), random), new RecordKeys(random(32), random)];
    expect(k1.indexHash('k:MHMT')).toBe(k1.indexHash('k:MHMT'));
    expect(k1.indexHash('k:MHMT')).not.toBe(k2.indexHash('k:MHMT'));
    expect(Number.isSafeInteger(k1.indexHash('x'))).toBe(true);
  });

  it('[X2] an index hash is HMAC-SHA256 under the index key, the same whether the term was hashed before or not', () => {
    const dataKey = random(32);
    const keys = new RecordKeys(dataKey, random);
    const indexKey = hkdf(sha256, dataKey, undefined, new TextEncoder().encode('ihyid/x2/index/v1'), 32);
    const expected = (term: string) => {
      const mac = hmac(sha256, indexKey, new TextEncoder().encode(term));
      return (mac[0]! & 0x1f) * 2 ** 48 + mac[1]! * 2 ** 40 + mac[2]! * 2 ** 32 + mac[3]! * 2 ** 24 + mac[4]! * 2 ** 16 + mac[5]! * 2 ** 8 + mac[6]!;
    };
    // More terms than it remembers, each asked for twice, and the first ones again after the others pushed them out.
    const terms = Array.from({ length: 70_000 }, (_, i) => `p:t${i}`);
    for (const term of terms.slice(0, 3)) expect(keys.indexHash(term)).toBe(expected(term));
    for (const term of terms) keys.indexHash(term);
    for (const term of [...terms.slice(0, 3), ...terms.slice(-3)]) expect([keys.indexHash(term), keys.indexHash(term)]).toEqual([expected(term), expected(term)]);
  });
});
