import type { CheckProtocol } from '@ihyid/shared';

/** A6: what each protocol reveals, in plain words, for the side that asks and the side that answers. */
export const PROTOCOL_STATEMENTS: Record<CheckProtocol, { asker: string; answerer: string }> = {
  'uscadi-v0': {
    asker:
      'The original Ihyid check (uscadi-v0). No names are sent, but each contact travels as a hash together with its random secret, so the partner could test guessed names against your list offline. You learn which of your contacts the partner also holds.',
    answerer:
      'Your device will answer "known" or "unknown" for each of their anonymised entries. They learn which of their contacts you also hold; no names or details of yours are sent.',
  },
};
