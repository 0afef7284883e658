import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { matchKeys, testContact, type CheckId, type Contact, type ContactId, type OrgFingerprint } from '@ihyid/shared';
import { openDb, type IhyidDb } from '../../storage/db';
import { dexieStores } from '../../storage/stores';
import { checkItemsOf } from '../../storage/check-keys';
import { addStandingRule, hasStandingRule, loadCheckSettings, removeStandingRule, setProtocolEnabled, trustedAttributes } from './check-settings';
import { overlapResultsCsv } from './export-csv';
import { loadCheckItems, readCheckItemsPage, storeCompletedCheck } from '../../storage/check-results';

let db: IhyidDb | null = null;
let n = 0;
const fresh = () => (db = openDb(`partners-test-${n++}`));
afterEach(async () => {
  await db?.delete();
  db = null;
});

const contact = testContact;

describe('check settings (A4, A6)', () => {
  it('[A6] only psi-v2 until an admin turns a uscadi protocol on, and off again', async () => {
    const d = fresh();
    expect((await loadCheckSettings(dexieStores(d).settings)).enabled).toEqual(['psi-v2']);
    await setProtocolEnabled(dexieStores(d).settings, 'uscadi-v0', true, new Date());
    await setProtocolEnabled(dexieStores(d).settings, 'uscadi-v1', true, new Date());
    expect((await loadCheckSettings(dexieStores(d).settings)).enabled).toEqual(['psi-v2', 'uscadi-v0', 'uscadi-v1']);
    await setProtocolEnabled(dexieStores(d).settings, 'uscadi-v0', false, new Date());
    expect((await loadCheckSettings(dexieStores(d).settings)).enabled).toEqual(['psi-v2', 'uscadi-v1']);
  });

  it('[A6] a setting row that is not a list of known protocols enables nothing', async () => {
    const d = fresh();
    await d.settings.put({ key: 'check.protocols', value: ['uscadi-v9', 42], updatedAt: '' });
    expect((await loadCheckSettings(dexieStores(d).settings)).enabled).toEqual(['psi-v2']);
  });

  it('[A4][I8][I7] a standing rule auto-accepts psi-v2 from that partner key only, while it holds the attestation, and can be removed', async () => {
    const d = fresh();
    const [fpB, fpC] = ['B'.repeat(32), 'C'.repeat(32)] as OrgFingerprint[];
    await addStandingRule(dexieStores(d).settings, { fingerprint: fpB!, partnerName: 'Org B', attribute: 'organisation-name' }, new Date());
    const settings = await loadCheckSettings(dexieStores(d).settings);
    const attested = new Set(['organisation-name']);
    expect(hasStandingRule(settings, fpB!, 'psi-v2', attested)).toBe(true);
    expect(hasStandingRule(settings, fpB!, 'uscadi-v0', attested)).toBe(false);
    expect(hasStandingRule(settings, fpC!, 'psi-v2', attested)).toBe(false);
    // The attestation withdrawn, expired, by an attester no longer trusted, or of another attribute: ask again.
    expect(hasStandingRule(settings, fpB!, 'psi-v2', new Set())).toBe(false);
    expect(hasStandingRule(settings, fpB!, 'psi-v2', new Set(['registered-ngo']))).toBe(false);
    await removeStandingRule(dexieStores(d).settings, fpB!, new Date());
    expect((await loadCheckSettings(dexieStores(d).settings)).standingRules).toEqual([]);
  });

  it('[A4][I7] counts only trusted attestations that have not expired, and drops rules stored without an attribute', async () => {
    const now = 1_800_000_000_000;
    const badges = [
      { name: 'organisation-name', trusted: true, expires: now + 1 },
      { name: 'registered-ngo', trusted: false, expires: now + 1 },
      { name: 'sector-health', trusted: true, expires: now },
    ];
    expect(trustedAttributes(badges, now)).toEqual(new Set(['organisation-name']));
    const d = fresh();
    await d.settings.put({ key: 'check.standing-rules', value: [{ fingerprint: 'B'.repeat(32), partnerName: 'Org B', protocol: 'psi-v2', createdAt: '' }], updatedAt: '' });
    expect((await loadCheckSettings(dexieStores(d).settings)).standingRules).toEqual([]);
  });
});

