// bench:uscadi — the seed check uscadi-v0 (A1) between two headless Chromium contexts, as bench:psi:
// A turns the protocol on through the A6 warning, picks it, B answers with the N×M kernel in its pool.
//   npm run build && npm run bench:uscadi -- --n 10000 [--protocol uscadi-v1]
import os from 'node:os';
import { connect, isolateOrContinue, launch, makePeople, newOrg, parseArgs, phases, sameSet, seed, startServer, storedOverlapIds } from './lib/two-orgs.mjs';

isolateOrContinue();
const args = parseArgs({ n: 10_000, overlap: 0.3, port: 8292, protocol: 'uscadi-v0' });
const shared = Math.round(args.n * args.overlap);
const people = makePeople({ shared, a: args.n - shared, b: args.n - shared });
const server = await startServer(args.port);
const browser = await launch(server);
try {
  const a = await newOrg(browser, server.base, 'Org A');
  const b = await newOrg(browser, server.base, 'Org B');
  const idsA = await seed(a.page, [...people.shared, ...people.a]);
  await seed(b.page, [...people.b, ...people.shared]);
  await connect(a, b);
  await a.page.getByRole('checkbox', { name: new RegExp(`^Allow ${args.protocol}`) }).click();
  await a.page.getByRole('button', { name: `Turn on ${args.protocol}` }).click();
  await a.page.getByRole('radio', { name: new RegExp(args.protocol) }).check();

  const t0 = Date.now();
  await a.page.getByRole('button', { name: 'Check overlap with Org B' }).click();
  await b.page.getByRole('dialog', { name: 'Check request from Org A' }).getByRole('button', { name: 'Accept' }).click();
  const timeout = 900_000;
  await a.page.getByText(/^Check complete:/).waitFor({ timeout });
  await b.page.getByText(/^You answered/).waitFor({ timeout });
  const total = Date.now() - t0;
  const [pa, pb] = [await phases(a.page, t0), await phases(b.page, t0)];
  const correct = sameSet(await storedOverlapIds(a.page), idsA.slice(0, shared));
  console.log(
    JSON.stringify({
      bench: args.protocol,
      n: args.n,
      overlap: args.overlap,
      shared,
      hashes: args.n * args.n,
      totalMs: total,
      phasesMs: { A: pa.phases, B: pb.phases },
      charsAtoB: pa.traffic?.sent ?? null,
      charsBtoA: pb.traffic?.sent ?? null,
      correct,
      browserCores: await a.page.evaluate(() => navigator.hardwareConcurrency),
      machineCores: os.cpus().length,
    }),
  );
} finally {
  await browser.close();
  server.stop();
}
