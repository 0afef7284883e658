// bench:psi — psi-v2 (A3) between two headless Chromium contexts: the built app, the real signaling
// server, a real WebRTC data channel, the app's worker pool. Prints one JSON line: total and per-phase
// times for each side, characters sent each way, and whether each side found exactly the true overlap.
//   npm run build && npm run bench:psi -- --n 100000 --overlap 0.3 [--keys 1] [--protect 1] [--profile <dir>]
// --keys k keeps only the first k match keys of each fixture contact (default: all of matchKeys'),
// to measure the cost per key: psi-v2's work grows with distinct keys, not with contacts.
import os from 'node:os';
import { startProfile, summarise } from './lib/cpu-profile.mjs';
import { connect, expectedByKeys, isolateOrContinue, launch, makePeople, newOrg, parseArgs, phases, sameSet, seed, startServer, storedOverlapIds } from './lib/two-orgs.mjs';

isolateOrContinue();

/** X2: a passphrase protects the device; its first unlock seals the contacts already stored. */
async function protect(page, passphrase) {
  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByLabel('New passphrase').fill(passphrase);
  await page.getByLabel('Repeat the passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Protect this device' }).click();
  await page.getByRole('heading', { name: 'Unlock Ihyid' }).waitFor({ timeout: 600_000 });
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('link', { name: 'Partners' }).waitFor({ timeout: 600_000 });
}
const round2 = (x) => Math.round(x * 100) / 100;
const args = parseArgs({ n: 10_000, overlap: 0.3, port: 8291, keys: 0, profile: '', protect: 0 });
const shared = Math.round(args.n * args.overlap);
const people = makePeople({ shared, a: args.n - shared, b: args.n - shared });
if (args.keys > 0) for (const group of Object.values(people)) for (const p of group) p.matchKeys = p.matchKeys.slice(0, args.keys);
const server = await startServer(args.port);
const browser = await launch(server);
try {
  const a = await newOrg(browser, server.base, 'Org A');
  const b = await newOrg(browser, server.base, 'Org B');
  for (const [name, o] of [['A', a], ['B', b]]) {
    o.page.on('console', (m) => m.text().startsWith('psi5') && console.error(name, Date.now() % 1e6, m.text()));
    o.page.on('worker', (w) => w.on('console', (m) => m.text().startsWith('psi5') && console.error(name, 'w', Date.now() % 1e6, m.text())));
  }
  const listA = [...people.shared, ...people.a];
  const listB = [...people.b, ...people.shared];
  const idsA = await seed(a.page, listA);
  const idsB = await seed(b.page, listB);
  // `--protect 1`: both devices under a passphrase (X2), so the check reads sealed contacts.
  if (args.protect) for (const org of [a, b]) await protect(org.page, `bench passphrase of ${org.name}`);
  const keysA = new Set(listA.flatMap((p) => p.matchKeys)).size;
  const keysB = new Set(listB.flatMap((p) => p.matchKeys)).size;
  await connect(a, b);
  const cores = await a.page.evaluate(() => navigator.hardwareConcurrency);

  const loadBefore = os.loadavg();
  // Ten minutes, or 40 ms a contact on a shared machine under load (100,000: 67 minutes).
  const timeout = Math.max(600_000, args.n * 40);
  // `--profile <dir>`: both pages' main threads over the check, summarised on stderr (the workers are not in it).
  const stops = args.profile ? [await startProfile(a.page), await startProfile(b.page)] : [];
  const t0 = Date.now();
  await a.page.getByRole('button', { name: 'Check overlap with Org B' }).click({ timeout });
  const prompt = b.page.getByRole('dialog', { name: 'Check request from Org A' });
  await prompt.getByRole('button', { name: 'Accept' }).click({ timeout });
  const accepted = Date.now() - t0;
  await a.page.getByText(/^Check complete:/).waitFor({ timeout });
  await b.page.getByText(/^Check complete:/).waitFor({ timeout });
  const total = Date.now() - t0;
  for (const [side, stop] of stops.map((s, i) => [i ? 'b' : 'a', s])) {
    const { self, total: inclusive } = summarise(await stop(`${args.profile}/psi-${side}.cpuprofile`));
    console.error(`main thread of ${side.toUpperCase()}, self ms:\n${self.join('\n')}\ntotal ms:\n${inclusive.join('\n')}`);
  }

  const [pa, pb] = [await phases(a.page, t0), await phases(b.page, t0)];
  const expectedA = expectedByKeys(listA, idsA, listB);
  const expectedB = expectedByKeys(listB, idsB, listA);
  const correctA = sameSet(await storedOverlapIds(a.page), expectedA);
  const correctB = sameSet(await storedOverlapIds(b.page), expectedB);
  console.log(
    JSON.stringify({
      bench: 'psi-v2',
      n: args.n,
      keysPerContact: args.keys || 'all',
      protected: Boolean(args.protect),
      overlap: args.overlap,
      shared,
      sharedByKeys: [expectedA.length, expectedB.length],
      keys: [keysA, keysB],
      keysPerContactMean: [round2(keysA / listA.length), round2(keysB / listB.length)],
      totalMs: total,
      acceptClickMs: accepted,
      phasesMs: { A: pa.phases, B: pb.phases },
      charsAtoB: pa.traffic?.sent ?? null,
      charsBtoA: pb.traffic?.sent ?? null,
      blinding: [pa.blinding, pb.blinding],
      correct: correctA && correctB,
      correctA,
      correctB,
      browserCores: cores,
      machineCores: os.cpus().length,
      // The machine is shared: the 1-minute load average before and after the check.
      loadAvg1m: [round2(loadBefore[0]), round2(os.loadavg()[0])],
    }),
  );
} finally {
  await browser.close();
  server.stop();
}
