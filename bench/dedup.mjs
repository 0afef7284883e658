// npm run bench:dedup — R4, R8, R9 at scale: in headless Chromium, with the real built app served by
// the real server, import N generated contacts (default 100,000, 10% planted duplicates) through the
// import screen and its duplicate pass. Prints one JSON line: wall time, and the longest task on
// the page's main thread (Long Tasks API). Needs `npm run build` first. Never part of npm test.
//   env: ROWS, DUPLICATES, CHROMIUM_PATH, PORT
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';
import { dedupCsv } from './lib/dedup-csv.mjs';

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
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  // Every main-thread task over 50 ms, from the first paint on (the Long Tasks API's threshold).
  await context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  await page.goto(base);
  await page.getByLabel('Organisation name').fill('Bench Relief');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Contacts' }).waitFor();
  await page.goto(`${base}/#/import`);

  const tParse = performance.now();
  await page.getByLabel('Spreadsheet file (CSV or XLSX)').setInputFiles({ name: 'bench.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet.csv) });
  await page.getByRole('heading', { name: 'Match the columns' }).waitFor({ timeout: 120_000 });
  const parseMs = Math.round(performance.now() - tParse);
  const since = await page.evaluate(() => performance.now());

  const tImport = performance.now();
  await page.getByRole('button', { name: `Import ${rows} rows` }).click();
  await page.getByRole('heading', { name: 'Import report' }).waitFor({ timeout: 600_000 });
  const importMs = Math.round(performance.now() - tImport);
  const counts = await page.getByRole('list', { name: 'Import counts' }).getByRole('listitem').allInnerTexts();
  const tasks = await page.evaluate((from) => window.__longTasks.filter((t) => t.start >= from), since);
  const allTasks = await page.evaluate(() => window.__longTasks);
  const number = (label) => Number(counts.find((c) => c.startsWith(label))?.split(': ')[1]);
  console.log(
    JSON.stringify({
      bench: 'dedup',
      rows,
      plantedDuplicates: duplicates,
      generateMs,
      parseAndMapMs: parseMs,
      importAndDuplicatePassMs: importMs,
      wallMs: parseMs + importMs,
      imported: number('Imported'),
      flagged: number('Likely duplicates'),
      expectedFlagged: sheet.expectedFlagged,
      plantedFound: sheet.plantedFound,
      rejected: number('Rejected'),
      longestMainThreadTaskMsDuringImport: Math.round(Math.max(0, ...tasks.map((t) => t.ms))),
      longTasksDuringImport: tasks.length,
      longestMainThreadTaskMsWholeRun: Math.round(Math.max(0, ...allTasks.map((t) => t.ms))),
      target: { wallMs: 20_000, longestTaskMs: 100 },
    }),
  );
} finally {
  await browser.close();
  stop();
}
