// npm run bench:quality — how well nameKeyV1 and matchKeysV1 (R7) find what they should and only
// that. Prints JSON lines; never part of npm test. Needs `npm run build` (shared/dist) first.
//  1. Arabic name variants (../shared/data/arabic_name_variants_dev.csv): recall on positive spelling
//     pairs and false-positive rate on 20,000 random pairs of different names, for nameKeyV1 and, in
//     the same run, the Soundex and Double Metaphone baselines.
//  2. FEBRL 4a/4b: precision and recall of linking two lists by shared match keys, v1 and v2, and v2
//     with soc_sec_id as an individual document (the field #3 asked to ignore, for comparison).
//  3. Re-registrations (lib/reregistration-check.mjs): recall of people registered again with one to
//     three slips, and how many sibling, twin and random pairs share a key, v1 and v2.
//  4. The local scorer (lib/scorer-check.mjs): FEBRL 1–3 deduplicated through blocking keys and the
//     Fellegi–Sunter score with m by EM, and the re-registration set with m from its labels; FEBRL
//     1–3 again with the app's candidates before (pairs sharing a match key only) and now (a match
//     key or a blocking term, shared/src/matching/blocking-keys.ts); without the household rule (an
//     ablation: what R7 costs on FEBRL, which has no twins); and with the app's shipped parameters.
//     Then the re-registration set with every household's members holding national IDs numbered in a
//     row; both re-registration lines say how many siblings and twins the scorer joined (`householdsJoined`).
// Every keys line says keysPerContact: each key is curve work in a PSI check.
// With `-- --misses`, also the most frequent patterns of missed Arabic variant pairs (by pattern,
// not by name: see lib/quality-misses.mjs).
import soundex from 'talisman/phonetics/soundex.js';
import doubleMetaphone from 'talisman/phonetics/double-metaphone.js';
import { looseNameKey, matchKeysV1, matchKeysV2, nameKeyV1, transliterate } from '../shared/dist/index.js';
import { arabicVariantPairs, febrlContacts } from './lib/quality-data.mjs';
import { missPatterns } from './lib/quality-misses.mjs';
import { reregistrationCheck } from './lib/reregistration-check.mjs';
import { dedupWithScorer, febrlDedup, reregistrationRecords } from './lib/scorer-check.mjs';

/** Baselines see ASCII letters, as they would behind unidecode; names without any give no code. */
const ascii = (s) => transliterate(s.normalize('NFD').replace(/\p{M}/gu, '')).replace(/[^A-Za-z]/g, '');
const same = (x, y) => x !== '' && x === y;

/** Ablation: nameKeyV1 without its non-initial glides, to show what keeping Hassan ≠ Hussein costs. */
const withoutGlides = (name) => nameKeyV1(name).replace(/(?<=.)[YW]/g, '');

const ALGORITHMS = {
  nameKeyV1: (a, b) => same(nameKeyV1(a), nameKeyV1(b)),
  'nameKeyV1-without-glides (ablation)': (a, b) => same(withoutGlides(a), withoutGlides(b)),
  // v2's form for family, parents' and place names, never for the person's own first name.
  looseNameKey: (a, b) => same(looseNameKey(a), looseNameKey(b)),
  soundex: (a, b) => same(ascii(a) && soundex(ascii(a)), ascii(b) && soundex(ascii(b))),
  // Double Metaphone agrees when any code of one equals any code of the other (primary or alternate).
  doubleMetaphone: (a, b) => {
    const [x, y] = [ascii(a), ascii(b)];
    if (!x || !y) return false;
    const cx = new Set(doubleMetaphone(x).filter(Boolean));
    return doubleMetaphone(y).some((c) => c && cx.has(c));
  },
};

const round = (x) => Math.round(x * 10_000) / 10_000;

export function arabicVariants({ verbose = false } = {}) {
  const data = arabicVariantPairs();
  const lines = [];
  for (const [name, agree] of Object.entries(ALGORITHMS)) {
    const hits = { 'latin-latin': 0, 'latin-arabic': 0 };
    const totals = { 'latin-latin': 0, 'latin-arabic': 0 };
    const misses = [];
    for (const p of data.positives) {
      totals[p.type]++;
      if (agree(p.a, p.b)) hits[p.type]++;
      else if (verbose && name === 'nameKeyV1') misses.push(`${p.a}|${p.b}`);
    }
    const fps = data.negatives.filter((p) => agree(p.a, p.b));
    const tp = hits['latin-latin'] + hits['latin-arabic'];
    lines.push({
      bench: 'quality-arabic-variants',
      algorithm: name,
      positives: data.positives.length,
      negatives: data.negatives.length,
      recall: round(tp / data.positives.length),
      recallLatinLatin: round(hits['latin-latin'] / totals['latin-latin']),
      recallLatinArabic: round(hits['latin-arabic'] / totals['latin-arabic']),
      falsePositives: fps.length,
      fpr: round(fps.length / data.negatives.length),
      ...(verbose && name === 'nameKeyV1' ? { misses, fpPairs: fps.map((p) => `${p.a}|${p.b}`) } : {}),
    });
  }
  return lines;
}

