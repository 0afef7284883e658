// Where nameKeyV1 loses recall (npm run bench:quality -- --misses): the missed positive pairs of
// the Arabic variants grouped by pattern, not by name. A pattern is the part where the two keys
// differ once their common head and tail are cut off, with where it stands: '^' at the start, '$' at
// the end, '-' inside. So 'Y/-' is a glide Y that one spelling has and the other lacks, inside the
// key (Khalid / خالد), and 'J/K^' a ج read as g at the start (Gamal / جمال).

/** 'Y/-' for KLYT vs KLT: the differing middles, sorted, and where they stand. */
export function keyDiffPattern(x, y) {
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  const parts = [x.slice(i, x.length - j), y.slice(i, y.length - j)].sort();
  return `${parts.join('/')}${i === 0 ? '^' : j === 0 ? '$' : '-'}`;
}

/** The `top` most frequent patterns of missed pairs, with counts per pair type and two examples. */
export function missPatterns(positives, key, top = 25) {
  const byPattern = new Map();
  let missed = 0;
  for (const p of positives) {
    const [x, y] = [key(p.a), key(p.b)];
    if (x !== '' && x === y) continue;
    missed++;
    const pattern = keyDiffPattern(x, y);
    const entry = byPattern.get(pattern) ?? { pattern, missed: 0, 'latin-latin': 0, 'latin-arabic': 0, examples: [] };
    entry.missed++;
    entry[p.type]++;
    if (entry.examples.length < 2) entry.examples.push(`${x} ${y}`);
    byPattern.set(pattern, entry);
  }
  const rows = [...byPattern.values()].sort((a, b) => b.missed - a.missed).slice(0, top);
  return rows.map((r) => ({ bench: 'quality-arabic-variants-misses', ...r, shareOfMisses: Math.round((r.missed / missed) * 1000) / 1000 }));
}
