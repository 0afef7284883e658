import type { CheckProtocol } from '@ihyid/shared';

/** A6: what each protocol reveals, in plain words, for the side that asks and the side that answers. */
export const PROTOCOL_STATEMENTS: Record<CheckProtocol, { label: string; asker: string; answerer: string }> = {
  'psi-v1': {
    label: 'psi-v1 (private set intersection, recommended)',
    asker:
      'The private check (psi-v1). Each side sends its entries only as blinded points that neither side can reverse or test guesses against. Both sides learn which of their own contacts the other also holds, and how many entries the other sent; nothing else.',
    answerer:
      'Both sides learn which of their own contacts the other also holds, and how many entries the other sent. No names, dates or other details are sent, and guessed names cannot be tested against your list.',
  },
  'uscadi-v0': {
    label: 'uscadi-v0 (seed check)',
    asker:
      'The original Ihyid check (uscadi-v0). No names are sent, but each contact travels as a hash together with its random secret, so the partner could test guessed names against your list offline. You learn which of your contacts the partner also holds.',
    answerer:
      'Your device will answer "known" or "unknown" for each of their anonymised entries. They learn which of their contacts you also hold; no names or details of yours are sent.',
  },
  'uscadi-v1': {
    label: 'uscadi-v1 (keyed hashes of match keys)',
    asker:
      'The keyed seed check (uscadi-v1). Like uscadi-v0 it sends each contact’s random secret with its hashes, so the partner could test guessed names against your list offline. You learn which of your contacts the partner also holds.',
    answerer:
      'Your device will answer "known" or "unknown" for each of their anonymised entries. They learn which of their contacts you also hold; no names or details of yours are sent.',
  },
};

/** A6: the warning an administrator reads before turning a uscadi protocol on. */
export const USCADI_WARNING =
  'The uscadi protocols send each contact’s secret along with its hash. A partner who receives them can guess names and birth dates and test each guess offline, as often as it likes, to find out whom you serve. Turn one on only for a partner you trust with that, and only if the partner cannot use psi-v1.';
