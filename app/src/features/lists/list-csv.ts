import { AUDIT_COLUMNS, auditRows, type ContactId, type ContactStore, type DistributionList, type ListId } from '@ihyid/shared';
import { csvLine } from '@ihyid/shared';
import type { ListAssignment } from '../../storage/records';
import type { ListStore } from '../../storage/lists';

export interface FinalRows {
  list: DistributionList;
  /** name: null when the contact was deleted since. */
  rows: { contactId: ContactId; name: string | null; birth: string; assignment: ListAssignment | undefined }[];
}

/** D4: every member with its name and, when a pair decided it, who serves it. */
export async function finalRows(contactStore: ContactStore, lists: ListStore, listId: ListId): Promise<FinalRows | undefined> {
  const list = await lists.getList(listId);
  if (!list) return undefined;
  const byContact = new Map((await lists.assignmentsOf(listId)).map((a) => [a.contactId, a]));
  const contacts = await contactStore.getMany(list.members.map((m) => m.contactId));
  return {
    list,
    rows: list.members.map((m, i) => {
      const c = contacts[i];
      return {
        contactId: m.contactId,
        name: c ? `${c.firstName} ${c.lastName}` : null,
        birth: !c ? '' : c.birth.kind === 'date' ? c.birth.date : String(c.birth.year),
        assignment: byContact.get(m.contactId),
      };
    }),
  };
}

/** Served by the partner of the pair that decided it; a member no pair decided, or decided for us, is ours. */
export const servedElsewhere = (a: ListAssignment | undefined): a is ListAssignment => a !== undefined && a.server === a.partner;

/** D5: the final list with a serve / served-by column. */
export function finalListCsv(rows: FinalRows): string {
  const head = csvLine(['contact_id', 'name', 'birth', 'list', 'round', 'assignment', 'served_by', 'served_by_fingerprint', 'reason', 'date']);
  return (
    head +
    rows.rows
      .map((r) => {
        const a = r.assignment;
        const serve = !servedElsewhere(a);
        return csvLine([r.contactId, r.name, r.birth, rows.list.name, rows.list.round, serve ? 'serve' : 'served by', serve ? '' : a!.serverName, serve ? '' : a!.server, a ? a.reason : '', a ? a.at.slice(0, 10) : '']);
      })
      .join('')
  );
}

/** D5: the audit trail as CSV. */
export async function auditCsv(lists: ListStore): Promise<string> {
  return csvLine([...AUDIT_COLUMNS]) + auditRows(await lists.audit()).map(csvLine).join('');
}
