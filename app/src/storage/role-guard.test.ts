import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, pendingPair, Role, RoleForbiddenError, type CheckId, type CheckRecord, type Contact, type ListId } from '@ihyid/shared';
import { RecordKeys } from './at-rest/keyring';
import { workerCheckItemsPage } from './check-items-reader';
import { loadCheckItems, readCheckItemsPage } from './check-results';
import { contactFields } from './contact-store.contract';
import { saveNewContact } from './contacts';
import { openDb, type IhyidDb } from './db';
import { HeldVersions } from './held-versions';
import { dexieListStore, type ListStore } from './lists';
import { listsForRole, storesForRole } from './role-guard';
import { dexieStores, type Stores } from './stores';
import { testDbs } from './test-dbs';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const dbs = testDbs('roles');
afterEach(dbs.closeAll);

const check = (tag: string): CheckRecord => ({ id: `check-${tag}` as CheckId, partnerName: 'P', protocol: 'psi-v2', role: 'asked', checkedAt: '2026-12-05T00:00:00.000Z', sent: 3, known: 1 });

/** One call of every guarded method, with arguments that succeed when allowed. */
function calls(s: Stores, lists: ListStore, saved: Contact, tag: string): Record<string, () => Promise<unknown>> {
  const copy = { ...saved, id: `${saved.id}-${tag}` } as Contact;
  const pair = pendingPair({ a: saved.id, b: copy.id, keys: [], foundBy: tag, at: new Date() });
  return {
    'contacts.add': () => s.contacts.add([copy]),
    'contacts.update': () => s.contacts.update(saved.id, (c) => ({ ...c, notes: tag })),
    'contacts.get': () => s.contacts.get(saved.id),
    'contacts.getMany': () => s.contacts.getMany([saved.id]),
    'contacts.count': () => s.contacts.count(),
    'contacts.ids': () => s.contacts.ids(),
    'contacts.recent': () => s.contacts.recent(5),
    'contacts.search': () => s.contacts.search('Houman', 5),
    'contacts.withMatchKeys': () => s.contacts.withMatchKeys(saved.matchKeys ?? []),
    'contacts.idsWithMatchKeys': () => s.contacts.idsWithMatchKeys(saved.matchKeys ?? []),
    'contacts.page': () => s.contacts.page(null, 5),
    'contacts.pairs': () => s.contacts.pairs([pair.id]),
    'contacts.addPendingPairs': () => s.contacts.addPendingPairs([pair]),
    'contacts.putPair': () => s.contacts.putPair({ ...pair, status: 'different' } as typeof pair),
    'contacts.merge': () => s.contacts.merge('gone-1', 'gone-2', { name: tag } as never),
    'contacts.pendingPairs': () => s.contacts.pendingPairs(5),
    'contacts.countPending': () => s.contacts.countPending(),
    'contacts.allPairs': () => s.contacts.allPairs(),
    'contacts.mergedRecords': () => s.contacts.mergedRecords(['x']),
    // A checker's own check stores its per-contact results (ids only) for caseworkers to see.
    'checks.addCheck': () => s.checks.addCheck(check(tag), [{ id: `r-${tag}`, contactId: saved.id, checkId: check(tag).id, partnerName: 'P', protocol: 'psi-v2', checkedAt: check(tag).checkedAt }]),
    'checks.recentChecks': () => s.checks.recentChecks(5),
    'checks.overlapsFor': () => s.checks.overlapsFor([saved.id]),
    'checks.allOverlaps': () => s.checks.allOverlaps(),
    'invitations.add': () => s.invitations.add({ id: `inv-${tag}`, secret: 's', createdAt: '2026-12-05T00:00:00.000Z', label: tag }),
    'invitations.list': () => s.invitations.list(),
    'invitations.bySecret': () => s.invitations.bySecret('s'),
    'invitations.revoke': () => s.invitations.revoke(`inv-${tag}`),
    // I9: binding a partner (and using up the link) is a checker's work too; so is meeting bound partners again.
    'invitations.bind': () => s.invitations.bind({ fingerprint: `FP-${tag}`, name: `Partner ${tag}`, pairSecret: 'p', boundAt: '2026-12-05T00:00:00.000Z' }, 's', '2026-12-05T00:00:00.000Z'),
    'invitations.bond': () => s.invitations.bond(`FP-${tag}`),
    'invitations.bonds': () => s.invitations.bonds(),
    'invitations.countBonds': () => s.invitations.countBonds(),
    // I9: closing the rooms of used or revoked links follows a bind or a revoke, so it is check work too.
    'invitations.closesOwed': () => s.invitations.closesOwed(),
    'invitations.markRoomClosed': () => s.invitations.markRoomClosed('s'),
    // A10: the audit of a check that stopped names a partner and a count, never a contact.
    'checks.addAudit': () => s.checks.addAudit({ id: `exposed:${tag}`, kind: 'check-exposed', checkId: check(tag).id, partnerName: 'P', partnerFingerprint: null, protocol: 'psi-v2', upTo: 1, at: '2026-12-05T00:00:00.000Z' }),
    'checks.recentAudit': () => s.checks.recentAudit(5),
    'settings.get': () => s.settings.get('lock-minutes'),
    'settings.update': () => s.settings.update('lock-minutes', () => 1, new Date()),
    'profile.load': () => s.profile.load(),
    'profile.save': () => s.profile.save({ orgName: `Org ${tag}`, userName: tag, defaultCountry: 'LB' }, new Date()),
    'imports.running': () => s.imports.running(),
    'imports.get': () => s.imports.get('job'),
    // D1: the people of an import are contacts, and the imports name their files.
    'imports.sources': () => s.imports.sources(),
    'imports.people': () => s.imports.people('job'),
    'lists.allLists': () => lists.allLists(),
    'lists.getList': () => lists.getList('l' as ListId),
    'lists.audit': () => lists.audit(),
    'lists.assignmentsForContact': () => lists.assignmentsForContact(saved.id),
    'lists.pairSink.savePair': () => lists.pairSink(() => ({}) as never).savePair({} as never),
  };
}