describe('check keys and results (A3, A5, R5)', () => {
  it('[A3][R9] uses the keys stored with a contact and asks the pool only for records without current (v2) keys', async () => {
    const asked: string[] = [];
    const contacts = [contact('c1', 'Houman', { matchKeys: ['{"kind":"k","v":2}'] }), contact('c2', 'Herman'), contact('c3', 'Hamid', { matchKeys: ['{"kind":"k","v":1}'] })];
    const items = await checkItemsOf(contacts, async (inputs) => {
      asked.push(...inputs.map((i) => i.firstName));
      return inputs.map(() => ['{"kind":"computed","v":2}']);
    });
    expect(asked).toEqual(['Herman', 'Hamid']);
    expect(items.map((i) => i.keys)).toEqual([['{"kind":"k","v":2}'], ['{"kind":"computed","v":2}'], ['{"kind":"computed","v":2}']]);
  });

  it('[A3][R8] a record keyed here brings the keys of its other names (a merge\'s aliases) too, each key once', async () => {
    const merged = contact('c4', 'Fatima', { lastName: 'Haddad', fatherName: 'Ali', aliases: [{ firstName: 'Fatima', lastName: 'Khoury', fatherName: 'Ali', motherName: '' }] });
    const items = await checkItemsOf([merged], async (inputs) => inputs.map((i) => matchKeys(i)));
    const other = matchKeys({ ...merged, lastName: 'Khoury', motherName: '' });
    expect(items[0]!.keys).toEqual([...new Set([...matchKeys(merged), ...other])]);
    expect(other.some((k) => !matchKeys(merged).includes(k))).toBe(true);
  });

  it('[A3][R9] reads every contact once as a check item, a page at a time, keying records stored without keys', async () => {
    const d = fresh();
    const stored = Array.from({ length: 12 }, (_, i) => contact(`c${String(i).padStart(2, '0')}`, `Name${i}`, i === 7 ? {} : { matchKeys: [`{"kind":"k","v":2,"i":${i}}`] }));
    await d.contacts.bulkAdd(stored);
    const pages: number[] = [];
    const items = await loadCheckItems(async (after, upTo) => {
      const page = await readCheckItemsPage(dexieStores(d).contacts, after, upTo, 5);
      if (page.items.length > 0) pages.push(page.items.length);
      return page;
    });
    // All twelve ids start with 'c': one id range, read in pages of five.
    expect(pages).toEqual([5, 5, 2]);
    expect(items.map((i) => i.contactId).sort()).toEqual(stored.map((c) => c.id).sort());
    expect(items.find((i) => i.contactId === 'c03')!.keys).toEqual(['{"kind":"k","v":2,"i":3}']);
    // Stored without keys: keyed in the reader, from the contact's own fields.
    expect(items.find((i) => i.contactId === 'c07')!.keys).toEqual(matchKeys(stored[7]!));
    expect(matchKeys(stored[7]!).length).toBeGreaterThan(0);
    // A page count that divides the table exactly ends with an empty page; an empty table gives nothing.
    await d.contacts.bulkDelete(['c10', 'c11'] as ContactId[]);
    expect((await loadCheckItems((after, upTo) => readCheckItemsPage(dexieStores(d).contacts, after, upTo, 5))).length).toBe(10);
    await d.contacts.clear();
    expect(await loadCheckItems((after, upTo) => readCheckItemsPage(dexieStores(d).contacts, after, upTo, 5))).toEqual([]);
  });

  it('[A3][A9] reads the id ranges at once, and every contact exactly once whatever its id', async () => {
    const d = fresh();
    // UUIDs of every first digit, ids on and around the ranges' bounds, and ids that are no UUID at all.
    const ids = [...[...'0123456789abcdef'].map((h, i) => `${h}${i}2a4c1e-0000-4000-8000-00000000000${i % 10}`), '0\uffff', '0\uffff0', '1', 'f', 'z-contact', 'C07', '-', 'f\uffff\uffff'];
    await d.contacts.bulkAdd(ids.map((id, i) => contact(id, `Name${i}`, { matchKeys: [`{"kind":"k","v":2,"i":${i}}`] })));
    let inFlight = 0;
    let most = 0;
    const items = await loadCheckItems(async (after, upTo) => {
      most = Math.max(most, ++inFlight);
      try {
        return await readCheckItemsPage(dexieStores(d).contacts, after, upTo, 2);
      } finally {
        inFlight--;
      }
    });
    expect(items.map((i) => i.contactId).sort()).toEqual([...ids].sort());
    expect(most).toBeGreaterThan(1);
  });

  it('[A5][R5] stores results in one transaction and exports them as CSV, one row per contact', async () => {
    const d = fresh();
    await d.contacts.bulkAdd([contact('c1', 'Houman'), contact('c2', '=HYPERLINK("x")')]);
    await storeCompletedCheck(dexieStores(d).checks, { checkId: 'k1' as CheckId, partnerName: 'Org, "B"', protocol: 'psi-v2', role: 'answered', sent: 2, known: ['c1', 'c2'] as ContactId[], at: new Date('2026-11-21T10:00:00Z') });
    expect(await d.checks.get('k1' as CheckId)).toMatchObject({ role: 'answered', known: 2, sent: 2 });
    const csv = await overlapResultsCsv(dexieStores(d));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('contact_id,first_name,last_name,birth,partner,check_date,protocol,check_id');
    expect(lines).toContain('c1,Houman,Haddad,1976-05-07,"Org, ""B""",2026-11-21,psi-v2,k1');
    // A formula typed as a name is defused for spreadsheets.
    expect(lines.some((l) => l.includes(`"'=HYPERLINK(""x"")"`))).toBe(true);
  });
});
