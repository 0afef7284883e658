// bench:lists — a D4 round of `--orgs` organisations over real WebRTC: the built app, the real signaling
// server, one headless Chromium context per organisation, each with a distribution list of `--n`
// people. Overlaps are planted: a tenth of each list is shared by all, a tenth with each other
// organisation. The pairs run in plan order (0–1, 0–2, …, 1–2, …) through the app's UI. Prints one JSON
// line: total time, whether every person has exactly one server named the same on every side, and the
// coin's balance (share of the coin-decided groups the pair's lower fingerprint serves).
//   npm run build && npm run bench:lists -- --orgs 3 --n 10000
import { randomUUID } from 'node:crypto';
import { connect, isolateOrContinue, launch, makePeople, newOrg, parseArgs, seed, startServer } from './lib/two-orgs.mjs';

isolateOrContinue();
const args = parseArgs({ orgs: 3, n: 10_000, port: 8293 });
const names = Array.from({ length: args.orgs }, (_, i) => `Org ${String.fromCharCode(65 + i)}`);
const slice = Math.floor(args.n / 10);
const pairsOf = (k) => names.flatMap((_, i) => names.slice(i + 1).map((_, j) => [i, i + 1 + j])).slice(0, k);
const pairs = pairsOf(Infinity);
const counts = { all: slice, ...Object.fromEntries(pairs.map(([i, j]) => [`p${i}${j}`, slice])) };
for (let i = 0; i < args.orgs; i++) counts[`own${i}`] = Math.max(0, args.n - slice * args.orgs);
const people = makePeople(counts, 7);
const holdings = names.map((_, i) => [...people.all, ...pairs.filter((p) => p.includes(i)).flatMap(([x, y]) => people[`p${x}${y}`]), ...people[`own${i}`]]);

/** The list record written straight into IndexedDB, in the app's shape (D1). */
async function writeList(page, name, ids) {
  const at = new Date().toISOString();
  const list = { id: randomUUID(), name, programme: 'MPCA', sector: 'Basic needs', round: 'Round 1', startDate: '2026-12-01', endDate: '2027-01-31', transferValue: 100, currency: 'USD', capacity: null, members: ids.map((contactId) => ({ contactId, alreadyServing: false })), createdAt: at, updatedAt: at };
  await page.evaluate(async (list) => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('ihyid');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('lists', 'readwrite');
      tx.objectStore('lists').put(list);
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, list);
  await page.reload();
}

async function readStore(page, store) {
  return page.evaluate(async (store) => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('ihyid');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const rows = await new Promise((resolve) => {
      const req = db.transaction(store).objectStore(store).getAll();
      req.onsuccess = () => resolve(req.result);
    });
    db.close();
    return rows;
  }, store);
}

const AGREED = /^Agreed with Org [A-Z]: of (\d+) shared people/;
const server = await startServer(args.port);
const browser = await launch();
try {
  const orgs = [];
  for (const [i, name] of names.entries()) {
    const org = await newOrg(browser, server.base, name);
    const ids = await seed(org.page, holdings[i]);
    await writeList(org.page, `List ${name}`, ids);
    orgs.push({ ...org, ids });
  }
  const t0 = Date.now();
  const pairMs = [];
  for (const [i, j] of pairs) {
    const [x, y] = [orgs[i], orgs[j]];
    const start = Date.now();
    await connect(x, y);
    await x.page.getByRole('button', { name: `Agree who serves whom with ${y.name}` }).click();
    await y.page.getByRole('button', { name: 'Bring this list' }).click();
    await x.page.getByText(AGREED).waitFor({ timeout: 600_000 });
    await y.page.getByText(AGREED).waitFor({ timeout: 600_000 });
    for (const o of [x, y]) await o.page.getByRole('button', { name: /^(Disconnect|Close)$/ }).click();
    pairMs.push(Date.now() - start);
  }
  const totalMs = Date.now() - t0;

  // Who serves each person, as each holder says: itself (no assignment, or one naming itself) or a partner.
  const audits = [];
  const assignments = [];
  for (const org of orgs) {
    audits.push((await readStore(org.page, 'listAudit')).filter((e) => e.kind === 'pair-agreed'));
    assignments.push(await readStore(org.page, 'listAssignments'));
  }
  const fingerprints = audits.map((entries) => entries[0]?.ours.summary.orgs.find((fp) => fp !== entries[0].partner) ?? null);
  let lower = 0;
  let groups = 0;
  let sharedGroups = 0;
  // The coin's balance, each pair counted once (on its first participant's side), over the pairs the
  // coin alone decided: in later pairs of a round, groups bound by an earlier pair go to their holder.
  for (const [i, j] of pairs) {
    const e = audits[i].find((x) => x.partner === fingerprints[j]);
    if (!e) continue;
    sharedGroups += e.ours.summary.groups;
    if (e.ours.summary.reasons.coin === e.ours.summary.groups) (lower += e.ours.summary.served[0]), (groups += e.ours.summary.groups);
  }
  const byPerson = new Map();
  for (const [i, org] of orgs.entries()) {
    const byContact = new Map(assignments[i].map((r) => [r.contactId, r]));
    holdings[i].forEach((p, k) => {
      const a = byContact.get(org.ids[k]);
      const server = a && a.server === a.partner ? a.server : `self:${i}`;
      if (!byPerson.has(p.phoneticIdV0)) byPerson.set(p.phoneticIdV0, []);
      byPerson.get(p.phoneticIdV0).push({ holder: i, server });
    });
  }
  let oneServerEach = true;
  for (const holders of byPerson.values()) {
    const resolved = holders.map((h) => (h.server.startsWith('self:') ? fingerprints[h.holder] ?? h.server : h.server));
    const servers = holders.filter((h) => h.server.startsWith('self:'));
    if (servers.length !== 1 || new Set(resolved).size !== 1) oneServerEach = false;
  }
  console.log(JSON.stringify({ bench: 'lists', orgs: args.orgs, n: args.n, people: byPerson.size, pairs: pairs.length, totalMs, pairMs, oneServerEach, coinLowerShare: groups ? Number((lower / groups).toFixed(4)) : null, coinGroups: groups, sharedGroups }));
} finally {
  await browser.close();
  server.stop();
}