/** X1's table: what each role may not do. Everything else must work for it. */
const CONTACT_FIELDS = ['add', 'update', 'get', 'getMany', 'recent', 'search', 'withMatchKeys', 'idsWithMatchKeys', 'ids', 'page', 'pairs', 'addPendingPairs', 'putPair', 'merge', 'pendingPairs', 'allPairs', 'mergedRecords'].map((m) => `contacts.${m}`);
const FORBIDDEN: Record<Role, string[]> = {
  admin: [],
  caseworker: ['settings.update', 'profile.save'],
  checker: [...CONTACT_FIELDS, 'checks.overlapsFor', 'checks.allOverlaps', 'settings.update', 'profile.save', 'imports.running', 'imports.get', 'imports.sources', 'imports.people', 'lists.allLists', 'lists.getList', 'lists.audit', 'lists.assignmentsForContact', 'lists.pairSink.savePair'],
};

async function seeded(): Promise<{ db: IhyidDb; saved: Contact }> {
  const db = dbs.open();
  const plain = dexieStores(db);
  const saved = await saveNewContact(plain.contacts, contactFields(), { createdBy: 'amal', now: new Date(), randomBytes: random });
  await plain.profile.save({ orgName: 'Relief', userName: 'amal', defaultCountry: 'LB' }, new Date());
  return { db, saved };
}

