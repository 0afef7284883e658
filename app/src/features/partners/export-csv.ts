import { csvLine, type CheckResultStore, type ContactStore } from '@ihyid/shared';

/** R5, A5: every stored overlap result, one row per contact and check, with the contact's name. */
export async function overlapResultsCsv(stores: { contacts: ContactStore; checks: CheckResultStore }): Promise<string> {
  const rows = await stores.checks.allOverlaps();
  const contacts = await stores.contacts.getMany([...new Set(rows.map((r) => r.contactId))]);
  const byId = new Map(contacts.filter((c) => c !== undefined).map((c) => [c.id as string, c]));
  const lines = [csvLine(['contact_id', 'first_name', 'last_name', 'birth', 'partner', 'check_date', 'protocol', 'check_id'])];
  for (const r of rows.sort((a, b) => (a.checkedAt < b.checkedAt ? -1 : a.checkedAt > b.checkedAt ? 1 : 0))) {
    const c = byId.get(r.contactId);
    const birth = !c ? '' : c.birth.kind === 'date' ? c.birth.date : String(c.birth.year);
    lines.push(csvLine([r.contactId, c?.firstName ?? '', c?.lastName ?? '', birth, r.partnerName, r.checkedAt.slice(0, 10), r.protocol, r.checkId]));
  }
  return lines.join('');
}
