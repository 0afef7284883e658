import { DEFAULT_SCORE_PARAMETERS, scorePair, type Contact, type DuplicatePair, type PairScore, type ScoreInput } from '@ihyid/shared';

/**
 * #15 item 2, R8: the local scorer's verdict on two records of this organisation. The match keys
 * found the pair; the score says how sure to be, with the evidence per field, and puts the doubtful
 * pairs lower down. One pair takes microseconds (bench:quality scores hundreds of thousands in
 * seconds), so the pairs on screen are scored when shown rather than stored: new parameters apply
 * to every pair at once, and nothing about a pair's likelihood sits at rest.
 */
export function scoreContacts(a: ScoreInput, b: ScoreInput): PairScore {
  return scorePair(a, b, DEFAULT_SCORE_PARAMETERS);
}

export interface ScoredPair {
  pair: DuplicatePair;
  a: Contact;
  b: Contact;
  score: PairScore;
}

const RANK = { likely: 0, possible: 1, none: 2 } as const;

/** Likely pairs first, then possible ones, each by probability; pairs whose record is gone are left out. */
export function rankPairs(pairs: readonly DuplicatePair[], contacts: readonly (Contact | undefined)[], limit: number): ScoredPair[] {
  const byId = new Map<string, Contact>(contacts.flatMap((c) => (c ? [[c.id, c] as const] : [])));
  return pairs
    .flatMap((pair) => {
      const a = byId.get(pair.a);
      const b = byId.get(pair.b);
      return a && b ? [{ pair, a, b, score: scoreContacts(a, b) }] : [];
    })
    .sort((x, y) => RANK[x.score.decision] - RANK[y.score.decision] || y.score.probability - x.score.probability)
    .slice(0, limit);
}
