// The JavaScript a first visit really downloads before its first screen shows, in real Chromium
// from the real server (brotli on the wire, S8): what initial-js.mjs estimates from the manifest,
// plus whatever the page loads on the way (the language's catalog, a chunk awaited before render).
// One JSON line per scenario: a first visit in English and in Arabic (the set-up screen).
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
try {
  for (const s of SCENARIOS) {
    const context = await browser.newContext({ locale: s.locale, baseURL: server.base, serviceWorkers: 'block' });
    const page = await context.newPage();
    const scripts = [];
    let painted = false;
    // A script counts when the page asked for it before its first screen showed.
    page.on('request', (request) => {
      if (!painted && new URL(request.url()).pathname.endsWith('.js')) scripts.push(request);
    });
    await page.goto('/');
    // The set-up screen in the user's language, its one field ready for typing.
    await page.waitForFunction((lang) => document.documentElement.lang === lang && document.querySelector('input#org-name') !== null, s.lang, { timeout: 60_000 });
    painted = true;
    let wire = 0;
    let raw = 0;
    const files = [];
    const seen = new Set();
    for (const request of scripts) {
      const path = new URL(request.url()).pathname;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await request.response();
      const file = new URL(`../app/dist${path}`, import.meta.url);
      const body = readFileSync(file).length;
      // Chromium reports no body size for a worker's script: the build's brotli file is what the server sent it.
      let size = (await request.sizes()).responseBodySize;
      let encoding = (await response?.headerValue('content-encoding')) ?? 'none';
      if (!(size > 0)) [size, encoding] = existsSync(`${file.pathname}.br`) ? [readFileSync(`${file.pathname}.br`).length, 'br*'] : [body, 'none*'];
      wire += size;
      raw += body;
      files.push({ path, wire: size, encoding });
    }
    console.log(JSON.stringify({ bench: 'first-paint-js', scenario: s.name, lang: s.lang, scripts: seen.size, rawBytes: raw, wireBytes: wire }));
    if (args.verbose) for (const f of files.sort((a, b) => b.wire - a.wire)) console.log(`  ${String(f.wire).padStart(7)} ${f.encoding.padEnd(4)} ${f.path}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}
