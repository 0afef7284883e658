// The local scorer of bench:quality (R8, PROTOCOL.md §4.5): deduplication of FEBRL 1–3 and of the
// re-registration set through blocking keys and the Fellegi–Sunter score, with m and u estimated
// on the data itself (u from random pairs, m by EM over the candidate pairs), as Splink does.
import {
  DEFAULT_SCORE_PARAMETERS,
  blockingKeys,
  blockingTerms,
  candidatePairs,
  compareProfiles,
  estimateFromList,
  estimateMFromLabels,
  estimateU,
  generateReregistrations,
  matchKeysV2,
  mulberry32,
  scoreProfile,
  decisionOf,
  matchProbability,
  validateContactInput,
  withListPrior,
} from '../../shared/dist/index.js';
import { febrlContacts } from './quality-data.mjs';

const round = (x) => Math.round(x * 10_000) / 10_000;

/** records: [{ person, contact }]; truth: same person. Prints precision/recall of likely and of likely+possible. */
export function dedupWithScorer(name, records, { params = null, seed = 7, labelled = false, blocking = blockingKeys, householdRule = true } = {}) {
  const started = performance.now();
  const profiles = records.map((r) => scoreProfile(r.contact));
  const pairs = candidatePairs(records.map((r) => blocking(r.contact)));
  const vectors = pairs.map(([i, j]) => compareProfiles(profiles[i], profiles[j]));
  const estimated = params
    ?? (labelled
      ? withListPrior(estimateMFromLabels(vectors, pairs.map(([i, j]) => records[i].person === records[j].person), estimateU(profiles, mulberry32(seed))), pairs.length, records.length)
      : estimateFromList(profiles, vectors, mulberry32(seed)));
  const truth = new Map();
  for (const r of records) truth.set(r.person, (truth.get(r.person) ?? 0) + 1);
  const truePairs = [...truth.values()].reduce((s, n) => s + (n * (n - 1)) / 2, 0);
  let candidatesTrue = 0;
  const tally = { likely: [0, 0], possible: [0, 0] };
  // Records that name their household: two of its people (siblings, twins: born the same day) the scorer joined.
  const households = records[0]?.household === undefined ? null : { candidatePairs: 0, likely: 0, possible: 0, sameBirthDate: { candidatePairs: 0, likely: 0, possible: 0 } };
  vectors.forEach((v, k) => {
    const [i, j] = pairs[k];
    const same = records[i].person === records[j].person;
    if (same) candidatesTrue++;
    const d = decisionOf(matchProbability(v, estimated), householdRule ? v : undefined);
    if (d !== 'none') tally[d][same ? 0 : 1]++;
    if (!households || same || records[i].household !== records[j].household) return;
    for (const h of v.born === 0 ? [households, households.sameBirthDate] : [households]) {
      h.candidatePairs++;
      if (d !== 'none') h[d]++;
    }
  });
  const [lt, lf] = tally.likely;
  const [pt, pf] = tally.possible;
  return {
    line: {
      bench: 'quality-scorer',
      data: name,
      m: params ? 'given' : labelled ? 'labelled pairs' : 'EM, u cleared of duplicates',
      records: records.length,
      truePairs,
      candidatePairs: pairs.length,
      blockingRecall: round(candidatesTrue / truePairs),
      likelyPrecision: round(lt / Math.max(1, lt + lf)),
      likelyRecall: round(lt / truePairs),
      withPossiblePrecision: round((lt + pt) / Math.max(1, lt + lf + pt + pf)),
      withPossibleRecall: round((lt + pt) / truePairs),
      possiblePairs: pt + pf,
      prior: estimated.prior,
      ...(households ? { householdsJoined: households } : {}),
      ms: Math.round(performance.now() - started),
    },
    params: estimated,
  };
}

/**
 * FEBRL 1–3 as contacts; `soc_sec_id` as an individual document (an organisation's ID numbers).
 * `asTheApp`: candidates are the pairs sharing a match key, as the app's duplicate index found them
 * before it kept blocking terms; `appBlocking`: the pairs sharing a match key or a blocking term, as
 * the app's `*keyHashes` and `*blockTerms` indexes find them now (the same cap on a crowded term).
 */
export function febrlDedup(file, { withDocument = true, asTheApp = false, appBlocking = false, householdRule = true, shipped = false } = {}) {
  const records = febrlContacts(file, { withDocument }).map((r) => ({ person: r.person, contact: r.contact }));
  const how = asTheApp ? ' (candidates: match keys only, as the app before)'
    : appBlocking ? ' (app candidates with blocking keys)'
    : !householdRule ? ' (ablation: without the household rule, R7)'
    : shipped ? " (the app's shipped parameters, not fitted to FEBRL)" : '';
  const name = `${file}${withDocument ? '' : ' (no document)'}${how}`;
  const blocking = asTheApp ? matchKeysV2 : appBlocking ? (c) => [...matchKeysV2(c), ...blockingTerms(c)] : blockingKeys;
  return dedupWithScorer(name, records, { blocking, householdRule, params: shipped ? DEFAULT_SCORE_PARAMETERS : null }).line;
}

/**
 * The re-registration set (originals and re-registrations, siblings and twins among them).
 * `documentsInARow`: every household registered together, so its members hold national IDs
 * numbered one after the other (the father n, the mother n + 1, …), kept by their re-registrations
 * unless a slip dropped the document: the shape the household rule must not take for one person.
 */
export function reregistrationRecords({ seed = 'scorer', rows = 20_000, count = 5000, documentsInARow = false } = {}) {
  const set = generateReregistrations({ seed, rows, count });
  const out = [];
  const numbers = new Map();
  if (documentsInARow) {
    const next = new Map();
    for (const p of set.originals) {
      if (!next.has(p.householdId)) next.set(p.householdId, 5_600_000 + p.householdId * 20);
      numbers.set(p.personId, next.get(p.householdId));
      next.set(p.householdId, next.get(p.householdId) + 1);
    }
  }
  const withNumber = (row, person) => (documentsInARow ? { ...row, documentType: 'National ID', documentNumber: `LB${numbers.get(person)}` } : row);
  const add = (row, person, household) => {
    const v = validateContactInput(row, { today: '2026-11-22' });
    if (v.ok) out.push({ person, household, contact: v.value });
  };
  for (const p of set.originals) add(withNumber(p.row, p.personId), p.personId, p.householdId);
  for (const a of set.again) {
    const o = set.originals[a.of];
    add(a.noises.includes('no document') ? a.row : withNumber(a.row, o.personId), o.personId, o.householdId);
  }
  return out;
}
