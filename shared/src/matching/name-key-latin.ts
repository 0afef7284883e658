import type { NameSymbol } from './name-symbol.js';

/**
 * R7: Latin letters → phonetic symbols for nameKeyV1 (see name-key.ts). Input is one word,
 * lower-case ASCII. The consonant classes are chosen for how Arabic names are written in Latin
 * letters by English, French and Turkish habits: the spellings of one Arabic letter share a class.
 */

const VOWELS = 'aeiouy';
const isVowel = (c: string | undefined): boolean => c !== undefined && VOWELS.includes(c);

/** Longest first. Each maps to one consonant class. */
const DIGRAPHS: readonly (readonly [string, NameSymbol])[] = [
  ['tsch', 'X'],
  ['sch', 'X'],
  ['tch', 'X'],
  ['dzh', 'J'],
  ['sh', 'X'],
  ['zh', 'J'],
  ['dj', 'J'],
  ['kh', 'K'], // خ: Khoury, Khouri, and Koury for the same family
  ['gh', 'K'], // غ: Ghassan; also Sadegh for ق
  ['ph', 'F'],
  ['th', 'T'], // ث: Othman; also Haitham
  ['dh', 'T'], // ذ ض ظ: Ramadhan = Ramadan
  ['ck', 'K'],
];

/** Single letters. t/d, s/z, k/q/g/c share a class: the emphatic and plain letters of Arabic do. */
const LETTERS: Readonly<Record<string, NameSymbol>> = {
  b: 'B',
  p: 'B', // Arabic has no p: Peter is بيتر
  f: 'F',
  v: 'F', // and no v: Vera is فيرا
  t: 'T',
  d: 'T',
  s: 'S',
  z: 'S',
  j: 'J',
  k: 'K',
  q: 'K',
  l: 'L',
  m: 'M',
  n: 'N',
  r: 'R',
  h: 'H',
};

/**
 * A run of vowel letters is a vowel of one quality (a, i or u: only the last one of a word is
 * kept, as the name's ending), except right before the word's one final consonant: there i, y,
 * ee, ei, ai… are the glide 'Y' that Arabic writes as ي (Hussein / حسين, Samir / سمير) and ou, oo,
 * u, w the glide 'W' of و (Mahmoud / Mahmud / محمود), while a and e are not (Hassan / حسن, Khaled /
 * خالد, Mohammad / محمد). See PROTOCOL.md for why households need this.
 */
function vowelRun(run: string, initial: boolean, final: boolean, closedLast: boolean, uBefore: boolean): NameSymbol[] {
  if (final) return /[iy]+a+$/.test(run) && !initial ? ['Y', 'a'] : [quality(run)];
  if (initial || !closedLast) return [quality(run)];
  // i or y before o or u is the consonant y and the vowel u (Rios, Demetrius: ريوس), not a glide y.
  if (/[iy]|ee/.test(run) && !/[iy][ou]$/.test(run)) return ['Y'];
  // A single u or o is ū too (Mahmud, Mansur), unless the word had a u before: Yusuf and Yunus
  // write the ū of their first syllable (يوسف) and a short u in the last.
  return /ou|oo|uu|w|[iy][ou]$/.test(run) || (/^[ou]$/.test(run) && !uBefore) ? ['W'] : [quality(run)];
}

/** The quality of a vowel run, from its last letter: 'ie' and 'ee' are i, 'ou' is u. */
function quality(run: string): NameSymbol {
  const letters = run.replace(/e$/, '') || 'a';
  const last = letters[letters.length - 1]!;
  return 'iy'.includes(last) ? 'i' : 'ouw'.includes(last) ? 'u' : last === 'e' ? 'i' : 'a';
}

/** What Arabic writes as one final consonant letter: a letter, doubled or not, or a digraph. */
const ONE_CONSONANT = /^(?:([bcdfgjklmnpqrstvz])\1?|sh|kh|gh|th|dh|ch|ph|zh|ck|h)$/;

