// Loading the evaluation data of ../shared/data for bench/quality.mjs: the Arabic name variants
// (positive and negative spelling pairs) and the FEBRL 4a/4b linkage pair.
import { readFileSync } from 'node:fs';
import { mulberry32 } from '../../shared/dist/index.js';

// Beside the checkout (../shared/data); IHYID_DATA points elsewhere, e.g. from a git worktree.
export const DATA = process.env.IHYID_DATA
  ? new URL(`file://${process.env.IHYID_DATA.replace(/\/?$/, '/')}`)
  : new URL('../../../shared/data/', import.meta.url);

/** A small CSV reader for these files: no quoted fields occur in them. */
function readCsv(name) {
  const [header, ...lines] = readFileSync(new URL(name, DATA), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const cols = header.split(',').map((c) => c.trim());
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

/** Deterministic 32-bit generator (shared's mulberry32), so the negative pairs are the same on every run. */
export const seeded = mulberry32;

/**
 * Positive pairs: any two Latin spellings of one Arabic token, and each spelling with the Arabic
 * token itself. Negative pairs: `negatives` random pairs of spellings (the Arabic token counts as
 * one of its spellings) of two different tokens, from a fixed seed.
 */
export function arabicVariantPairs(negatives = 20_000, seed = 20_261_121) {
  const byToken = new Map();
  for (const row of readCsv('arabic_name_variants_dev.csv')) {
    if (!byToken.has(row.arabic)) byToken.set(row.arabic, []);
    byToken.get(row.arabic).push(row.latin);
  }
  const positives = [];
  for (const [arabic, latins] of byToken) {
    for (let i = 0; i < latins.length; i++) {
      positives.push({ a: latins[i], b: arabic, type: 'latin-arabic' });
      for (let j = i + 1; j < latins.length; j++) positives.push({ a: latins[i], b: latins[j], type: 'latin-latin' });
    }
  }
  const tokens = [...byToken.entries()].map(([arabic, latins]) => [arabic, ...latins]);
  const random = seeded(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const negativePairs = [];
  while (negativePairs.length < negatives) {
    const x = pick(tokens);
    const y = pick(tokens);
    if (x === y) continue;
    negativePairs.push({ a: pick(x), b: pick(y) });
  }
  return { tokens: byToken.size, positives, negatives: negativePairs };
}

/** FEBRL date_of_birth is YYYYMMDD; invalid or empty dates become null. */
function febrlDate(raw) {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const real = new Date(Date.UTC(y, mo - 1, d));
  return real.getUTCMonth() === mo - 1 && real.getUTCDate() === d ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/**
 * FEBRL 4a/4b as contacts: given name, surname, date of birth and suburb (as the free-text place).
 * soc_sec_id is left out for linkage between organisations (as #3 asked), and kept as an
 * individual document on request for deduplication inside one; FEBRL has no parents or phones.
 */
export function febrlContacts(name, { withDocument = false } = {}) {
  return readCsv(name).map((r) => {
    const date = febrlDate(r.date_of_birth);
    const year = /^\d{4}/.test(r.date_of_birth) ? Number(r.date_of_birth.slice(0, 4)) : null;
    return {
      id: r.rec_id,
      person: /^rec-(\d+)-/.exec(r.rec_id)[1],
      contact: {
        firstName: r.given_name,
        lastName: r.surname,
        fatherName: '',
        motherName: '',
        birth: date ? { kind: 'date', date } : year ? { kind: 'year', year, approximate: true } : null,
        phone: '',
        documentType: withDocument ? 'National ID' : '',
        documentNumber: withDocument ? r.soc_sec_id : '',
        location: r.suburb,
      },
    };
  });
}