describe('X1: the stores of a session enforce its role', () => {
  for (const role of [Role.Admin, Role.Caseworker, Role.Checker]) {
    it(`[X1] ${role}: each forbidden store method is refused with role-forbidden and changes nothing; every other one works`, async () => {
      const { db, saved } = await seeded();
      const plain = dexieStores(db);
      const stores = storesForRole(plain, role);
      const lists = listsForRole(dexieListStore(db, random, () => new Date()), role);
      const forbidden = new Set(FORBIDDEN[role]);
      for (const [name, call] of Object.entries(calls(stores, lists, saved, role))) {
        if (forbidden.has(name)) {
          const refused = await call().then(() => null, (e: unknown) => e);
          expect(refused, name).toBeInstanceOf(RoleForbiddenError);
          expect((refused as RoleForbiddenError).code, name).toBe(ErrorCode.RoleForbidden);
        } else if (name !== 'lists.pairSink.savePair') {
          await expect(call(), name).resolves.not.toBeInstanceOf(Error);
        }
      }
      // What was refused left the data as it was; what was allowed did its work.
      const after = await plain.contacts.get(saved.id);
      expect(after?.notes).toBe(role === Role.Checker ? saved.notes : role);
      expect(await plain.contacts.count()).toBe(role === Role.Checker ? 1 : 2);
      expect(await plain.settings.get('lock-minutes')).toBe(role === Role.Admin ? 1 : undefined);
      expect((await plain.profile.load())?.orgName).toBe(role === Role.Admin ? 'Org admin' : 'Relief');
      expect(await plain.checks.recentChecks(5)).toHaveLength(1);
      expect(await plain.checks.recentAudit(5)).toHaveLength(1);
      expect((await plain.invitations.bonds()).map((b) => b.name)).toEqual([`Partner ${role}`]);
      if (role !== Role.Checker) expect((await stores.contacts.get(saved.id))?.firstName).toBe('Houman');
      else expect(await stores.contacts.count()).toBe(1);
      expect(stores.sync).toBeNull();
    });
  }

  it('[X1] a checker session gets no sync store, a caseworker keeps it', async () => {
    const { db } = await seeded();
    const withSync = { ...dexieStores(db), sync: {} as Stores['sync'] };
    expect(storesForRole(withSync, Role.Checker).sync).toBeNull();
    expect(storesForRole(withSync, Role.Caseworker).sync).toBe(withSync.sync);
  });

  it("[X1, A3] a checker's check still reads every contact's keys, in the worker's own connection, never through a refused method", async () => {
    const name = `roles-check-${Math.random()}`;
    const keys = new RecordKeys(random(32), random);
    const db = openDb(name, undefined, undefined, { keys: () => keys });
    const saved = await saveNewContact(dexieStores(db).contacts, contactFields(), { createdBy: 'amal', now: new Date(), randomBytes: random });
    // The page of a checker cannot read the items itself...
    const checker = storesForRole(dexieStores(db), Role.Checker);
    await expect(readCheckItemsPage(checker.contacts, null)).rejects.toBeInstanceOf(RoleForbiddenError);
    // ...the check pool's worker does (check.worker.ts calls exactly this), with a copy of the session's key.
    const items = await loadCheckItems((after, upTo) => workerCheckItemsPage(after, upTo, keys.dataKeyCopy(), name));
    expect(items).toEqual([{ contactId: saved.id, phoneticIdV0: saved.phoneticIdV0, keys: saved.matchKeys }]);
    expect(JSON.stringify(items)).not.toContain('Houman');
    db.close();
    await db.delete();
  });

  it("[X1] below the stores, the page's connection refuses a checker every read and write of the contact tables, counts aside", async () => {
    const name = `roles-db-${Math.random()}`;
    const keys = new RecordKeys(random(32), random);
    let role: Role | null = null;
    const db = openDb(name, undefined, undefined, { keys: () => keys, role: () => role });
    const saved = await saveNewContact(dexieStores(db).contacts, contactFields(), { createdBy: 'amal', now: new Date(), randomBytes: random });
    await db.invitations.add({ id: 'i1', secret: 's', createdAt: '2026-12-05T00:00:00.000Z', label: 'x' });
    role = Role.Checker;
    for (const attempt of [() => db.contacts.get(saved.id), () => db.contacts.toArray(), () => db.contacts.where('updatedAt').above('').first(), () => db.contacts.delete(saved.id), () => db.pairs.toArray(), () => db.overlaps.toArray(), () => db.lists.toArray(),
      // X4: the record versions, their keys and their stamp (held-versions.ts), read or written.
      () => db.versionPacks.toArray(), () => db.versionKeys.toArray(), () => db.syncMeta.get('versions'), () => db.syncMeta.put({ key: 'versions', stamp: 'forged' }), () => new HeldVersions(db).items(),
      // Where the contacts rest (contact-packs.ts): their packs, their keys and their stamp.
      () => db.contactPacks.toArray(), () => db.contactKeys.toArray(), () => db.contactPacks.put({ pack: 1, rows: [] }), () => db.syncMeta.get('contacts')]) {
      await expect(attempt()).rejects.toMatchObject({ code: ErrorCode.RoleForbidden });
    }
    expect(await db.contacts.count()).toBe(1);
    expect(await db.invitations.count()).toBe(1);
    // The results of the checker's own check are stored (A5), not read back.
    await storesForRole(dexieStores(db), Role.Checker).checks.addCheck(check('mw'), [{ id: 'r1', contactId: saved.id, checkId: check('mw').id, partnerName: 'P', protocol: 'psi-v2', checkedAt: check('mw').checkedAt }]);
    await expect(db.overlaps.get('r1')).rejects.toMatchObject({ code: ErrorCode.RoleForbidden });
    await expect(db.overlaps.put({ id: 'r1', contactId: saved.id, checkId: check('mw').id, partnerName: 'Q', protocol: 'psi-v2', checkedAt: '' })).rejects.toMatchObject({ code: ErrorCode.RoleForbidden });
    expect(await db.overlaps.count()).toBe(1);
    expect((await db.invitations.toArray()).map((i) => i.id)).toEqual(['i1']);
    role = Role.Caseworker;
    expect((await db.contacts.get(saved.id))?.firstName).toBe('Houman');
    expect((await db.overlaps.get('r1'))?.partnerName).toBe('P');
    db.close();
    await db.delete();
  });
});
