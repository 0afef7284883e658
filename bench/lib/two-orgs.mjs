import { createServer } from 'node:http';
// Shared harness of bench/psi.mjs and bench/uscadi.mjs: the real signaling server process serving
// the built app, headless Chromium with one browser context per organisation, the app's own UI to
// connect and to run the check. Contacts are fixtures written into IndexedDB in the app's record
// shape (as e2e/check-helpers.ts does), with phonetic ids computed by shared/dist in Node.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { matchKeys, phoneticIdV0 } from '../../shared/dist/index.js';
import { writeContactPacks } from './contact-packs-seed.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Re-runs this script inside a loopback-only network namespace when the machine allows one (as npm test does). */
export function isolateOrContinue() {
  if (process.env.IHYID_BENCH_ISOLATED === '1' || process.platform !== 'linux') return;
  if (spawnSync('unshare', ['-n', 'true']).status !== 0) return;
  const args = process.argv.slice(1).map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec "${process.execPath}" ${args}`], { stdio: 'inherit', env: { ...process.env, IHYID_BENCH_ISOLATED: '1' } });
  process.exit(r.status ?? 1);
}

export function parseArgs(defaults) {
  const out = { ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key in out) out[key] = typeof defaults[key] === 'number' ? Number(argv[++i]) : argv[++i];
  }
  return out;
}

export async function startServer(port) {
  if (!existsSync(`${root}/app/dist/index.html`)) throw new Error('Build the app first: npm run build');
  const server = spawn(process.execPath, ['signaling-server/bin.js'], { cwd: root, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', STATIC_DIR: 'app/dist', LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  // Whatever ends this process (an exception before the caller's finally, Ctrl-C), the server ends too.
  const stop = () => server.exitCode === null && server.signalCode === null && server.kill('SIGTERM');
  process.once('exit', stop);
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill('SIGTERM');
  throw new Error('signaling server did not start');
}

/** Headless Chromium; when it cannot start, the server started for it is stopped before the error goes on. */
export async function launch(server) {
  const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  try {
    return await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-loopback-in-peer-connection'],
    });
  } catch (error) {
    server?.stop();
    throw error;
  }
}

export async function newOrg(browser, base, name) {
  const context = await browser.newContext({ permissions: ['microphone'], baseURL: base });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Organisation name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText(`Ihyid · ${name}`).waitFor();
  return { name, context, page };
}

const SYLLABLES = ['ba', 'ka', 'da', 'fa', 'ga', 'la', 'ma', 'na', 'ra', 'sa', 'ta', 'za', 'bo', 'ku', 'di', 'mi', 'ro', 'lu'];

/**
 * Three disjoint groups of people with distinct phonetic ids: `shared` on both sides, the rest on one.
 * Deterministic from `seed` so runs compare.
 */
export function makePeople(counts, seed = 1) {
  let x = seed >>> 0 || 1;
  const next = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const name = () => {
    let s = '';
    for (let k = 0; k < 3; k++) s += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    return s[0].toUpperCase() + s.slice(1);
  };
  const seen = new Set();
  const group = (n) => {
    const out = [];
    while (out.length < n) {
      const year = 1930 + Math.floor(next() * 90);
      const day = 1 + Math.floor(next() * 28);
      const month = 1 + Math.floor(next() * 12);
      const p = { first: name(), last: name(), father: name(), mother: name(), born: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
      const id = phoneticIdV0({ firstName: p.first, lastName: p.last, fatherName: p.father, motherName: p.mother, birth: { kind: 'date', date: p.born } });
      if (!id.ok || seen.has(id.value)) continue;
      seen.add(id.value);
      const keys = matchKeys({ firstName: p.first, lastName: p.last, fatherName: p.father, motherName: p.mother, birth: { kind: 'date', date: p.born }, phone: '', documentType: '', documentNumber: '', location: '' });
      out.push({ ...p, phoneticIdV0: id.value, matchKeys: keys });
    }
    return out;
  };
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, group(n)]));
}

function record(p) {
  const at = new Date().toISOString();
  return {
    firstName: p.first, lastName: p.last, fatherName: p.father, motherName: p.mother, birth: { kind: 'date', date: p.born },
    sex: 'unknown', phone: '', documentType: '', documentNumber: '', location: '', householdSize: null, notes: '',
    phoneticIdV0: p.phoneticIdV0, matchKeys: p.matchKeys, id: randomUUID(), secretHex: randomBytes(32).toString('hex'), createdAt: at, updatedAt: at, createdBy: 'bench',
  };
}

/** Writes people into the app's contacts in batches, past the app (contact-packs-seed.mjs); returns the ids given to each. */
export async function seed(page, people) {
  const ids = [];
  for (let at = 0; at < people.length; at += 10_000) {
    const rows = people.slice(at, at + 10_000).map(record);
    ids.push(...rows.map((r) => r.id));
    await page.evaluate(writeContactPacks, rows);
  }
  await page.reload();
  return ids;
}

/** A invites, B opens the link; both see each other by name. */
export async function connect(a, b) {
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await a.page.getByRole('button', { name: 'Create invitation' }).click();
  const link = await a.page.getByLabel('Invitation link').inputValue();
  await b.page.goto(`/${new URL(link).hash}`);
  await b.page.getByRole('heading', { name: `Connected to ${a.name}` }).waitFor({ timeout: 30_000 });
  await a.page.getByRole('heading', { name: `Connected to ${b.name}` }).waitFor({ timeout: 30_000 });
}

/** The app's User Timing marks of the last check: per phase, ms from `origin` (epoch ms) to start and end. */
export async function phases(page, origin) {
  return page.evaluate((origin) => {
    const out = {};
    let traffic = null;
    for (const m of performance.getEntriesByType('mark')) {
      if (!m.name.startsWith('ihyid-check:')) continue;
      const [, phase, edge] = m.name.split(':');
      const t = Math.round(performance.timeOrigin + m.startTime - origin);
      if (phase === 'completed' || phase === 'answered') {
        out.done = t;
        traffic = m.detail;
        continue;
      }
      // The result and its overlap rows written (and versioned for the organisation's devices, X4).
      if (phase === 'stored') {
        out.stored = t;
        continue;
      }
      out[phase] ??= {};
      if (edge === 'start') out[phase].start ??= t;
      else out[phase].end = t;
    }
    // Which X25519 the check workers blind with (workers/pool.ts marks it once they are warm).
    const blinding = performance.getEntriesByName('ihyid-psi-blinding')[0]?.detail ?? null;
    return { phases: out, traffic, blinding };
  }, origin);
}

/** Contact ids this side stored as shared by its checks. */
export async function storedOverlapIds(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open('ihyid');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const rows = await new Promise((resolve) => {
      const req = db.transaction('overlaps').objectStore('overlaps').getAll();
      req.onsuccess = () => resolve(req.result);
    });
    db.close();
    return rows.map((r) => r.contactId);
  });
}

/**
 * The true psi-v2 result for one side: its contacts that hold any key the other side holds (A3: a
 * contact shared by any one of its keys counts once). Random names can share a key across groups.
 */
export function expectedByKeys(mine, ids, theirs) {
  const keys = new Set(theirs.flatMap((p) => p.matchKeys));
  return ids.filter((_, i) => mine[i].matchKeys.some((k) => keys.has(k)));
}

export function sameSet(got, expected) {
  if (got.length !== expected.length) return false;
  const want = new Set(expected);
  return got.every((id) => want.has(id)) && new Set(got).size === got.length;
}

/**
 * A blank page of its own origin in headless Chromium, for benches of raw browser APIs (IndexedDB,
 * WebCrypto, a kernel in a worker) with no app: `run(page, { browser, url })`, then the browser and
 * the server close. `worker`: a script the origin serves at /worker.js.
 */
export async function onBlankPage(run, { worker = null } = {}) {
  const server = createServer((req, res) => {
    if (worker !== null && req.url === '/worker.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(worker);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const browser = await launch({ stop: () => server.close() });
  try {
    const page = await browser.newPage();
    const url = `http://127.0.0.1:${server.address().port}/`;
    await page.goto(url);
    return await run(page, { browser, url });
  } finally {
    await browser.close();
    server.close();
  }
}
