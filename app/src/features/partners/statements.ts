import type { CheckProtocol, Sizes } from '@ihyid/shared';

/**
 * A6, A9: what each protocol reveals, in plain words, for the side that asks and the side that answers.
 * Every sentence must hold for the code: a partner can put any entries it likes into a check, so what
 * bounds what it learns about our list is the number of entries it announced (enforced by the flows).
 */
export const PROTOCOL_STATEMENTS: Record<CheckProtocol, { label: string; asker: string; answerer(partner: string, theirs: Sizes): string }> = {
  'psi-v1': {
    label: 'psi-v1 (private set intersection, recommended)',
    asker:
      'The private check (psi-v1). Each side sends its entries only as blinded points, which cannot be reversed or tested again after the check. Each side learns which of its own contacts the other also holds, and how many contacts and entries the other announced; nothing else. The partner can test at most the number of entries it announces, and learns which of those you hold.',
    answerer: (partner, theirs) =>
      `${partner} can test at most the ${theirs.items} entries it announced against your list, and learns which of those you hold; a longer list stops the check before anything of yours goes back. You learn which of your own contacts ${partner} also holds. No names, dates or other details are sent: entries travel as blinded points that cannot be reversed or tested again after the check.`,
  },
  'uscadi-v0': {
    label: 'uscadi-v0 (seed check)',
    asker:
      'The original Ihyid check (uscadi-v0). No names are sent, but each contact travels as a hash together with a secret, so the partner could test guessed names against your list offline. You learn which of your contacts the partner also holds.',
    answerer: (partner, theirs) =>
      `Your device will answer "known" or "unknown" for each of ${partner}'s ${theirs.items} anonymised entries, so ${partner} can test at most ${theirs.items} entries of its choosing against your list and learns which of those you hold. Each entry stands for a sound-alike name with a birth date, so one "known" covers everyone of yours who sounds the same and was born that day. Nothing of your list is sent, so it cannot test anything more offline afterwards.`,
  },
  'uscadi-v1': {
    label: 'uscadi-v1 (keyed hashes of match keys)',
    asker:
      'The keyed seed check (uscadi-v1). Like uscadi-v0 it sends a secret with each contact’s hashes, so the partner could test guessed names against your list offline. You learn which of your contacts the partner also holds.',
    answerer: (partner, theirs) =>
      `Your device will answer "known" or "unknown" for each of ${partner}'s ${theirs.items} anonymised entries, so ${partner} can test at most ${theirs.items} entries of its choosing (a name with a birth date, a phone number, a document number…) against your list and learns which of those you hold. Nothing of your list is sent, so it cannot test anything more offline afterwards.`,
  },
};

/** A6: the warning an administrator reads before turning a uscadi protocol on. */
export const USCADI_WARNING =
  'The uscadi protocols send a secret along with each contact’s hash. A partner who receives them can guess names and birth dates and test each guess offline, as often as it likes, to find out whom you serve. Turn one on only for a partner you trust with that, and only if the partner cannot use psi-v1.';
