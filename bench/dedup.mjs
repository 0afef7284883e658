// npm run bench:dedup — R4, R8, R9 at scale: in headless Chromium, with the real built app served by
// the real server, import N generated contacts (default 100,000, 10% planted duplicates) through the
// import screen and its duplicate pass. Prints one JSON line: wall time, the CPU the browser spent on the import (`importCpuMs`, by kind of process), and the longest task on
// the page's main thread (Long Tasks API). Needs `npm run build` first. Never part of npm test.
//   env: ROWS, DUPLICATES, CHROMIUM_PATH, PORT
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from '@playwright/test';
import { dedupCsv } from './lib/dedup-csv.mjs';
import { summarise } from './lib/cpu-profile.mjs';
import { startWorkerProfiles } from './lib/worker-profile.mjs';

const rows = Number(process.env.ROWS ?? 100_000);
const duplicates = Number(process.env.DUPLICATES ?? Math.round(rows / 10));
const port = Number(process.env.PORT ?? 8199);
const base = `http://127.0.0.1:${port}`;

const t0 = performance.now();
const sheet = dedupCsv({ seed: 'bench-dedup', rows, duplicates });
const generateMs = Math.round(performance.now() - t0);

const server = spawn(process.execPath, ['signaling-server/bin.js'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', STATIC_DIR: 'app/dist', LOG_LEVEL: 'error' },
  stdio: 'inherit',
});
const stop = () => server.kill('SIGTERM');
process.on('exit', stop);
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    if (i > 100) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
// X2 (#14): the same import in two fresh browser contexts of one run, in the clear and on a device
// protected by a passphrase (every record sealed, every index term a keyed hash).
const PASSPHRASE = 'bench passphrase, long enough';
const [firstName, lastName] = sheet.csv.split('\n')[1].split(',');
const csvPath = join(mkdtempSync(join(tmpdir(), 'ihyid-dedup-')), 'bench.csv');
writeFileSync(csvPath, sheet.csv);
process.on('exit', () => rmSync(dirname(csvPath), { recursive: true, force: true }));

/** CPU seconds the browser's processes have used so far, in all and by kind (browser: IndexedDB among others; renderer: the page and its workers). */
let cdp = null;
async function cpuSeconds() {
  cdp ??= await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  const byType = {};
  for (const p of processInfo) byType[p.type] = (byType[p.type] ?? 0) + p.cpuTime;
  return { total: processInfo.reduce((sum, p) => sum + p.cpuTime, 0), byType };
}