/** One Latin word → symbols. */
export function latinTokenSymbols(word: string): NameSymbol[] {
  let w = word;
  // A final e after a consonant is silent (Nadine, Amine, Brooke); 'eh' and 'é' were kept apart.
  // It still softens the c or g before it (Pearce, George), which the scan below reads from `word`.
  if (w.length > 2 && w.endsWith('e') && !isVowel(w[w.length - 2])) w = w.slice(0, -1);
  const out: NameSymbol[] = [];
  let i = 0;
  // Word-initial glides: Youssef, Walid, and the French Oualid.
  if (/^ou[aei]/.test(w)) {
    out.push('W');
    i = 2;
  } else if (/^i[ou]/.test(w)) {
    // Romanian and Slavic io-, iu- are yo-, yu- (Iosif = Yusuf, Iulia = Yulia).
    out.push('Y');
    i = 1;
  } else if ((w[0] === 'y' || w[0] === 'w') && isVowel(w[1]) && w[1] !== 'y') {
    out.push(w[0] === 'y' ? 'Y' : 'W');
    i = 1;
  }
  while (i < w.length) {
    const c = w[i]!;
    if (isVowel(c) || c === 'w') {
      let j = i;
      while (j < w.length && (isVowel(w[j]) || w[j] === 'w')) j++;
      // A final h after a vowel (Fatimah, Saleh, Abdallah) only tells that the word ends open.
      // -ah and -eh are taa marbuta (Fatimah, Fatmeh), -ih is ح (Samih).
      const run = w.slice(i, j);
      const endsInH = j === w.length - 1 && w[j] === 'h';
      const open = j === w.length || (endsInH && /[ae]$/.test(run));
      out.push(...vowelRun(run, i === 0, open, ONE_CONSONANT.test(w.slice(j)), /[ou]/.test(w.slice(0, i))));
      if (endsInH) {
        out.push('h');
        j++;
      }
      i = j;
      continue;
    }
    const digraph = DIGRAPHS.find(([d]) => w.startsWith(d, i));
    if (digraph) {
      out.push(digraph[1]);
      i += digraph[0].length;
      continue;
    }
    if (c === 'c') {
      if (w[i + 1] === 'h') {
        // ch before r or l is k (Christian); elsewhere it is sh, the French and Lebanese habit (Chadi).
        out.push(/[rl]/.test(w[i + 2] ?? '') ? 'K' : 'X');
        i += 2;
        continue;
      }
      out.push(/[eiy]/.test(word[i + 1] ?? '') ? 'S' : 'K');
    } else if (c === 'g') {
      // A soft g (George, Gino) is ج in Arabic spellings; a hard g (Gonzalez, Burger) is غ or ق.
      out.push(/[eiy]/.test(word[i + 1] ?? '') ? 'J' : 'K');
    } else if (c === 'x') {
      out.push('K', 'S');
    } else if (c === 'h' && i === w.length - 1) {
      out.push('h');
    } else {
      const s = LETTERS[c];
      if (s) out.push(s);
    }
    i++;
  }
  return out;
}

const ARTICLES = new Set(['al', 'el', 'ul', 'il', 'ol']);
/** Articles assimilated to a "sun letter": ad-Din, ar-Rahman, ash-Shami, an-Nour, ez-Zein. */
const ASSIMILATED = /^[aeu](d|r|s|sh|t|th|z|n|dh)$/;
const ABD_WORD = /^abd(?:[aeiou]l|oul)?$/;
const ABD_JOINED = /^abd(?:(?:[aeiou]|ou)l(?=..)|(?:[aeiou]|ou)(?=([bcdfghjklmnpqrstvwxz])\1))(.+)$/;
const CONSONANT = /[bcdfghjklmnpqrstvxz]/g;

/**
 * The article and Abd- rules for one word, given the next word of the same name: returns the
 * parts to keep. 'El' and 'al-' go; 'ad' goes before 'Din'; 'Abdel' keeps 'Abd', which then joins
 * the next word; 'Abdelrahman' becomes 'abd' + 'rahman'; 'Elkhoury' becomes 'khoury'.
 */
export function splitLatinArticle(word: string, next: string | undefined): string[] {
  if (next !== undefined) {
    if (ARTICLES.has(word)) return [];
    const m = ASSIMILATED.exec(word);
    if (m && next.startsWith(m[1]!)) return [];
    if (ABD_WORD.test(word)) return ['abd'];
  }
  const abd = ABD_JOINED.exec(word);
  if (abd) return ['abd', abd[2]!];
  if (/^(?:al|el)[bcdfghjkmnpqrstvxz]/.test(word) && (word.slice(2).match(CONSONANT)?.length ?? 0) >= 2) {
    return [word.slice(2)];
  }
  return [word];
}
