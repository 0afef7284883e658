import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { isUuidV4, seededBytes, testContactFields, type ContactId, type PhoneticIdV0 } from '@ihyid/shared';
import {
  ContactStoreError,
  getContact,
  overlapsForContacts,
  saveNewContact,
  searchContacts,
  updateContact,
  type ContactFields,
  type NewContactMeta,
} from './contacts';
import { openDb, type IhyidDb } from './db';
import { keyHashes } from './key-hashes';

const HOUMAN_PID = 'H550-H330-B616-M240-19760507' as PhoneticIdV0;

function fields(overrides: Partial<ContactFields> = {}): ContactFields {
  return {
    ...testContactFields({ sex: 'male', phone: '+9613123456', documentType: 'National ID', documentNumber: 'LB-123', location: 'Tripoli', householdSize: 4 }),
    phoneticIdV0: HOUMAN_PID,
    ...overrides,
  };
}

/** A clock that moves one minute per call, so updatedAt orders records by write order. */
function fakeClock(start = Date.UTC(2026, 10, 21, 8, 0, 0)): () => Date {
  let t = start;
  return () => new Date((t += 60_000));
}

/**
 * The ContactStore contract. Run here against Dexie on fake-indexeddb; an in-memory store can run
 * the same suite by providing a factory.
 */