/** Links every record of 4b to the records of 4a sharing at least one key; truth is the rec number. */
export function febrl(name = 'matchKeysV1', keysOf = matchKeysV1, { withDocument = false } = {}) {
  const a = febrlContacts('febrl_dataset4a.csv', { withDocument });
  const b = febrlContacts('febrl_dataset4b.csv', { withDocument });
  const index = new Map();
  for (const r of a) for (const k of keysOf(r.contact)) {
    if (!index.has(k)) index.set(k, new Set());
    index.get(k).add(r);
  }
  const truePairs = new Set(b.map((r) => r.person).filter((p) => a.some((x) => x.person === p)));
  // What limits recall: every kind carries the person's own first name (twins share everything
  // else), so a pair whose given names fold to different keys, or where one is missing, can only
  // be linked by a document, which FEBRL lacks here.
  const firstOf = new Map(a.map((x) => [x.person, nameKeyV1(x.contact.firstName)]));
  const sameFirst = b.filter((r) => {
    const f = firstOf.get(r.person);
    return f !== undefined && f !== '' && (f === nameKeyV1(r.contact.firstName) || f === nameKeyV1(r.contact.lastName));
  }).length;
  let found = 0;
  let correct = 0;
  const linkedPersons = new Set();
  const byKind = {};
  for (const r of b) {
    const linked = new Set();
    for (const k of keysOf(r.contact)) {
      const kind = JSON.parse(k).kind;
      for (const x of index.get(k) ?? []) {
        linked.add(x);
        if (x.person === r.person) byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
    }
    for (const x of linked) {
      found++;
      if (x.person === r.person) {
        correct++;
        linkedPersons.add(r.person);
      }
    }
  }
  return {
    bench: 'quality-febrl-4a-4b',
    algorithm: name,
    records: [a.length, b.length],
    trueLinks: truePairs.size,
    linksFound: found,
    precision: round(correct / found),
    recall: round(linkedPersons.size / truePairs.size),
    truePairsByKind: byKind,
    truePairsWithSameFirstNameKey: round(sameFirst / truePairs.size),
    keysPerContact: round([...a, ...b].reduce((s, r) => s + keysOf(r.contact).length, 0) / (a.length + b.length)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of arabicVariants()) console.log(JSON.stringify(line));
  if (process.argv.includes('--misses')) {
    for (const line of missPatterns(arabicVariantPairs().positives, nameKeyV1)) console.log(JSON.stringify(line));
  }
  console.log(JSON.stringify(febrl('matchKeysV1', matchKeysV1)));
  console.log(JSON.stringify(febrl('matchKeysV2', matchKeysV2)));
  // #3 asked to ignore soc_sec_id here; this line says what an individual document would add.
  console.log(JSON.stringify(febrl('matchKeysV2 (soc_sec_id as an individual document)', matchKeysV2, { withDocument: true })));
  console.log(JSON.stringify(reregistrationCheck('matchKeysV1', matchKeysV1)));
  console.log(JSON.stringify(reregistrationCheck('matchKeysV2', matchKeysV2)));
  for (const f of ['febrl_dataset1.csv', 'febrl_dataset2.csv', 'febrl_dataset3.csv']) console.log(JSON.stringify(febrlDedup(f)));
  console.log(JSON.stringify(febrlDedup('febrl_dataset3.csv', { withDocument: false })));
  // FEBRL's generator replaces a first name wholesale, which twins look like; R7 keeps those apart.
  for (const f of ['febrl_dataset1.csv', 'febrl_dataset2.csv', 'febrl_dataset3.csv']) console.log(JSON.stringify(febrlDedup(f, { householdRule: false })));
  for (const f of ['febrl_dataset1.csv', 'febrl_dataset2.csv', 'febrl_dataset3.csv']) console.log(JSON.stringify(febrlDedup(f, { shipped: true })));
  for (const f of ['febrl_dataset1.csv', 'febrl_dataset2.csv', 'febrl_dataset3.csv']) console.log(JSON.stringify(febrlDedup(f, { asTheApp: true })));
  for (const f of ['febrl_dataset1.csv', 'febrl_dataset2.csv', 'febrl_dataset3.csv']) console.log(JSON.stringify(febrlDedup(f, { appBlocking: true })));
  const rereg = dedupWithScorer('reregistration', reregistrationRecords(), { labelled: true });
  console.log(JSON.stringify(rereg.line));
  // R7 against numbers issued in a row: every household's members hold national IDs n, n + 1, …
  // (twins among them), which differ by one digit, as a typo would. `householdsJoined` says how many
  // pairs of siblings and twins the scorer joined, here and in the line above.
  console.log(JSON.stringify(dedupWithScorer('reregistration (household documents in a row)', reregistrationRecords({ documentsInARow: true }), { labelled: true }).line));
  // What DEFAULT_SCORE_PARAMETERS (shared/src/matching/scorer-defaults.ts) were made from.
  if (process.argv.includes('--params')) console.log(JSON.stringify({ bench: 'quality-scorer-parameters', ...rereg.params }));
}
