import { afterEach, describe, expect, it } from 'vitest';
import {
  blockingTerms,
  BLOCK_CAP,
  ContactStoreError,
  DEFAULT_SCORE_PARAMETERS,
  scorePair,
  isUuidV4,
  matchKeys,
  pairId,
  pendingPair,
  seededBytes,
  validateContactInput,
  type CheckId,
  type CheckResultStore,
  type ContactId,
  type ContactInput,
  type ContactStore,
  type InvitationStore,
  type PhoneticIdV0,
} from '@ihyid/shared';
import { saveNewContact, updateContact, type ContactFields, type NewContactMeta } from './contacts';
import type { IhyidDb } from './db';
import { DexieContactStore } from './dexie-stores';
import { DexieCheckResultStore, DexieInvitationStore } from './partner-stores';
import { decideDifferent, findCandidates, mergeHistory, type BlockingLookup } from './duplicates';

/** What one contract run needs: fresh, empty stores, and how to drop them afterwards. */
export interface ContractStores {
  contacts: ContactStore;
  checks: CheckResultStore;
  invitations: InvitationStore;
  dispose(): Promise<void>;
}

/** The Dexie stores over one database, deleted afterwards. */
export function dexieContractStores(db: IhyidDb): ContractStores {
  return {
    contacts: new DexieContactStore(db),
    checks: new DexieCheckResultStore(db),
    invitations: new DexieInvitationStore(db),
    dispose: async () => {
      db.close();
      await db.delete();
    },
  };
}

/** Validated fields with their match keys, as the editor and the import produce them. */
export function contactFields(over: Partial<ContactInput> = {}, phoneticIdV0: PhoneticIdV0 | null = null): ContactFields {
  const base: ContactInput = { firstName: 'Houman', lastName: 'Haddad', fatherName: 'Michael', motherName: 'Barbara', birthDate: '1976-05-07', sex: 'male', phone: '+9613123456', documentType: 'National ID', documentNumber: 'LB-123', location: 'Tripoli', householdSize: '4', notes: '' };
  const v = validateContactInput({ ...base, ...over }, { today: '2026-11-22' });
  if (!v.ok) throw new Error(JSON.stringify(v.error));
  return { ...v.value, phoneticIdV0, matchKeys: matchKeys(v.value) };
}

/**
 * The ContactStore contract (with the check-result store beside it): the same behaviour from every
 * implementation, the in-memory one and Dexie's. Invitations, bonds and the check audit: partner-stores.contract.ts.
 */
/** Every contact's id, read `size` at a time in id order through `page`, as an export or a check reads them. */
export async function idsPageByPage(contacts: ContactStore, size: number): Promise<string[]> {
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page = await contacts.page(after, size);
    ids.push(...page.map((c) => c.id));
    if (page.length < size) return ids;
    after = page[page.length - 1]!.id;
  }
}