function runContactStoreContract(label: string, makeDb: () => IhyidDb) {
  describe(`ContactStore contract: ${label}`, () => {
    const opened: IhyidDb[] = [];
    let now: () => Date;
    let meta: () => NewContactMeta;

    function freshDb(): IhyidDb {
      const db = makeDb();
      opened.push(db);
      now = fakeClock();
      const randomBytes = seededBytes(opened.length * 7919);
      meta = () => ({ createdBy: 'amal', now: now(), randomBytes });
      return db;
    }

    afterEach(async () => {
      // Close every connection first, so that no delete has to wait for (or interrupt) another one.
      const dbs = opened.splice(0);
      for (const db of dbs) db.close();
      for (const db of dbs) await db.delete();
    });

    it('[R1] saves a new contact with a UUID v4 id, a 32-byte secret, timestamps and its author', async () => {
      const db = freshDb();
      const saved = await saveNewContact(db, fields(), meta());
      expect(isUuidV4(saved.id)).toBe(true);
      expect(saved.secretHex).toMatch(/^[0-9a-f]{64}$/);
      expect(saved.createdAt).toBe(saved.updatedAt);
      expect(new Date(saved.createdAt).toISOString()).toBe(saved.createdAt);
      expect(saved.createdBy).toBe('amal');
      expect(await getContact(db, saved.id)).toEqual({ ...saved, keyHashes: keyHashes(saved.matchKeys) });
    });

    it('[A1] gives every contact its own secret, even for the same person typed twice', async () => {
      const db = freshDb();
      const a = await saveNewContact(db, fields(), meta());
      const b = await saveNewContact(db, fields(), meta());
      expect(a.id).not.toBe(b.id);
      expect(a.secretHex).not.toBe(b.secretHex);
    });

    it('[R1] stores only contact fields, whatever else the caller passes', async () => {
      const db = freshDb();
      const extra = { ...fields(), birthRaw: '1976-05-07' } as ContactFields;
      const saved = await saveNewContact(db, extra, meta());
      expect(Object.keys((await getContact(db, saved.id))!)).not.toContain('birthRaw');
    });

    it('[R3] keeps contacts when the database is closed and opened again', async () => {
      const db = freshDb();
      const saved = await saveNewContact(db, fields(), meta());
      db.close();
      const again = openDb(db.name);
      opened.push(again);
      expect(await getContact(again, saved.id)).toEqual({ ...saved, keyHashes: keyHashes(saved.matchKeys) });
    });

    it('[R1] update keeps id, secret, creation time and author, and refreshes updatedAt and the phonetic id', async () => {
      const db = freshDb();
      const saved = await saveNewContact(db, fields(), meta());
      const pid = 'H550-H330-B616-M240-1976' as PhoneticIdV0;
      const result = await updateContact(db, saved.id, fields({ birth: { kind: 'year', year: 1976, approximate: true }, phoneticIdV0: pid }), now());
      expect(result.ok).toBe(true);
      const stored = (await getContact(db, saved.id))!;
      expect(stored).toMatchObject({
        id: saved.id,
        secretHex: saved.secretHex,
        createdAt: saved.createdAt,
        createdBy: 'amal',
        phoneticIdV0: pid,
        birth: { kind: 'year', year: 1976, approximate: true },
      });
      expect(stored.updatedAt > saved.updatedAt).toBe(true);
    });

    it('[R2] updating a contact that does not exist saves nothing and says so', async () => {
      const db = freshDb();
      const missing = '7d3f2c1a-0b4e-4c5d-8e6f-112233445566' as ContactId;
      const result = await updateContact(db, missing, fields(), now());
      expect(result).toEqual({ ok: false, error: ContactStoreError.NotFound });
      expect(await db.contacts.count()).toBe(0);
    });

    it('[R3] searches first and last names by prefix, case-insensitively, newest first, without repeats', async () => {
      const db = freshDb();
      await saveNewContact(db, fields(), meta());
      await saveNewContact(db, fields({ firstName: 'Hana', lastName: 'Khoury', phoneticIdV0: null }), meta());
      await saveNewContact(db, fields({ firstName: 'Karim', lastName: 'Hamdan', phoneticIdV0: null }), meta());
      await saveNewContact(db, fields({ firstName: 'Sami', lastName: 'Nasr', phoneticIdV0: null }), meta());
      // Houman Haddad matches on both indexes and must appear once.
      await saveNewContact(db, fields({ firstName: 'Hadi', lastName: 'Haddad', phoneticIdV0: null }), meta());

      const ids = async (q: string, limit = 10) => (await searchContacts(db, q, limit)).map((c) => c.firstName);
      expect(await ids('ha')).toEqual(['Hadi', 'Karim', 'Hana', 'Houman']);
      expect(await ids('HADD')).toEqual(['Hadi', 'Houman']);
      expect(await ids('  kh ')).toEqual(['Hana']);
      expect(await ids('ha', 2)).toEqual(['Hadi', 'Karim']);
      expect(await ids('houman had')).toEqual(['Houman']);
      expect(await ids('zz')).toEqual([]);
    });

    it('[R3] an empty query lists the most recently updated contacts', async () => {
      const db = freshDb();
      const first = await saveNewContact(db, fields({ firstName: 'Rana' }), meta());
      await saveNewContact(db, fields({ firstName: 'Sami' }), meta());
      await saveNewContact(db, fields({ firstName: 'Lina' }), meta());
      await updateContact(db, first.id, fields({ firstName: 'Rania' }), now());
      expect((await searchContacts(db, '', 2)).map((c) => c.firstName)).toEqual(['Rania', 'Lina']);
      expect((await searchContacts(db, '   ', 10)).map((c) => c.firstName)).toEqual(['Rania', 'Lina', 'Sami']);
    });

    it('[R1] finds names typed in Arabic script by prefix', async () => {
      const db = freshDb();
      await saveNewContact(db, fields({ firstName: 'محمد', lastName: 'الحسيني', phoneticIdV0: null }), meta());
      expect((await searchContacts(db, 'محم', 10)).map((c) => c.lastName)).toEqual(['الحسيني']);
    });

    it('[A5] lists overlap results only for the contacts asked about', async () => {
      const db = freshDb();
      const a = await saveNewContact(db, fields(), meta());
      const b = await saveNewContact(db, fields({ firstName: 'Hana' }), meta());
      const row = (id: string, contactId: ContactId, partnerName: string, checkedAt: string) =>
        ({ id, contactId, checkId: 'c1', partnerName, protocol: 'psi-v2', checkedAt }) as never;
      await db.overlaps.bulkAdd([
        row('o1', a.id, 'Org X', '2026-11-20T10:00:00.000Z'),
        row('o2', a.id, 'Org Y', '2026-11-21T10:00:00.000Z'),
        row('o3', b.id, 'Org Z', '2026-11-21T10:00:00.000Z'),
      ]);
      expect((await overlapsForContacts(db, [a.id])).map((r) => r.partnerName)).toEqual(['Org Y', 'Org X']);
      expect(await overlapsForContacts(db, [])).toEqual([]);
    });
  });
}

runContactStoreContract('Dexie on fake-indexeddb', () => openDb(`test-${Math.random().toString(36).slice(2)}`));
