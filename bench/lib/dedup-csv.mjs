// The generated sheet for bench/dedup.mjs: the seeded Lebanon-like generator of shared/, written
// as a KoboToolbox-style CSV, and the number of rows the import must flag (same matchKeys).
import { generateSyntheticRows, matchKeys, validateContactInput } from '../../shared/dist/index.js';

const HEADERS = ['group_person/first_name', 'group_person/last_name', 'group_person/father_name', 'group_person/mother_name', 'group_person/date_of_birth', 'group_person/sex', 'group_contact/phone', 'group_id/document_type', 'group_id/document_number', 'location', 'household_size', '_uuid'];
const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function dedupCsv({ seed, rows, duplicates }) {
  const people = generateSyntheticRows({ seed, rows, duplicates });
  const lines = [HEADERS.join(',')];
  const seen = new Set();
  let expectedFlagged = 0;
  let plantedFound = 0;
  people.forEach((p, i) => {
    const r = p.row;
    lines.push([r.firstName, r.lastName, r.fatherName, r.motherName, r.birthDate, r.sex, r.phone, r.documentType, r.documentNumber, r.location, r.householdSize, `uuid-${i}`].map(quote).join(','));
    const valid = validateContactInput(r, { today: '2026-11-22' });
    if (!valid.ok) return;
    const keys = matchKeys(valid.value);
    if (keys.some((k) => seen.has(k))) {
      expectedFlagged++;
      if (p.duplicateOf !== null) plantedFound++;
    }
    for (const k of keys) seen.add(k);
  });
  return { csv: `${lines.join('\n')}\n`, expectedFlagged, plantedFound };
}