async function runOnce(encrypted) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  // Every main-thread task over 50 ms, from the first paint on (the Long Tasks API's threshold).
  await context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  // Where each step starts, on the page's clock, so every long task is put in the step it fell in.
  const phases = [];
  const phase = async (name) => phases.push({ name, at: await page.evaluate(() => performance.now()) });
  await page.goto(base);
  await phase('first-run');
  await page.getByLabel('Organisation name').fill('Bench Relief');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Contacts' }).waitFor();
  let unlockMs = null;
  if (encrypted) {
    await phase('protect');
    await page.goto(`${base}/#/security`);
    await page.getByLabel('New passphrase').fill(PASSPHRASE);
    await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Protect this device' }).click();
    await page.getByRole('heading', { name: 'Unlock Ihyid' }).waitFor({ timeout: 60_000 });
    await phase('unlock-empty');
    unlockMs = await unlock(page);
  }
  await page.goto(`${base}/#/import`);
  await phase('parse-and-map');

  const tParse = performance.now();
  const parsed = timedInPage(page, 'change', 'h1, h2', 'Match the columns');
  // A path, as a file picker gives one: a buffer would be sent to the page as base64 and turned into a
  // File by script on its main thread (Playwright's way), a multi-second task that is the bench's, not the app's.
  await page.getByLabel('Spreadsheet file (CSV or XLSX)').setInputFiles(csvPath);
  await page.getByRole('heading', { name: 'Match the columns' }).waitFor({ timeout: 120_000 });
  const parseMs = await parsed;
  const parsePolledMs = Math.round(performance.now() - tParse);
  const since = await page.evaluate(() => performance.now());
  phases.push({ name: 'import', at: since });

  const cpu0 = await cpuSeconds();
  const tImport = performance.now();
  const imported = timedInPage(page, 'click', 'h1, h2', 'Import report');
  // TRACE_IMPORT=file: a Chrome trace (every thread) of the sealed import, from the click to the report.
  const traceImport = encrypted && process.env.TRACE_IMPORT;
  if (traceImport) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink'] });
  await page.getByRole('button', { name: `Import ${rows} rows` }).click();
  // PROFILE=1: the workers' CPU profiles over the import, summarised on stderr.
  const stopProfiles = process.env.PROFILE ? await new Promise((r) => setTimeout(r, 300)).then(() => startWorkerProfiles(browser)) : null;
  await page.getByRole('heading', { name: 'Import report' }).waitFor({ timeout: 900_000 });
  const importPolledMs = Math.round(performance.now() - tImport);
  if (traceImport) writeFileSync(traceImport, await browser.stopTracing());
  const importMs = await imported;
  const cpu1 = await cpuSeconds();
  if (stopProfiles) {
    for (const { url, profile } of await stopProfiles()) {
      if (!profile) continue;
      const { self, total } = summarise(profile, 30);
      console.error(`--- worker ${url} (encrypted: ${encrypted})\nself:\n${self.join('\n')}\ntotal:\n${total.join('\n')}`);
    }
  }
  const counts = await page.getByRole('list', { name: 'Import counts' }).getByRole('listitem').allInnerTexts();
  const tasks = await page.evaluate((from) => window.__longTasks.filter((t) => t.start >= from), since);
  const allTasks = await page.evaluate(() => window.__longTasks);
  const number = (label) => Number(counts.find((c) => c.startsWith(label))?.split(': ')[1]);

  // Unlock again over the full database, then one search over every contact.
  let unlockFullMs = null;
  await phase('after-import');
  if (encrypted) {
    await page.goto(`${base}/#/`);
    // TRACE_UNLOCK=file: a Chrome trace (every thread) of the reload and the unlock over the full database.
    if (process.env.TRACE_UNLOCK) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'disabled-by-default-v8.gc'] });
    await page.reload();
    // A reload starts the page's clock again: the long tasks of the page before it were read above.
    await page.getByRole('heading', { name: 'Unlock Ihyid' }).waitFor({ timeout: 60_000 });
    unlockFullMs = await unlock(page);
    if (process.env.TRACE_UNLOCK) writeFileSync(process.env.TRACE_UNLOCK, await browser.stopTracing());
  } else {
    await page.goto(`${base}/#/`);
  }
  const afterReload = encrypted ? await page.evaluate(() => window.__longTasks) : [];
  const searchMs = [];
  for (const q of [`${firstName} ${lastName}`, 'Mohamad', 'محمد']) searchMs.push(await search(page, q));
  await context.close();
  return {
    encrypted,
    parseAndMapMs: parseMs,
    importAndDuplicatePassMs: importMs,
    // The CPU every process of the browser spent over the import (steadier than the wall time when others share the machine), and by kind of process.
    importCpuMs: Math.round((cpu1.total - cpu0.total) * 1000),
    importCpuByType: Object.fromEntries(Object.entries(cpu1.byType).map(([type, sec]) => [type, Math.round((sec - (cpu0.byType[type] ?? 0)) * 1000)])),
    wallMs: parseMs + importMs,
    imported: number('Imported'),
    // #12: an import holds likely duplicates by default; one of the two counts is shown.
    flagged: number('Likely duplicates') || 0,
    held: number('Held for review') || 0,
    rejected: number('Rejected'),
    longestMainThreadTaskMsDuringImport: Math.round(Math.max(0, ...tasks.map((t) => t.ms))),
    longTasksDuringImport: tasks.length,
    longestMainThreadTaskMsWholeRun: Math.round(Math.max(0, ...allTasks.map((t) => t.ms))),
    longestTaskMsByStep: longestByStep(allTasks, phases, afterReload),
    unlockEmptyMs: unlockMs?.ms ?? null,
    unlockFullMs: unlockFullMs?.ms ?? null,
    searchMs,
    // The same steps timed from Node, as earlier versions of this bench did: they add Playwright's
    // polling of the page (up to 500 ms a wait, its retry interval), which is the bench's, not the app's.
    polled: { parseAndMapMs: parsePolledMs, importAndDuplicatePassMs: importPolledMs, wallMs: parsePolledMs + importPolledMs, unlockEmptyMs: unlockMs?.polledMs ?? null, unlockFullMs: unlockFullMs?.polledMs ?? null },
  };
}

