import { csvLine, type Contact, type ContactStore } from '@ihyid/shared';

/**
 * R5: exports built in the data worker, so that 100,000 contacts never hold the page. The per-
 * contact secret (A1) and the match keys are never exported: the first must stay on the device,
 * the second are derived data.
 */
export const CONTACT_COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'father_name',
  'mother_name',
  'birth_date',
  'birth_approximate',
  'sex',
  'phone',
  'document_type',
  'document_number',
  'location',
  'household_size',
  'notes',
  'phonetic_id_v0',
  'created_at',
  'updated_at',
  'created_by',
  /** R8: the other spellings merges left on the contact (its aliases), "First Last" each, separated by "; ". */
  'other_names',
] as const;

function contactRow(c: Contact): string {
  return csvLine([
    c.id,
    c.firstName,
    c.lastName,
    c.fatherName,
    c.motherName,
    c.birth.kind === 'date' ? c.birth.date : String(c.birth.year),
    c.birth.kind === 'year' ? 'yes' : 'no',
    c.sex,
    c.phone,
    c.documentType,
    c.documentNumber,
    c.location,
    c.householdSize,
    c.notes,
    c.phoneticIdV0,
    c.createdAt,
    c.updatedAt,
    c.createdBy,
    (c.aliases ?? []).map((a) => `${a.firstName} ${a.lastName}`.trim()).join('; '),
  ]);
}

/** Contacts read per page: memory stays bounded by the output. */
const EXPORT_PAGE = 5000;

/** Reads the contacts in pages through the primary key, so memory stays bounded by the output. */
export async function exportContactsCsv(store: ContactStore): Promise<Blob> {
  const parts: string[] = [csvLine(CONTACT_COLUMNS)];
  for (let after: string | null = null; ; ) {
    const page = await store.page(after, EXPORT_PAGE);
    for (const c of page) parts.push(contactRow(c));
    if (page.length < EXPORT_PAGE) break;
    after = page[page.length - 1]!.id;
  }
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}

export const DECISION_COLUMNS = ['pair_id', 'contact_a', 'name_a', 'contact_b', 'name_b', 'status', 'kept_id', 'shared_keys', 'found_at', 'found_by', 'decided_at', 'decided_by'] as const;

/** R5, R8: every duplicate pair with its status (pending, same, different) and who decided. */
export async function exportDecisionsCsv(store: ContactStore): Promise<Blob> {
  const parts: string[] = [csvLine(DECISION_COLUMNS)];
  const pairs = await store.allPairs();
  const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const contacts = new Map<string, { firstName: string; lastName: string }>();
  for (const c of await store.getMany(ids)) if (c) contacts.set(c.id, c);
  for (const m of await store.mergedRecords(ids)) if (m) contacts.set(m.id, m.record);
  const name = (id: string) => {
    const c = contacts.get(id);
    return c ? `${c.firstName} ${c.lastName}` : '';
  };
  for (const p of pairs) {
    const kinds = [...new Set(p.keys.map((k) => /"kind":"([a-z-]+)"/.exec(k)?.[1] ?? ''))].join(' ');
    parts.push(csvLine([p.id, p.a, name(p.a), p.b, name(p.b), p.status, p.keptId ?? '', kinds, p.foundAt, p.foundBy, p.decidedAt ?? '', p.decidedBy ?? '']));
  }
  return new Blob(parts, { type: 'text/csv;charset=utf-8' });
}