export function runContactStoreContract(label: string, make: () => Promise<ContractStores>): void {
  describe(`ContactStore contract: ${label}`, () => {
    const made: ContractStores[] = [];
    let now: () => Date;
    let meta: () => NewContactMeta;

    async function fresh(): Promise<ContractStores> {
      const stores = await make();
      made.push(stores);
      let t = Date.UTC(2026, 10, 21, 8, 0, 0);
      // A clock that moves one minute per call, so updatedAt orders records by write order.
      now = () => new Date((t += 60_000));
      const randomBytes = seededBytes(made.length * 7919);
      meta = () => ({ createdBy: 'amal', now: now(), randomBytes });
      return stores;
    }

    afterEach(async () => {
      for (const s of made.splice(0)) await s.dispose();
    });

    it('[R1] saves a new contact with a UUID v4 id, a 32-byte secret, timestamps and its author, and gives it back as saved', async () => {
      const { contacts } = await fresh();
      const saved = await saveNewContact(contacts, contactFields(), meta());
      expect(isUuidV4(saved.id)).toBe(true);
      expect(saved.secretHex).toMatch(/^[0-9a-f]{64}$/);
      expect(saved.createdAt).toBe(saved.updatedAt);
      expect(saved.createdBy).toBe('amal');
      expect(await contacts.get(saved.id)).toEqual(saved);
      expect(await contacts.getMany([saved.id, 'nobody'])).toEqual([saved, undefined]);
      expect(await contacts.count()).toBe(1);
    });

    it('[A1] gives every contact its own secret, even for the same person typed twice', async () => {
      const { contacts } = await fresh();
      const a = await saveNewContact(contacts, contactFields(), meta());
      const b = await saveNewContact(contacts, contactFields(), meta());
      expect(a.id).not.toBe(b.id);
      expect(a.secretHex).not.toBe(b.secretHex);
    });

    it('[R1] stores only contact fields, whatever else the caller passes', async () => {
      const { contacts } = await fresh();
      const saved = await saveNewContact(contacts, { ...contactFields(), birthRaw: '1976-05-07' } as ContactFields, meta());
      expect(Object.keys((await contacts.get(saved.id))!)).not.toContain('birthRaw');
    });

    it('[R4] adding a batch with an id already stored stores nothing of the batch', async () => {
      const { contacts } = await fresh();
      const saved = await saveNewContact(contacts, contactFields(), meta());
      const other = { ...saved, id: '7d3f2c1a-0b4e-4c5d-8e6f-112233445566' as ContactId, firstName: 'Hana' };
      await expect(contacts.add([other, saved])).rejects.toThrow();
      expect(await contacts.count()).toBe(1);
      expect(await contacts.get(other.id)).toBeUndefined();
    });

    it('[R1] update keeps id, secret, creation time and author, and refreshes updatedAt and the phonetic id', async () => {
      const { contacts } = await fresh();
      const saved = await saveNewContact(contacts, contactFields(), meta());
      const pid = 'H550-H330-B616-M240-1976' as PhoneticIdV0;
      const result = await updateContact(contacts, saved.id, contactFields({ birthDate: '1976' }, pid), now());
      expect(result.ok).toBe(true);
      const stored = (await contacts.get(saved.id))!;
      expect(stored).toMatchObject({ id: saved.id, secretHex: saved.secretHex, createdAt: saved.createdAt, createdBy: 'amal', phoneticIdV0: pid, birth: { kind: 'year', year: 1976, approximate: true } });
      expect(stored.updatedAt > saved.updatedAt).toBe(true);
    });

    it('[R2] updating a contact that does not exist saves nothing and says so', async () => {
      const { contacts } = await fresh();
      const result = await updateContact(contacts, '7d3f2c1a-0b4e-4c5d-8e6f-112233445566', contactFields(), now());
      expect(result).toEqual({ ok: false, error: ContactStoreError.NotFound });
      expect(await contacts.count()).toBe(0);
    });

    it('[R3] searches first and last names by prefix, case-insensitively, newest first, without repeats', async () => {
      const { contacts } = await fresh();
      await saveNewContact(contacts, contactFields(), meta());
      await saveNewContact(contacts, contactFields({ firstName: 'Hana', lastName: 'Khoury' }), meta());
      await saveNewContact(contacts, contactFields({ firstName: 'Karim', lastName: 'Hamdan' }), meta());
      await saveNewContact(contacts, contactFields({ firstName: 'Sami', lastName: 'Nasr' }), meta());
      // Matches on both names and must appear once.
      await saveNewContact(contacts, contactFields({ firstName: 'Hadi', lastName: 'Haddad' }), meta());
      const names = async (q: string, limit = 10) => (await contacts.search(q, limit)).map((c) => c.firstName);
      expect(await names('ha')).toEqual(['Hadi', 'Karim', 'Hana', 'Houman']);
      expect(await names('HADD')).toEqual(['Hadi', 'Houman']);
      expect(await names('  kh ')).toEqual(['Hana']);
      expect(await names('ha', 2)).toEqual(['Hadi', 'Karim']);
      expect(await names('houman had')).toEqual(['Houman']);
      expect(await names('zz')).toEqual([]);
    });

    it('[R3] an empty query lists the most recently updated contacts', async () => {
      const { contacts } = await fresh();
      const first = await saveNewContact(contacts, contactFields({ firstName: 'Rana' }), meta());
      await saveNewContact(contacts, contactFields({ firstName: 'Sami' }), meta());
      await saveNewContact(contacts, contactFields({ firstName: 'Lina' }), meta());
      await updateContact(contacts, first.id, contactFields({ firstName: 'Rania' }), now());
      expect((await contacts.search('', 2)).map((c) => c.firstName)).toEqual(['Rania', 'Lina']);
      expect((await contacts.search('   ', 10)).map((c) => c.firstName)).toEqual(['Rania', 'Lina', 'Sami']);
      expect((await contacts.recent(1)).map((c) => c.firstName)).toEqual(['Rania']);
    });

    it('[R1] finds names typed in Arabic script by prefix', async () => {
      const { contacts } = await fresh();
      await saveNewContact(contacts, contactFields({ firstName: 'محمد', lastName: 'الحسيني', fatherName: 'علي', motherName: 'زينب' }), meta());
      expect((await contacts.search('محم', 10)).map((c) => c.lastName)).toEqual(['الحسيني']);
    });

    it('[X8] finds a person under any spelling the duplicate check would match, in either script', async () => {
      const { contacts } = await fresh();
      await saveNewContact(contacts, contactFields({ firstName: 'محمد', lastName: 'الحسن', fatherName: 'علي', motherName: 'زينب' }), meta());
      await saveNewContact(contacts, contactFields({ firstName: 'Layla', lastName: 'Haddad' }), meta());
      await saveNewContact(contacts, contactFields({ firstName: 'Hussein', lastName: 'Nasr' }), meta());
      const names = async (q: string) => (await contacts.search(q, 10)).map((c) => `${c.firstName} ${c.lastName}`);
      for (const q of ['Mohamad', 'Mohammed', 'محمد', 'Alhassan', 'mohamad al-hassan']) expect(await names(q)).toEqual(['محمد الحسن']);
      expect(await names('Hadad')).toEqual(['Layla Haddad']);
      expect(await names('Leila Hadad')).toEqual(['Layla Haddad']);
      // Another name is not a spelling: Hassan is not Hussein, Mahmoud is not Mohammad.
      expect(await names('Hassan')).toEqual(['محمد الحسن']);
      expect(await names('Mahmoud')).toEqual([]);
    });

    it('[A3][R5] reads every contact once, in id order, a page at a time', async () => {
      const { contacts } = await fresh();
      const saved = [];
      for (let i = 0; i < 7; i++) saved.push(await saveNewContact(contacts, contactFields({ firstName: `Name${i}` }), meta()));
      expect(await idsPageByPage(contacts, 3)).toEqual(saved.map((c) => c.id).sort());
    });

    it('[R8] finds the contacts sharing a match key, with the shared keys, and not the record itself', async () => {
      const { contacts } = await fresh();
      const saved = await saveNewContact(contacts, contactFields({ firstName: 'Mohammad', fatherName: 'Ali', motherName: 'Zeinab', phone: '', documentNumber: '' }), meta());
      await saveNewContact(contacts, contactFields({ firstName: 'Hussein', fatherName: 'Ali', motherName: 'Zeinab', phone: '', documentNumber: '' }), meta());
      const probe = contactFields({ firstName: 'محمد', lastName: 'حداد', fatherName: 'علي', motherName: '', phone: '', documentNumber: '' });
      const found = await findCandidates(contacts, probe.matchKeys!, null);
      expect(found.map((c) => c.contact.id)).toEqual([saved.id]);
      expect(found[0]!.keys.length).toBeGreaterThan(0);
      expect(found[0]!.keys.every((k) => saved.matchKeys!.includes(k))).toBe(true);
      expect(await findCandidates(contacts, probe.matchKeys!, null, saved.id)).toEqual([]);
      expect(await contacts.withMatchKeys([])).toEqual([]);
    });

    it('[R8][X4] names the contacts holding each match key from the index alone, with the keys each holds', async () => {
      const { contacts } = await fresh();
      const sparse = { phone: '', documentNumber: '' };
      const a = await saveNewContact(contacts, contactFields({ ...sparse, firstName: 'Mohammad', fatherName: 'Ali', motherName: 'Zeinab' }), meta());
      const b = await saveNewContact(contacts, contactFields({ ...sparse, firstName: 'Mohamad', fatherName: 'Ali', motherName: 'Zeinab' }), meta());
      const other = await saveNewContact(contacts, contactFields({ ...sparse, firstName: 'Layla', lastName: 'Haddad', fatherName: 'Omar', motherName: 'Huda' }), meta());
      const shared = a.matchKeys!.filter((k) => b.matchKeys!.includes(k));
      expect(shared.length).toBeGreaterThan(0);
      const found = await contacts.idsWithMatchKeys([...a.matchKeys!, 'not-a-key']);
      expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
      expect([...found.get(a.id)!].sort()).toEqual([...new Set(a.matchKeys!)].sort());
      expect([...found.get(b.id)!].sort()).toEqual([...shared].sort());
      expect(found.has(other.id)).toBe(false);
      // The same contacts withMatchKeys reads and confirms.
      expect([...found.keys()].sort()).toEqual((await contacts.withMatchKeys(a.matchKeys!)).map((c) => c.id).sort());
      expect((await contacts.idsWithMatchKeys([])).size).toBe(0);
    });

    it('[R8][R9] a re-registration with a mistyped family name shares no key: found by a blocking term, shown as the scorer says', async () => {
      const { contacts } = await fresh();
      const sparse = { fatherName: '', location: '', phone: '', documentNumber: '' };
      const saved = await saveNewContact(contacts, contactFields({ ...sparse, firstName: 'Mohammad', motherName: 'Zeinab' }), meta());
      // A brother born the same day (a twin) shares the birth date term too; the scorer keeps him out.
      const twin = await saveNewContact(contacts, contactFields({ ...sparse, firstName: 'Hussein', motherName: 'Zeinab' }), meta());
      const probe = contactFields({ ...sparse, firstName: 'Mohammad', lastName: 'Haddaf', motherName: 'Zeinab' });
      const blocking: BlockingLookup = { terms: blockingTerms(probe), score: async (cs) => cs.map((c) => scorePair(probe, c, DEFAULT_SCORE_PARAMETERS)) };
      expect(await findCandidates(contacts, probe.matchKeys!, null)).toEqual([]);
      expect((await contacts.withBlockingTerms(blocking.terms, BLOCK_CAP)).map((c) => c.id).sort()).toEqual([saved.id, twin.id].sort());
      const found = await findCandidates(contacts, probe.matchKeys!, null, undefined, blocking);
      expect(found.map((c) => c.contact.id)).toEqual([saved.id]);
      expect(found[0]!.keys).toEqual([]);
      expect(found[0]!.score?.decision).toBe('likely');
      expect(found[0]!.score?.reasons.find((r) => r.field === 'last')?.level).toBe('similar');
      // A term more contacts share than the cap finds no one: the birth date (both); first name + year still finds one.
      expect((await contacts.withBlockingTerms(blocking.terms, 1)).map((c) => c.id)).toEqual([saved.id]);
      expect(await contacts.withBlockingTerms([blockingTerms(probe)[0]!], 1)).toEqual([]);
      // Decided as different people: never asked again.
      const who = { by: 'amal', at: now() };
      await decideDifferent(contacts, { a: twin.id, b: saved.id, keys: [], foundBy: 'save', at: who.at }, who);
      expect(await findCandidates(contacts, twin.matchKeys!, null, twin.id, { ...blocking, score: async (cs) => cs.map((c) => scorePair(twin, c, DEFAULT_SCORE_PARAMETERS)) })).toEqual([]);
    });

    it('[R8] leaves out pairs already decided as different people, and remembers the decision', async () => {
      const { contacts } = await fresh();
      const a = await saveNewContact(contacts, contactFields({ firstName: 'Mohammad' }), meta());
      const b = await saveNewContact(contacts, contactFields({ firstName: 'Muhammad' }), meta());
      expect((await findCandidates(contacts, b.matchKeys!, null, b.id)).map((c) => c.contact.id)).toEqual([a.id]);
      const who = { by: 'amal', at: now() };
      await decideDifferent(contacts, { a: b.id, b: a.id, keys: [], foundBy: 'save', at: who.at }, who);
      expect(await findCandidates(contacts, b.matchKeys!, null, b.id)).toEqual([]);
      expect((await contacts.pairs([pairId(a.id, b.id)]))[0]?.status).toBe('different');
    });

    it('[R8] pending pairs never overwrite a decision, and are counted and listed', async () => {
      const { contacts } = await fresh();
      const at = now();
      await contacts.putPair({ ...pendingPair({ a: 'x', b: 'y', keys: ['k'], foundBy: 'save', at }), status: 'different', decidedAt: at.toISOString(), decidedBy: 'amal' });
      await contacts.addPendingPairs([pendingPair({ a: 'y', b: 'x', keys: ['k'], foundBy: 'job', at }), pendingPair({ a: 'x', b: 'z', keys: ['k'], foundBy: 'job', at })]);
      expect((await contacts.pairs([pairId('x', 'y')]))[0]).toMatchObject({ status: 'different', foundBy: 'save' });
      expect(await contacts.countPending()).toBe(1);
      expect((await contacts.pendingPairs(10)).map((p) => p.id)).toEqual([pairId('x', 'z')]);
      expect((await contacts.allPairs()).map((p) => p.id).sort()).toEqual([pairId('x', 'y'), pairId('x', 'z')].sort());
    });

    it('[R8] a merge keeps one contact, the other whole in its history, both sets of keys, and moves its pending pairs', async () => {
      const { contacts } = await fresh();
      const keep = await saveNewContact(contacts, contactFields({ firstName: 'Mohammad' }), meta());
      const gone = await saveNewContact(contacts, contactFields({ firstName: 'Mohamed', phone: '+9613999999' }), meta());
      const third = await saveNewContact(contacts, contactFields({ firstName: 'Mhmd' }), meta());
      await contacts.addPendingPairs([pendingPair({ a: gone.id, b: third.id, keys: ['k'], foundBy: 'job', at: now() })]);
      const who = { by: 'amal', at: now() };
      expect(await contacts.merge(keep.id, gone.id, who)).toBe(true);
      expect(await contacts.get(gone.id)).toBeUndefined();
      expect((await contacts.mergedRecords([gone.id]))[0]).toMatchObject({ intoId: keep.id, mergedBy: 'amal', record: gone });
      const kept = (await contacts.get(keep.id))!;
      expect(kept.matchKeys).toEqual(expect.arrayContaining([...keep.matchKeys!, ...gone.matchKeys!]));
      expect((await contacts.withMatchKeys(gone.matchKeys!)).map((c) => c.id)).toContain(keep.id);
      const [same, old, moved] = await contacts.pairs([pairId(keep.id, gone.id), pairId(gone.id, third.id), pairId(keep.id, third.id)]);
      expect(same).toMatchObject({ status: 'same', keptId: keep.id, decidedBy: 'amal' });
      expect(old).toBeUndefined();
      expect(moved).toMatchObject({ status: 'pending', foundBy: 'job' });
      expect(await contacts.merge(keep.id, gone.id, who)).toBe(false);
    });

    it('[R8][X8] a merge with choices keeps known values, the other spelling as an alias (kept by edits, searchable) and the history', async () => {
      const { contacts } = await fresh();
      const keep = await saveNewContact(contacts, contactFields({ firstName: 'Fatima', lastName: 'Haddad', sex: '' }), meta());
      const gone = await saveNewContact(contacts, contactFields({ firstName: 'Fatima', lastName: 'Khoury', sex: 'female', phone: '' }), meta());
      expect(await contacts.merge(keep.id, gone.id, { by: 'amal', at: now() }, { fields: { phone: 'kept' } })).toBe(true);
      const kept = (await contacts.get(keep.id))!;
      expect(kept).toMatchObject({ sex: 'female', phone: keep.phone, aliases: [{ firstName: 'Fatima', lastName: 'Khoury' }] });
      expect((await contacts.search('Khoury', 10)).map((c) => c.id)).toEqual([keep.id]);
      // An edit recomputes the keys from the form and the aliases (the editor's keysWithAliases): both still find it.
      const edited = contactFields({ firstName: 'Fatima', lastName: 'Haddad', sex: 'female', notes: 'edited' });
      const aliasKeys = matchKeys({ ...edited, ...kept.aliases![0]! });
      const saved = await updateContact(contacts, keep.id, { ...edited, matchKeys: [...edited.matchKeys!, ...aliasKeys] }, now());
      expect(saved.ok && saved.value.aliases).toEqual(kept.aliases);
      expect((await contacts.withMatchKeys(aliasKeys)).map((c) => c.id)).toEqual([keep.id]);
      expect((await contacts.search('Khoury', 10)).map((c) => c.id)).toEqual([keep.id]);
      // A second merge: the history holds both records, oldest first, also through a record merged into a merged one.
      const third = await saveNewContact(contacts, contactFields({ firstName: 'Fatma', lastName: 'Haddad' }), meta());
      const fourth = await saveNewContact(contacts, contactFields({ firstName: 'Fattoum', lastName: 'Haddad' }), meta());
      await contacts.merge(third.id, fourth.id, { by: 'rami', at: now() });
      await contacts.merge(keep.id, third.id, { by: 'amal', at: now() });
      expect((await contacts.mergedInto(keep.id)).map((m) => m.id)).toEqual([gone.id, third.id]);
      expect((await mergeHistory(contacts, keep.id)).map((m) => [m.record.firstName, m.mergedBy])).toEqual([['Fatima', 'amal'], ['Fattoum', 'rami'], ['Fatma', 'amal']]);
      expect((await contacts.get(keep.id))!.aliases!.map((a) => a.firstName)).toEqual(['Fatima', 'Fatma', 'Fattoum']);
      expect(await contacts.mergedInto(gone.id)).toEqual([]);
    });

    it('[A5][A8] stores a check with its results together, and lists results only for the contacts asked about', async () => {
      const { checks } = await fresh();
      const row = (id: string, contactId: string, partnerName: string, checkedAt: string) => ({ id, contactId: contactId as ContactId, checkId: 'k1' as CheckId, partnerName, protocol: 'psi-v2', checkedAt });
      const record = { id: 'k1' as CheckId, partnerName: 'Org X', protocol: 'psi-v2', role: 'asked' as const, checkedAt: '2026-11-21T10:00:00.000Z', sent: 3, known: 3 };
      await checks.addCheck(record, [row('o1', 'a', 'Org X', '2026-11-20T10:00:00.000Z'), row('o2', 'a', 'Org Y', '2026-11-21T10:00:00.000Z'), row('o3', 'b', 'Org Z', '2026-11-21T10:00:00.000Z')]);
      expect((await checks.overlapsFor(['a'])).map((r) => r.partnerName)).toEqual(['Org Y', 'Org X']);
      expect(await checks.overlapsFor([])).toEqual([]);
      // Several contacts at once (each looked up in the index, an id asked twice read once), newest first (o2 and o3 tie).
      const several = (await checks.overlapsFor(['b', 'a', 'b'])).map((r) => r.id);
      expect(several).toHaveLength(3);
      expect(several.slice(0, 2).sort()).toEqual(['o2', 'o3']);
      expect(several[2]).toBe('o1');
      expect((await checks.allOverlaps()).map((r) => r.id)[0]).toBe('o1');
      expect(await checks.recentChecks(5)).toEqual([record]);
      // The same check again: refused whole, nothing of it added.
      await expect(checks.addCheck(record, [row('o4', 'c', 'Org X', '2026-11-22T10:00:00.000Z')])).rejects.toThrow();
      expect(await checks.overlapsFor(['c'])).toEqual([]);
    });
  });
}