/** The longest main-thread task in each step (a task belongs to the last step that began before it). */
function longestByStep(tasks, phases, afterReload) {
  const out = {};
  for (const t of tasks) {
    const step = phases.filter((p) => p.at <= t.start).at(-1)?.name ?? 'load';
    out[step] = Math.max(out[step] ?? 0, Math.round(t.ms));
  }
  if (afterReload.length > 0) out['reload-and-unlock-full'] = Math.round(Math.max(...afterReload.map((t) => t.ms)));
  return out;
}

/** From the click on Unlock to the contacts screen: Argon2id in its worker, the keys, the first render. */
async function unlock(page) {
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  const t = performance.now();
  // The shell's navigation is on every screen (the unlock returns to whatever route the page had).
  const shown = timedInPage(page, 'click', 'a', 'Contacts');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('link', { name: 'Contacts' }).first().waitFor({ timeout: 120_000 });
  const polledMs = Math.round(performance.now() - t);
  return { ms: await shown, polledMs };
}

/**
 * A step's time on the page's own clock: from the first `eventType` event the page receives (the
 * click or the file chosen) to the first frame after an element of `selector` whose text is `text`
 * is in the document. Playwright's waits poll the page at growing intervals (up to 500 ms), which
 * would be counted too if the step were timed from Node. Call it before the action.
 */
function timedInPage(page, eventType, selector, text) {
  const timed = page.evaluate(
    ([eventType, selector, text]) =>
      new Promise((resolve) => {
        let startAt = null;
        // The event's own time (when the input arrived), on the page's clock, even if the page was busy then.
        addEventListener(eventType, (e) => (startAt ??= e.timeStamp), { capture: true });
        const there = () => [...document.querySelectorAll(selector)].some((el) => el.textContent.trim() === text);
        const observer = new MutationObserver(() => {
          if (startAt === null || !there()) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve(Math.round(performance.now() - startAt)));
        });
        observer.observe(document, { subtree: true, childList: true, characterData: true });
      }),
    [eventType, selector, text],
  );
  timed.catch(() => undefined); // awaited after Playwright's own wait; a failure there comes first
  // Awaited once Playwright has seen the element: a text that never matched would otherwise hang the run.
  return {
    then: (resolve, reject) =>
      Promise.race([timed, new Promise((_, fail) => setTimeout(() => fail(new Error(`"${text}" was not timed on the page`)), 10_000).unref())]).then(resolve, reject),
  };
}

/** Measured in the page: from the input event to the count of matches on screen (store query and render). */
async function search(page, query) {
  await page.getByLabel('Search contacts').waitFor();
  return page.evaluate(
    (q) =>
      new Promise((resolve) => {
        const input = document.querySelector('input[type="search"]');
        const status = input.nextElementSibling;
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
        const type = (v) => {
          setter.call(input, v);
          input.dispatchEvent(new Event('input', { bubbles: true }));
        };
        type('');
        const cleared = () => {
          if (/match/.test(status.textContent)) return requestAnimationFrame(cleared);
          const t = performance.now();
          type(q);
          const tick = () => (/match/.test(status.textContent) ? resolve(Math.round(performance.now() - t)) : requestAnimationFrame(tick));
          tick();
        };
        cleared();
      }),
    query,
  );
}

try {
  for (const encrypted of [false, true]) {
    const r = await runOnce(encrypted);
    console.log(
      JSON.stringify({
        bench: 'dedup',
        rows,
        plantedDuplicates: duplicates,
        generateMs,
        ...r,
        expectedFlagged: sheet.expectedFlagged,
        plantedFound: sheet.plantedFound,
        target: { wallMs: 25_000, longestTaskMs: 100, unlockMs: 1_000, searchMs: 100 },
        cores: availableParallelism(),
        load: loadavg().map((l) => Math.round(l * 100) / 100),
      }),
    );
  }
} finally {
  await browser.close();
  stop();
}
