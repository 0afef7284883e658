import type { NameSymbol } from './name-symbol.js';
import { transliterate } from './translit.js';
import { arabicTokenSymbols, isArabicToken, splitArabicArticle } from './name-key-arabic.js';
import { latinTokenSymbols, splitLatinArticle } from './name-key-latin.js';

/**
 * R7: nameKeyV1 maps one name (one or more words, Arabic script or Latin letters) to one short
 * phonetic key, so that the spellings a caseworker may type for one Arabic name fold together:
 * Mohammad / Mohamed / Muhammad / محمد → 'MHMT'; Nabil / نبيل → 'NBYL' but Nabila / نبيلة → 'NBLA'.
 *
 * The design is in PROTOCOL.md, "Match keys v1". In short, every letter of either script becomes a
 * symbol: a consonant class (Latin digraphs such as kh, sh, th and the Arabic letters they stand
 * for share one class), a vowel, or a glide. Short vowels are never written in Arabic and are
 * written every which way in Latin, so vowels are dropped; what is kept is
 *   - the consonant skeleton, with adjacent repeats collapsed (shadda is not written, doubling in
 *     Latin is optional);
 *   - a glide 'Y' or 'W' before a word's last consonant, where Arabic writes ي or و (Hussein /
 *     حسين keep it, Hassan / حسن do not; Mahmoud / محمود has it, Mohammad / محمد not);
 *   - the quality of a final vowel (a, i, u; taa marbuta is a), which separates Nabil from Nabila
 *     and Hadi from Huda; and whether the name starts with a vowel.
 * Articles (al-, el-, ad-Din…) are dropped wherever they stand, and Abd/Abdel/Abdul joins the
 * following word, so that Abdel Rahman, Abdulrahman and عبد الرحمن are one unit.
 */
export function nameKeyV1(name: string): string {
  let key = recent.get(name);
  if (key === undefined) {
    const symbols = nameSymbols(name);
    key = symbols.length === 0 ? '' : skeletonOf(symbols);
    if (recent.size >= RECENT_NAMES) recent.clear();
    recent.set(name, key);
  }
  return key;
}

/**
 * Names repeat: a list of 100,000 people holds a few thousand distinct first, family and place
 * names, so an import keys each of them once instead of five times per row. Bounded, and cleared
 * whole when full, which costs one recomputation per name and never a wrong key (the function is pure).
 */
const RECENT_NAMES = 50_000;
const recent = new Map<string, string>();

/**
 * Phonetic symbols: consonant classes and the glides Y and W are upper-case letters; 'a', 'i' and
 * 'u' are vowels of that quality; 'h' is a final h-sound (Arabic ة, ه or ح, Latin h at the end of
 * a word after a vowel), which ends a name like the vowel a (Fatimah, Saleh, صالح).
 */

const isVowelSymbol = (s: NameSymbol): boolean => s === 'a' || s === 'i' || s === 'u' || s === 'h';

/** Arabizi: Latin letters with digits for the sounds Latin lacks (3 = ع, 7 = ح, 2 = ء, 5 = خ…). */
const ARABIZI: Readonly<Record<string, string>> = { '2': '', '3': '', '5': 'kh', '6': 't', '7': 'h', '8': 'gh', '9': 'q' };
const ARABIZI_DIGITS = /[2356789]/g;

/** Apostrophes and half-rings mark ʿayn or hamza in transliterations: Sa'id is Said. */
const APOSTROPHES = /['’‘`´ʿʾʻʼ]/g;
const SEPARATORS = /[\s\-‐-―−_.,;:/\\()[\]{}"«»]+/u;

function splitWords(name: string): string[] {
  let text = name.normalize('NFC');
  if (/[A-Za-z]/.test(text)) text = text.replace(ARABIZI_DIGITS, (d) => ARABIZI[d] ?? '');
  // A word-final é is the French and Lebanese way of writing taa marbuta (Saadé = سعادة): it keeps
  // its vowel, where a plain final e after a consonant is silent (Nadine = نادين).
  text = text.replace(/[éÉ](?=$|[^\p{L}])/gu, 'eh');
  return text
    .replace(APOSTROPHES, '')
    .split(SEPARATORS)
    .filter((w) => w !== '');
}

/** Latin words are lower-cased ASCII after diacritics are removed; others go through unidecode. */
function asciiWord(word: string): string {
  // Turkish ş is sh (Şirin = Shereen), Slavic č and ć are ch (Petrović = بيتروفيتش); other cedillas
  // and accents only decorate the letter.
  const stripped = word.replace(/[şŞ]/g, 'sh').replace(/[čćČĆ]/g, 'ch').normalize('NFD').replace(/\p{M}/gu, '');
  const special = stripped.replace(/ß/g, 'ss').replace(/[æÆ]/g, 'ae').replace(/[œŒ]/g, 'oe').replace(/ı/g, 'i');
  return transliterate(special).toLowerCase().replace(/[^a-z]/g, '');
}

/** The phonetic symbols of a whole name, words joined (so Abou Khalil = Aboukhalil). */
export function nameSymbols(name: string): NameSymbol[] {
  const words = splitWords(name);
  const out: NameSymbol[] = [];
  // Each word is turned into symbols after its article is handled; the article decision needs
  // the next word (ad-Din is an article only before a word starting with d).
  const prepared: { arabic: boolean; text: string }[] = [];
  for (const w of words) {
    if (isArabicToken(w)) prepared.push(...splitArabicArticle(w).map((text) => ({ arabic: true, text })));
    else {
      const ascii = asciiWord(w);
      if (ascii !== '') prepared.push({ arabic: false, text: ascii });
    }
  }
  for (let i = 0; i < prepared.length; i++) {
    const word = prepared[i]!;
    if (word.arabic) {
      out.push(...arabicTokenSymbols(word.text));
    } else {
      const next = prepared[i + 1];
      for (const part of splitLatinArticle(word.text, next && !next.arabic ? next.text : undefined)) {
        out.push(...latinTokenSymbols(part));
      }
    }
  }
  return out;
}

/**
 * The key: consonant classes with vowels removed and adjacent repeats collapsed, then 'V' when the
 * name ends in a vowel or a final h-sound.
 */
export function skeletonOf(symbols: readonly NameSymbol[]): string {
  let skeleton = '';
  for (const s of symbols) {
    if (isVowelSymbol(s)) continue;
    if (skeleton[skeleton.length - 1] !== s) skeleton += s;
  }
  const first = symbols[0]!;
  const last = symbols[symbols.length - 1]!;
  const head = isVowelSymbol(first) && first !== 'h' ? 'V' : '';
  return head + skeleton + (last === 'h' ? 'A' : isVowelSymbol(last) ? last.toUpperCase() : '');
}
