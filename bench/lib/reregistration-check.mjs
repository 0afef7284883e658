// The record-level check of bench:quality (R7): re-registered people (one to three slips at once,
// see shared/src/testing/reregistrations.ts) against their originals, their siblings and twins, and
// everyone else. A match is any shared key. Rates:
//  - recall: re-registrations sharing a key with their original;
//  - siblings: pairs of different people of one household (originals with each other, and each
//    re-registration with its original's siblings) sharing a key; twins are the siblings born the same day;
//  - random: pairs of different people of different households sharing a key, over all such pairs.
import { generateReregistrations, validateContactInput } from '../../shared/dist/index.js';

const TODAY = '2026-11-22';
const round = (x, d = 10_000) => Math.round(x * d) / d;

export function reregistrationCheck(name, keysOf, { seed = 'reregistration', rows = 40_000, count = 10_000 } = {}) {
  const set = generateReregistrations({ seed, rows, count });
  const valid = (row) => {
    const v = validateContactInput(row, { today: TODAY });
    return v.ok ? v.value : null;
  };
  // Every record: originals first, then re-registrations (same person id as their original).
  const records = [];
  for (const p of set.originals) records.push({ person: p.personId, household: p.householdId, born: p.row.birthDate, contact: valid(p.row) });
  for (const a of set.again) {
    const o = set.originals[a.of];
    records.push({ person: o.personId, household: o.householdId, born: o.row.birthDate, contact: valid(a.row), noises: a.noises, of: a.of });
  }
  const keys = records.map((r) => (r.contact ? keysOf(r.contact) : []));
  const index = new Map();
  keys.forEach((ks, i) => {
    for (const k of new Set(ks)) {
      const list = index.get(k);
      if (list) list.push(i);
      else index.set(k, [i]);
    }
  });
  const joined = new Set();
  for (const list of index.values()) {
    for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) joined.add(list[x] * 1e6 + list[y]);
  }
  const shares = (i, j) => joined.has(Math.min(i, j) * 1e6 + Math.max(i, j));

  const n0 = set.originals.length;
  let found = 0;
  const byNoise = {};
  set.again.forEach((a, k) => {
    const hit = shares(a.of, n0 + k);
    if (hit) found++;
    for (const noise of a.noises) {
      byNoise[noise] ??= [0, 0];
      byNoise[noise][0] += hit ? 1 : 0;
      byNoise[noise][1]++;
    }
  });
  // Households and their original members.
  const members = new Map();
  for (let i = 0; i < n0; i++) {
    const h = records[i].household;
    if (!members.has(h)) members.set(h, []);
    members.get(h).push(i);
  }
  let siblingPairs = 0;
  let siblingsJoined = 0;
  let twinPairs = 0;
  let twinsJoined = 0;
  const tally = (i, j) => {
    const twin = records[i].born === records[j].born;
    const hit = shares(i, j);
    siblingPairs++;
    siblingsJoined += hit ? 1 : 0;
    if (twin) {
      twinPairs++;
      twinsJoined += hit ? 1 : 0;
    }
  };
  for (const list of members.values()) for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) tally(list[x], list[y]);
  set.again.forEach((a, k) => {
    for (const j of members.get(records[a.of].household)) if (j !== a.of) tally(n0 + k, j);
  });
  let randomJoined = 0;
  for (const pair of joined) {
    const i = Math.floor(pair / 1e6);
    const j = pair % 1e6;
    if (records[i].household !== records[j].household) randomJoined++;
  }
  const total = records.length;
  const pairsAll = (total * (total - 1)) / 2;
  const perHousehold = new Map();
  for (const r of records) perHousehold.set(r.household, (perHousehold.get(r.household) ?? 0) + 1);
  const randomPairs = pairsAll - [...perHousehold.values()].reduce((s, n) => s + (n * (n - 1)) / 2, 0);
  const keyCount = keys.reduce((s, ks) => s + ks.length, 0);
  return {
    bench: 'quality-reregistration',
    algorithm: name,
    originals: n0,
    reregistrations: set.again.length,
    rejectedAsInvalid: records.filter((r) => r.contact === null).length,
    recall: round(found / set.again.length),
    siblingPairs,
    siblingsJoined,
    siblingRate: round(siblingsJoined / siblingPairs, 1e6),
    twinPairs,
    twinsJoined,
    randomJoined,
    randomRate: round(randomJoined / randomPairs, 1e9),
    keysPerContact: round(keyCount / total, 100),
    recallByNoise: Object.fromEntries(Object.entries(byNoise).sort().map(([k, [h, t]]) => [k, round(h / t, 1000)])),
  };
}
