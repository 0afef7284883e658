import { nameKeyV1 } from './name-key.js';
import type { MatchKeyInput } from './match-keys.js';
import { matchKeysV2 } from './match-keys-v2.js';
import { compareProfiles, matchProbability, SCORE_FIELDS, SCORE_LEVELS, type ComparisonVector, type ScoreField, type ScoreParameters, type ScoreProfile } from './scorer.js';

/**
 * Estimating the scorer's m and u as Splink does: u from pairs drawn at random (almost all of them
 * different people), m by expectation–maximisation over the candidate pairs with u held fixed.
 * Pure: the random source is injected.
 */
type Counts = Record<ScoreField, number[]>;
const zeros = (fill: number): Counts =>
  Object.fromEntries(SCORE_FIELDS.map((f) => [f, SCORE_LEVELS[f].map(() => fill)])) as Counts;
const normalise = (c: Counts): Counts =>
  Object.fromEntries(SCORE_FIELDS.map((f) => {
    const total = c[f].reduce((s, x) => s + x, 0);
    return [f, c[f].map((x) => x / total)];
  })) as Counts;

/** u: how often two records drawn at random agree at each level (add-one smoothed). */
export function estimateU(profiles: readonly ScoreProfile[], random: () => number, samples = 200_000): Counts {
  const counts = zeros(1);
  for (let s = 0; s < samples; s++) {
    const i = Math.floor(random() * profiles.length);
    const j = Math.floor(random() * profiles.length);
    if (i === j) continue;
    const v = compareProfiles(profiles[i]!, profiles[j]!);
    for (const f of SCORE_FIELDS) { const l = v[f]; if (l !== null) counts[f][l] = counts[f][l]! + 1; }
  }
  return normalise(counts);
}

/** m and the prior by EM over candidate pairs' comparison vectors, u fixed. */
export function estimateM(vectors: readonly ComparisonVector[], u: Counts, iterations = 25): ScoreParameters {
  // Started where duplicates mostly agree and the prior is low, EM finds the duplicates' mode; from a
  // flat start it may settle on 'every candidate is a duplicate' (measured on FEBRL 2).
  let params: ScoreParameters = { prior: 0.05, m: normalise(Object.fromEntries(SCORE_FIELDS.map((f) => [f, SCORE_LEVELS[f].map((_, l) => (l === 0 ? 0.9 : 0.1 / 4 ** l))])) as Counts), u };
  for (let it = 0; it < iterations; it++) {
    const counts = zeros(0.5);
    let total = 0;
    for (const v of vectors) {
      const p = matchProbability(v, params);
      total += p;
      for (const f of SCORE_FIELDS) { const l = v[f]; if (l !== null) counts[f][l] = counts[f][l]! + p; }
    }
    params = { prior: Math.min(0.999, Math.max(0.001, total / vectors.length)), m: normalise(counts), u };
  }
  return params;
}

/**
 * Blocking keys for the local candidate pairs: the match keys (v2) and broader ones that need no
 * first name (the scorer, not the key, then tells twins apart): the birth date alone (as Splink's
 * FEBRL examples block; it replaced family name + birth date, which missed the duplicates whose
 * family name is mistyped: FEBRL 3 blocking recall 0.9842 → 0.9919, 2: 0.9835 → 0.9876), birth date
 * with place, first name with birth year, first and family name, the phone, the document. A key
 * shared by more than `candidatePairs`' cap (a 1 January of approximate dates) blocks nothing.
 */
export function blockingKeys(r: MatchKeyInput): string[] {
  const keys = matchKeysV2(r);
  const born = r.birth?.kind === 'date' ? r.birth.date : '';
  const year = r.birth ? (r.birth.kind === 'date' ? r.birth.date.slice(0, 4) : String(r.birth.year)) : '';
  const last = nameKeyV1(r.lastName ?? '');
  const first = nameKeyV1(r.firstName ?? '');
  if (born) keys.push(`b:born:${born}`);
  if (born && r.location) keys.push(`b:born-place:${born}:${nameKeyV1(r.location)}`);
  if (first && year) keys.push(`b:first-year:${first}:${year}`);
  if (first && last) keys.push(`b:first-last:${first}:${last}`);
  if (r.phone) keys.push(`b:phone:${r.phone}`);
  if ((r.documentNumber ?? '').length >= 4) keys.push(`b:doc:${r.documentNumber}`);
  return keys;
}

/** Candidate pairs [i, j] (i < j) of records sharing a blocking key; a key shared by more than `cap` records is skipped. */
export function candidatePairs(keysPerRecord: readonly (readonly string[])[], cap = 200): Array<[number, number]> {
  const byKey = new Map<string, number[]>();
  keysPerRecord.forEach((keys, i) => {
    for (const k of new Set(keys)) {
      const list = byKey.get(k);
      if (list) list.push(i);
      else byKey.set(k, [i]);
    }
  });
  const seen = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const list of byKey.values()) {
    if (list.length < 2 || list.length > cap) continue;
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const id = list[x]! * 4_194_304 + list[y]!;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push([list[x]!, list[y]!]);
      }
    }
  }
  return out;
}

/**
 * EM's prior is the share of duplicates among the candidate pairs, which depends on the blocking.
 * A decision about one pair needs the chance that two records of the list are one person (Splink's
 * "probability two random records match"): duplicates expected among candidates over all pairs.
 */
export function withListPrior(params: ScoreParameters, candidates: number, records: number): ScoreParameters {
  const allPairs = (records * (records - 1)) / 2;
  return { ...params, prior: Math.min(0.5, Math.max(1e-9, (params.prior * candidates) / allPairs)) };
}

/**
 * m from labelled pairs (a synthetic set whose truth is known): how often true duplicates agree at
 * each level, and the prior as their share. EM cannot learn m where households dominate the
 * candidates: siblings agree on every field but one and form a class of their own.
 */
export function estimateMFromLabels(vectors: readonly ComparisonVector[], same: readonly boolean[], u: Counts): ScoreParameters {
  const counts = zeros(0.5);
  let matches = 0;
  vectors.forEach((v, k) => {
    if (!same[k]) return;
    matches++;
    for (const f of SCORE_FIELDS) {
      const l = v[f];
      if (l !== null) counts[f][l] = counts[f][l]! + 1;
    }
  });
  return { prior: Math.max(1e-6, matches / vectors.length), m: normalise(counts), u };
}
