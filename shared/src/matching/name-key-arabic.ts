import type { NameSymbol } from './name-symbol.js';

/**
 * R7: Arabic script → phonetic symbols for nameKeyV1 (see name-key.ts), in the same classes as the
 * Latin spellings of each letter (name-key-latin.ts): خ is 'K' like kh, ث is 'T' like th.
 */

const ARABIC_LETTER = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/;

export function isArabicToken(word: string): boolean {
  return ARABIC_LETTER.test(word);
}

/**
 * Diacritics (harakat, shadda, sukun, superscript alef, Quranic marks) and tatweel carry nothing a
 * caseworker types reliably. Hamza seats fold to their carrier letter: أ إ آ ٱ → ا, ؤ → و, ئ → ي.
 */
export function normaliseArabic(word: string): string {
  return word
    .normalize('NFKC') // presentation forms (ﻣﺤﻤﺪ) to plain letters
    .replace(/[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .replace(/ی/g, 'ي')
    .replace(/[کگ]/g, 'ك')
    .replace(/ۀ/g, 'ة');
}

const LETTERS: Readonly<Record<string, NameSymbol>> = {
  ب: 'B',
  پ: 'B',
  ت: 'T',
  ط: 'T',
  ث: 'T',
  د: 'T',
  ض: 'T',
  ذ: 'T',
  ج: 'J',
  ژ: 'J',
  چ: 'X',
  ح: 'H',
  خ: 'K',
  ر: 'R',
  ز: 'S',
  س: 'S',
  ص: 'S',
  ظ: 'S',
  ش: 'X',
  غ: 'K',
  ف: 'F',
  ڤ: 'F',
  ق: 'K',
  ك: 'K',
  ل: 'L',
  م: 'M',
  ن: 'N',
  ه: 'H',
  // Vowel letters and the glottal stops that Latin spellings write as a vowel or not at all.
  ا: 'a',
  ى: 'a',
  ع: 'a',
  ء: 'a',
};

/** ا ى ع ء and و/ي that are not consonants here: what a Latin spelling writes as a vowel. */
const isVowelLetter = (c: string | undefined): boolean => c === undefined || 'اىعءوية'.includes(c);

/** One Arabic word (already split from its article) → symbols. */
export function arabicTokenSymbols(raw: string): NameSymbol[] {
  const w = [...normaliseArabic(raw)];
  const out: NameSymbol[] = [];
  w.forEach((c, i) => {
    const last = i === w.length - 1;
    if (c === 'ة' || (last && (c === 'ه' || c === 'ح') && i > 0)) return void out.push('h');
    if (c === 'و' || c === 'ي') {
      const glide = c === 'و' ? 'W' : 'Y';
      if (i === 0) return void out.push(glide);
      // و and ي are the glides 'W' and 'Y' before the word's one final consonant (محمود, سمير, حسين,
      // and with a long a between, مروان, إلياس), and ي before a final alef or taa marbuta (رانيا,
      // نادية), as in Latin spellings; right after a word-initial alef ي belongs to the initial
      // vowel (إيمان, Iman); elsewhere they are vowels (يوسف, زينب), whose Latin spellings vary too much.
      // تش is one consonant (the ch of Richard), as it is below.
      const rest = w.slice(i + 1).join('').replace(/تش/g, 'ش');
      const beforeLast = /^ا?[^اويىعءة]$/.test(rest) || (c === 'ي' && /^[اةى]$/.test(rest));
      const afterInitialAlef = i === 1 && w[0] === 'ا';
      if (beforeLast && !afterInitialAlef) return void out.push(glide);
      return void out.push(last ? (c === 'و' ? 'u' : 'i') : 'a');
    }
    // تش is how Arabic writes the ch of Charlie or Richey.
    if (c === 'ت' && w[i + 1] === 'ش') return;
    const s = LETTERS[c];
    if (s) out.push(s);
  });
  return out;
}

/**
 * Article and Abd- rules, as for Latin words: 'ال' goes (الخوري is خوري), 'عبدالرحمن' is 'عبد' +
 * 'رحمن'. A word that begins with (ا|أ|إ)ل followed by a consonant and at least one more consonant
 * loses it, exactly as Latin al-/el- does, so Elham and إلهام still agree.
 */
export function splitArabicArticle(raw: string): string[] {
  // Before a hamza seat (الأمين) ال can only be the article; the seat is lost in normalising.
  if (/^ال[أإآ]/.test(raw) && raw.length > 4) return [normaliseArabic(raw.slice(2))];
  const w = normaliseArabic(raw);
  if (w === 'ال') return [];
  const abd = /^عبد ?ال(.{2,})$/u.exec(w);
  if (abd) return ['عبد', abd[1]!];
  // ع and ء count as consonants here (العزيز is al-Aziz); ا و ي after ال are part of a name (الياس).
  if (w.startsWith('ال') && !'اوي'.includes(w[2] ?? 'ا') && consonantCount(w.slice(2)) >= 2) return [w.slice(2)];
  return [w];
}

function consonantCount(w: string): number {
  return [...w].filter((c) => !isVowelLetter(c)).length;
}
