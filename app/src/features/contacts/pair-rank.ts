import { DEFAULT_SCORE_PARAMETERS, scorePair, type Contact, type DuplicatePair, type PairScore, type ScoreInput } from '@ihyid/shared';

/**
 * #15 item 2, R8: the local scorer's verdict on two records of this organisation. The match keys
 * found the pair; the score says how sure to be, with the evidence per field, and puts the doubtful
 * pairs lower down. The pairs on screen are scored when shown rather than stored: new parameters
 * apply to every pair at once, and nothing about a pair's likelihood sits at rest. The app scores
 * in the domain worker (`ScorePairs`, R9); this function is what the worker runs, per pair.
 */
export function scoreContacts(a: ScoreInput, b: ScoreInput): PairScore {
  return scorePair(a, b, DEFAULT_SCORE_PARAMETERS);
}

/** Scores many pairs in one call: the domain worker's `scorePairs` in the app, `scoreHere` in tests. */
export type ScorePairs = (pairs: readonly (readonly [ScoreInput, ScoreInput])[]) => Promise<PairScore[]>;

export const scoreHere: ScorePairs = (pairs) => Promise.resolve(pairs.map(([a, b]) => scoreContacts(a, b)));

/**
 * R9: the verdict on `draft` against each contact, in the domain worker; should the worker fail,
 * here, so a duplicate check still runs.
 */
export function scoreAgainst(worker: { scorePairs: ScorePairs }, draft: ScoreInput): (contacts: readonly ScoreInput[]) => Promise<PairScore[]> {
  return (contacts) => {
    const pairs = contacts.map((c) => [draft, c] as const);
    return worker.scorePairs(pairs).catch(() => scoreHere(pairs));
  };
}

export interface ScoredPair {
  pair: DuplicatePair;
  a: Contact;
  b: Contact;
  score: PairScore;
}

const RANK = { likely: 0, possible: 1, none: 2 } as const;

/** Likely pairs first, then possible ones, each by probability; pairs whose record is gone are left out. */
export async function rankPairs(pairs: readonly DuplicatePair[], contacts: readonly (Contact | undefined)[], limit: number, score: ScorePairs): Promise<ScoredPair[]> {
  const byId = new Map<string, Contact>(contacts.flatMap((c) => (c ? [[c.id, c] as const] : [])));
  const whole = pairs.flatMap((pair) => {
    const a = byId.get(pair.a);
    const b = byId.get(pair.b);
    return a && b ? [{ pair, a, b }] : [];
  });
  const scores = await score(whole.map(({ a, b }) => [a, b] as const));
  return whole
    .map((p, i) => ({ ...p, score: scores[i]! }))
    .sort((x, y) => RANK[x.score.decision] - RANK[y.score.decision] || y.score.probability - x.score.probability)
    .slice(0, limit);
}
