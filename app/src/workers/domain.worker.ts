/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { answerUscadiV0, matchKeysV1, phoneticIdV0, uscadiV0, type BirthDate, type MatchKeyInput } from '@ihyid/shared';

export interface PhoneticInputV0 {
  firstName: string;
  lastName: string;
  motherName: string;
  fatherName: string;
  birth: BirthDate;
}

/** Heavy domain work, off the main thread (R9). Batches in, batches out: one message per batch. */
const api = {
  phoneticIdsV0(people: readonly PhoneticInputV0[]): (string | null)[] {
    return people.map((p) => {
      const result = phoneticIdV0(p);
      return result.ok ? result.value : null;
    });
  },
  uscadisV0(items: readonly { phoneticId: string; secretHex: string }[]): string[] {
    return items.map((i) => uscadiV0(i.phoneticId, i.secretHex));
  },
  answerUscadiV0(localPhoneticIds: readonly string[], secrets: readonly string[], uscadis: readonly string[]): boolean[] {
    return answerUscadiV0(localPhoneticIds, secrets, uscadis);
  },
  /** R7, R9: the seed phonetic id and the match keys of each contact, one message per batch. */
  contactKeysV1(people: readonly ContactKeyInput[]): ContactKeys[] {
    return people.map((p) => {
      const pid = phoneticIdV0(p);
      return { phoneticIdV0: pid.ok ? pid.value : null, matchKeys: matchKeysV1(p) };
    });
  },
};

export type ContactKeyInput = MatchKeyInput & PhoneticInputV0;
export interface ContactKeys {
  phoneticIdV0: string | null;
  matchKeys: string[];
}

export type DomainWorkerApi = typeof api;

Comlink.expose(api);
