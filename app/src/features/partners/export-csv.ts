import type { IhyidDb } from '../../storage/db';

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function field(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** R5, A5: every stored overlap result, one row per contact and check, with the contact's name. */
export async function overlapResultsCsv(db: IhyidDb): Promise<string> {
  const rows = await db.overlaps.orderBy('contactId').toArray();
  const contacts = await db.contacts.bulkGet([...new Set(rows.map((r) => r.contactId))]);
  const byId = new Map(contacts.filter((c) => c !== undefined).map((c) => [c.id as string, c]));
  const lines = [['contact_id', 'first_name', 'last_name', 'birth', 'partner', 'check_date', 'protocol', 'check_id'].join(',')];
  for (const r of rows.sort((a, b) => (a.checkedAt < b.checkedAt ? -1 : a.checkedAt > b.checkedAt ? 1 : 0))) {
    const c = byId.get(r.contactId);
    const birth = !c ? '' : c.birth.kind === 'date' ? c.birth.date : String(c.birth.year);
    lines.push([r.contactId, c?.firstName ?? '', c?.lastName ?? '', birth, r.partnerName, r.checkedAt.slice(0, 10), r.protocol, r.checkId].map(field).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
