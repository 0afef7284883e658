import { err, ok, type Result } from '../core/result.js';
import { transliterate } from './translit.js';

/**
 * R6: pyphonetics' Soundex (pyphonetics/phonetics/soundex.py), which the seed Ihyid uses for its
 * phonetic ids. It differs from the standard (Russell/NARA) Soundex in two ways that matter for
 * compatibility: the first letter's own code stays at the head of the tail and is dropped only if it
 * equals that letter's code, and H and W are removed from the tail before equal codes are collapsed.
 * So 'Pfister' is 'P123' here, where standard Soundex gives 'P236'.
 */
const CODES: Readonly<Record<string, string>> = Object.fromEntries(
  [...'AEIOUYWHBPFVCSKGJQXZDTLMNR'].map((letter, i) => [letter, '000000DD111122222222334556'[i]!]),
);
const DROPPED = 'D';

export type SoundexError = 'no-letters';

export function soundex(name: string): Result<string, SoundexError> {
  const word = transliterate(name).toUpperCase().replace(/[^A-Z]/g, '');
  const first = word[0];
  if (first === undefined) return err('no-letters');

  let tail = '';
  for (const letter of word) {
    const code = CODES[letter]!;
    if (code !== DROPPED) tail += code;
  }
  // pyphonetics reads tail[0] unguarded and raises IndexError when the word is only H and W
  // ('H', 'WH'); here that word simply has an empty tail and pads to 'H000'.
  if (tail[0] === CODES[first]) tail = tail.slice(1);

  const code = squeeze(tail).replaceAll('0', '');
  return ok(`${first}${code}0000`.slice(0, 4));
}

/** Collapses runs of one repeated character into one ('0550' stays, '0055' becomes '05'). */
function squeeze(text: string): string {
  let out = '';
  for (const ch of text) if (out[out.length - 1] !== ch) out += ch;
  return out;
}
