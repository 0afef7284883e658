/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { blockingTerms, DEFAULT_SCORE_PARAMETERS, matchKeys, phoneticIdV0, scorePair, type BirthDate, type MatchKeyInput, type PairScore, type ScoreInput } from '@ihyid/shared';

export interface PhoneticInputV0 {
  firstName: string;
  lastName: string;
  motherName: string;
  fatherName: string;
  birth: BirthDate;
}

/**
 * Keying work for the contact editor, off the main thread (R9). Checks run in the worker pool
 * (pool.ts, check.worker.ts); imports in the data worker.
 */
const api = {
  /** R7, R8, R9: the seed phonetic id, the match keys and the blocking terms of each contact, one message per batch. */
  contactKeys(people: readonly ContactKeyInput[]): ContactKeys[] {
    return people.map((p) => {
      const pid = phoneticIdV0(p);
      return { phoneticIdV0: pid.ok ? pid.value : null, matchKeys: matchKeys(p), blockingTerms: blockingTerms(p) };
    });
  },
  /** #15 item 2: the local scorer's verdict on each pair shown for review or in a duplicate warning. */
  scorePairs(pairs: readonly (readonly [ScoreInput, ScoreInput])[]): PairScore[] {
    return pairs.map(([a, b]) => scorePair(a, b, DEFAULT_SCORE_PARAMETERS));
  },
};

export type ContactKeyInput = MatchKeyInput & PhoneticInputV0;
export interface ContactKeys {
  phoneticIdV0: string | null;
  matchKeys: string[];
  /** #15: for this organisation's own duplicate check only; never sent to a partner. */
  blockingTerms: string[];
}

export type DomainWorkerApi = typeof api;

Comlink.expose(api);
