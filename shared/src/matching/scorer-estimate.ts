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
 * EM's prior is the share of duplicates among the candidate pairs, which depends on the blocking.
 * A decision about one pair needs the chance that two records of the list are one person (Splink's
 * "probability two random records match"): duplicates expected among candidates over all pairs.
 */
export function withListPrior(params: ScoreParameters, candidates: number, records: number): ScoreParameters {
  const allPairs = (records * (records - 1)) / 2;
  return { ...params, prior: Math.min(0.5, Math.max(1e-9, (params.prior * candidates) / allPairs)) };
}

/**
 * u from random pairs counts the duplicates among them as agreeing strangers. Negligible in a large
 * list, not in a small one full of duplicates: FEBRL 3 (5,000 records, 6,538 duplicate pairs) has one
 * duplicate in 1,900 random pairs, so 79 of 200,000 random pairs shared a document number and u put
 * a shared document at 1 in 2,500 instead of nearer 1 in 200,000. Take out the share `listPrior` of
 * duplicates agreeing as m says, keeping every level above one sample in `samples`.
 */
export function uWithoutDuplicates(u: Counts, m: ScoreParameters['m'], listPrior: number, samples: number): Counts {
  const floor = 1 / samples;
  return normalise(Object.fromEntries(SCORE_FIELDS.map((f) => [
    f,
    u[f].map((x, l) => Math.max(floor, (x - listPrior * m[f][l]!) / (1 - listPrior))),
  ])) as Counts);
}

/**
 * m, u and the list prior from one list, as bench:quality fits FEBRL: u from random pairs, m by EM
 * over the candidate pairs, then u cleared of the duplicates among the random pairs (above) and m
 * fitted again against it, twice.
 */
export function estimateFromList(profiles: readonly ScoreProfile[], vectors: readonly ComparisonVector[], random: () => number, samples = 200_000): ScoreParameters {
  const raw = estimateU(profiles, random, samples);
  let params = estimateM(vectors, raw);
  for (let round = 0; round < 2; round++) {
    const listPrior = withListPrior(params, vectors.length, profiles.length).prior;
    params = estimateM(vectors, uWithoutDuplicates(raw, params.m, listPrior, samples));
  }
  return withListPrior(params, vectors.length, profiles.length);
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
