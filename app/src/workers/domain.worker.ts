/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { answerUscadiV0, phoneticIdV0, uscadiV0, type BirthDate } from '@ihyid/shared';

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
};

export type DomainWorkerApi = typeof api;

Comlink.expose(api);
