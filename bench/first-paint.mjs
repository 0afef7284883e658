// The JavaScript a first visit really downloads before its first screen shows, in real Chromium
// from the real server (brotli on the wire, S8): what initial-js.mjs estimates from the manifest,
// plus whatever the page loads on the way (the language's catalog, a chunk awaited before render).
// One JSON line per scenario: a first visit in English and in Arabic (the set-up screen).
// scriptBytes: the page's scripts loaded when the screen's field entered the page, as received
// (Resource Timing's encodedBodySize, the page's own clock); workerBytes: workers' scripts asked for
// before then (Chromium gives no body size for those: the build's brotli file is what the server sent).
// Run after `npm run build`: node bench/first-paint.mjs [--verbose 1]
import { existsSync, readFileSync } from 'node:fs';
import { isolateOrContinue, launch, parseArgs, startServer } from './lib/two-orgs.mjs';

isolateOrContinue();
const args = parseArgs({ port: 18431, verbose: 0 });
const server = await startServer(args.port);
const browser = await launch(server);
const SCENARIOS = [
  { name: 'first-visit', locale: 'en-GB', lang: 'en' },
  { name: 'first-visit', locale: 'ar-LB', lang: 'ar' },
];
const brotliSize = (path) => {
  const file = new URL(`../app/dist${path}`, import.meta.url).pathname;
  return existsSync(`${file}.br`) ? readFileSync(`${file}.br`).length : readFileSync(file).length;
};
try {
  for (const s of SCENARIOS) {
    const context = await browser.newContext({ locale: s.locale, baseURL: server.base, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.addInitScript(() => {
      // Workers made by the page, by its own clock (their scripts are not in its Resource Timing).
      const made = [];
      window.Worker = class extends window.Worker {
        constructor(url, options) {
          super(url, options);
          made.push(new URL(url, location.href).pathname);
        }
      };
      new MutationObserver((_, observer) => {
        if (!document.getElementById('org-name')) return;
        observer.disconnect();
        window.__shown = {
          scripts: performance
            .getEntriesByType('resource')
            .filter((e) => new URL(e.name).pathname.endsWith('.js'))
            .map((e) => ({ path: new URL(e.name).pathname, encoded: e.encodedBodySize, decoded: e.decodedBodySize })),
          workers: [...made],
        };
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto('/');
    await page.waitForFunction((lang) => document.documentElement.lang === lang && window.__shown !== undefined, s.lang, { timeout: 60_000 });
    const shown = await page.evaluate(() => window.__shown);
    const early = shown.workers;
    // A worker's script shows in the page's timing too once it has loaded: counted once, as a worker.
    shown.scripts = shown.scripts.filter((x) => !early.includes(x.path));
    const scriptBytes = shown.scripts.reduce((n, x) => n + x.encoded, 0);
    const workerBytes = early.reduce((n, path) => n + brotliSize(path), 0);
    const rawBytes = shown.scripts.reduce((n, x) => n + x.decoded, 0);
    console.log(JSON.stringify({ bench: 'first-paint-js', scenario: s.name, lang: s.lang, scripts: shown.scripts.length, rawBytes, scriptBytes, workers: early.length, workerBytes, wireBytes: scriptBytes + workerBytes }));
    if (args.verbose) {
      for (const x of shown.scripts.sort((a, b) => b.encoded - a.encoded)) console.log(`  ${String(x.encoded).padStart(7)} ${x.path}`);
      for (const path of early) console.log(`  ${String(brotliSize(path)).padStart(7)} ${path} (worker)`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}
