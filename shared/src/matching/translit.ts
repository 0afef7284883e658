/**
 * ASCII transliteration compatible with Python's `unidecode` (the tables of Unidecode 1.3.6), which the
 * seed Ihyid reaches through pyphonetics before computing Soundex (R6). Seed-compatible phonetic ids
 * depend on it: 'محمد' must become 'mHmd' here exactly as it does in Python.
 *
 * Only the blocks relief workers type names in are carried, copied entry for entry from unidecode's
 * tables x000.py, x001.py, x002.py, x003.py, x004.py, x006.py and x01e.py (a table entry of `None`,
 * or a position past the table's end, is written ''). Every other character outside ASCII maps to '',
 * as unidecode does with `errors='ignore'` for a character it has no data for. This is a deliberate
 * divergence for the blocks we leave out (for example CJK, Hebrew, Devanagari), where unidecode would
 * give letters: a name written only in those scripts has no seed-compatible phonetic id here.
 *
 * No Unicode normalisation is applied, as in unidecode: combining marks (U+0300 to U+036F) map to ''.
 */

type Block = readonly string[];

const BLOCKS: ReadonlyMap<number, Block> = new Map<number, Block>([
  // x000.py: Latin-1 Supplement (U+0080-U+00FF; U+0000-U+007F is ASCII and passes through)
  [0x00, [
    '','','','','','','','','','','','','','','','', // 00
    '','','','','','','','','','','','','','','','', // 10
    '','','','','','','','','','','','','','','','', // 20
    '','','','','','','','','','','','','','','','', // 30
    '','','','','','','','','','','','','','','','', // 40
    '','','','','','','','','','','','','','','','', // 50
    '','','','','','','','','','','','','','','','', // 60
    '','','','','','','','','','','','','','','','', // 70
    '','','','','','','','','','','','','','','','', // 80
    '','','','','','','','','','','','','','','','', // 90
    ' ','!','C/','PS','$?','Y=','|','SS','"','(c)','a','<<','!','','(r)','-', // a0
    'deg','+-','2','3','\'','u','P','*',',','1','o','>>',' 1/4',' 1/2',' 3/4','?', // b0
    'A','A','A','A','A','A','AE','C','E','E','E','E','I','I','I','I', // c0
    'D','N','O','O','O','O','O','x','O','U','U','U','U','Y','Th','ss', // d0
    'a','a','a','a','a','a','ae','c','e','e','e','e','i','i','i','i', // e0
    'd','n','o','o','o','o','o','/','o','u','u','u','u','y','th','y', // f0
  ]],
  // x001.py: Latin Extended-A and the first half of Latin Extended-B
  [0x01, [
    'A','a','A','a','A','a','C','c','C','c','C','c','C','c','D','d', // 00
    'D','d','E','e','E','e','E','e','E','e','E','e','G','g','G','g', // 10
    'G','g','G','g','H','h','H','h','I','i','I','i','I','i','I','i', // 20
    'I','i','IJ','ij','J','j','K','k','k','L','l','L','l','L','l','L', // 30
    'l','L','l','N','n','N','n','N','n','\'n','ng','NG','O','o','O','o', // 40
    'O','o','OE','oe','R','r','R','r','R','r','S','s','S','s','S','s', // 50
    'S','s','T','t','T','t','T','t','U','u','U','u','U','u','U','u', // 60
    'U','u','U','u','W','w','Y','y','Y','Z','z','Z','z','Z','z','s', // 70
    'b','B','B','b','6','6','O','C','c','D','D','D','d','d','3','@', // 80
    'E','F','f','G','G','hv','I','I','K','k','l','l','W','N','n','O', // 90
    'O','o','OI','oi','P','p','YR','2','2','SH','sh','t','T','t','T','U', // a0
    'u','Y','V','Y','y','Z','z','ZH','ZH','zh','zh','2','5','5','ts','w', // b0
    '|','||','|=','!','DZ','Dz','dz','LJ','Lj','lj','NJ','Nj','nj','A','a','I', // c0
    'i','O','o','U','u','U','u','U','u','U','u','U','u','@','A','a', // d0
    'A','a','AE','ae','G','g','G','g','K','k','O','o','O','o','ZH','zh', // e0
    'j','DZ','Dz','dz','G','g','HV','W','N','n','A','a','AE','ae','O','o', // f0
  ]],
  // x002.py: Latin Extended-B (end), IPA Extensions, Spacing Modifier Letters
  [0x02, [
    'A','a','A','a','E','e','E','e','I','i','I','i','O','o','O','o', // 00
    'R','r','R','r','U','u','U','u','S','s','T','t','Y','y','H','h', // 10
    'N','d','OU','ou','Z','z','A','a','E','e','O','o','O','o','O','o', // 20
    'O','o','Y','y','l','n','t','j','db','qp','A','C','c','L','T','s', // 30
    'z','','','B','U','^','E','e','J','j','q','q','R','r','Y','y', // 40
    'a','a','a','b','o','c','d','d','e','@','@','e','e','e','e','j', // 50
    'g','g','g','g','u','Y','h','h','i','i','I','l','l','l','lZ','W', // 60
    'W','m','n','n','n','o','OE','O','F','r','r','r','r','r','r','r', // 70
    'R','R','s','S','j','S','S','t','t','u','U','v','^','w','y','Y', // 80
    'z','z','Z','Z','?','?','?','C','@','B','E','G','H','j','k','L', // 90
    'q','?','?','dz','dZ','dz','ts','tS','tC','fN','ls','lz','WW',']]','h','h', // a0
    'h','h','j','r','r','r','r','w','y','\'','"','`','\'','`','`','\'', // b0
    '?','?','<','>','^','V','^','V','\'','-','/','\\',',','_','\\','/', // c0
    ':','.','`','\'','^','V','+','-','V','.','@',',','~','"','R','X', // d0
    'G','l','s','x','?','','','','','','','','V','=','"','', // e0
    '','','','','','','','','','','','','','','','', // f0
  ]],
  // x003.py: Combining Diacritical Marks, Greek and Coptic
  [0x03, [
    '','','','','','','','','','','','','','','','', // 00
    '','','','','','','','','','','','','','','','', // 10
    '','','','','','','','','','','','','','','','', // 20
    '','','','','','','','','','','','','','','','', // 30
    '','','','','','','','','','','','','','','','', // 40
    '','','','','','','','','','','','','','','','', // 50
    '','','','a','e','i','o','u','c','d','h','m','r','t','v','x', // 60
    '','','','','\'',',','','','','','','','','','?','', // 70
    '','','','','','','A',';','E','E','I','','O','','U','O', // 80
    'I','A','B','G','D','E','Z','E','Th','I','K','L','M','N','Ks','O', // 90
    'P','R','','S','T','U','Ph','Kh','Ps','O','I','U','a','e','e','i', // a0
    'u','a','b','g','d','e','z','e','th','i','k','l','m','n','x','o', // b0
    'p','r','s','s','t','u','ph','kh','ps','o','i','u','o','u','o','', // c0
    'b','th','U','U','U','ph','p','&','','','St','st','W','w','Q','q', // d0
    'Sp','sp','Sh','sh','F','f','Kh','kh','H','h','G','g','CH','ch','Ti','ti', // e0
    'k','r','c','j','','','','','','','','','','','','', // f0
  ]],
  // x004.py: Cyrillic
  [0x04, [
    'Ie','Io','Dj','Gj','Ie','Dz','I','Yi','J','Lj','Nj','Tsh','Kj','I','U','Dzh', // 00
    'A','B','V','G','D','E','Zh','Z','I','I','K','L','M','N','O','P', // 10
    'R','S','T','U','F','Kh','Ts','Ch','Sh','Shch','\'','Y','\'','E','Iu','Ia', // 20
    'a','b','v','g','d','e','zh','z','i','i','k','l','m','n','o','p', // 30
    'r','s','t','u','f','kh','ts','ch','sh','shch','\'','y','\'','e','iu','ia', // 40
    'ie','io','dj','gj','ie','dz','i','yi','j','lj','nj','tsh','kj','i','u','dzh', // 50
    'O','o','E','e','Ie','ie','E','e','Ie','ie','O','o','Io','io','Ks','ks', // 60
    'Ps','ps','F','f','Y','y','Y','y','u','u','O','o','O','o','Ot','ot', // 70
    'Q','q','*1000*','','','','','','*100.000*','*1.000.000*','','','"','"','R\'','r\'', // 80
    'G\'','g\'','G\'','g\'','G\'','g\'','Zh\'','zh\'','Z\'','z\'','K\'','k\'','K\'','k\'','K\'','k\'', // 90
    'K\'','k\'','N\'','n\'','Ng','ng','P\'','p\'','Kh','kh','S\'','s\'','T\'','t\'','U','u', // a0
    'U\'','u\'','Kh\'','kh\'','Tts','tts','Ch\'','ch\'','Ch\'','ch\'','H','h','Ch','ch','Ch\'','ch\'', // b0
    '`','Zh','zh','K\'','k\'','','','N\'','n\'','','','Ch','ch','','','', // c0
    'a','a','A','a','Ae','ae','Ie','ie','@','@','@','@','Zh','zh','Z','z', // d0
    'Dz','dz','I','i','I','i','O','o','O','o','O','o','E','e','U','u', // e0
    'U','u','U','u','Ch','ch','','','Y','y','','','','','','', // f0
  ]],
  // x006.py: Arabic (incl. Arabic-Indic digits and Persian letters)
  [0x06, [
    '','','','','','','','','','','','',',','','','', // 00
    '','','','','','','','','','','',';','','','','?', // 10
    '','','a','\'','w\'','','y\'','','b','@','t','th','j','H','kh','d', // 20
    'dh','r','z','s','sh','S','D','T','Z','`','G','','','','','', // 30
    '','f','q','k','l','m','n','h','w','~','y','an','un','in','a','u', // 40
    'i','W','','','\'','\'','','','','','','','','','','', // 50
    '0','1','2','3','4','5','6','7','8','9','%','.',',','*','','', // 60
    '','\'','\'','\'','','\'','\'w','\'u','\'y','tt','tth','b','t','T','p','th', // 70
    'bh','\'h','H','ny','dy','H','ch','cch','dd','D','D','Dt','dh','ddh','d','D', // 80
    'D','rr','R','R','R','R','R','R','j','R','S','S','S','S','S','T', // 90
    'GH','F','F','F','v','f','ph','Q','Q','kh','k','K','K','ng','K','g', // a0
    'G','N','G','G','G','L','L','L','L','N','N','N','N','N','h','Ch', // b0
    'hy','h','H','@','W','oe','oe','u','yu','yu','W','v','y','Y','Y','W', // c0
    '','','y','y\'','.','ae','','','','','','','','@','#','', // d0
    '','','','','','','','','','^','','','','','','', // e0
    '0','1','2','3','4','5','6','7','8','9','Sh','D','Gh','&','+m','', // f0
  ]],
  // x01e.py: Latin Extended Additional
  [0x1e, [
    'A','a','B','b','B','b','B','b','C','c','D','d','D','d','D','d', // 00
    'D','d','D','d','E','e','E','e','E','e','E','e','E','e','F','f', // 10
    'G','g','H','h','H','h','H','h','H','h','H','h','I','i','I','i', // 20
    'K','k','K','k','K','k','L','l','L','l','L','l','L','l','M','m', // 30
    'M','m','M','m','N','n','N','n','N','n','N','n','O','o','O','o', // 40
    'O','o','O','o','P','p','P','p','R','r','R','r','R','r','R','r', // 50
    'S','s','S','s','S','s','S','s','S','s','T','t','T','t','T','t', // 60
    'T','t','U','u','U','u','U','u','U','u','U','u','V','v','V','v', // 70
    'W','w','W','w','W','w','W','w','W','w','X','x','X','x','Y','y', // 80
    'Z','z','Z','z','Z','z','h','t','w','y','a','S','','','Ss','', // 90
    'A','a','A','a','A','a','A','a','A','a','A','a','A','a','A','a', // a0
    'A','a','A','a','A','a','A','a','E','e','E','e','E','e','E','e', // b0
    'E','e','E','e','E','e','E','e','I','i','I','i','O','o','O','o', // c0
    'O','o','O','o','O','o','O','o','O','o','O','o','O','o','O','o', // d0
    'O','o','O','o','U','u','U','u','U','u','U','u','U','u','U','u', // e0
    'U','u','Y','y','Y','y','Y','y','Y','y','','','','','','', // f0
  ]],
]);

/** Transliterates one code point; ASCII passes through unchanged, as in unidecode. */
export function transliterateCodePoint(codePoint: number): string {
  if (codePoint < 0x80) return String.fromCodePoint(codePoint);
  return BLOCKS.get(codePoint >> 8)?.[codePoint & 0xff] ?? '';
}

/** unidecode(text) for the covered blocks; see the module comment for what is left out. */
export function transliterate(text: string): string {
  let out = '';
  for (const ch of text) out += transliterateCodePoint(ch.codePointAt(0)!);
  return out;
}
