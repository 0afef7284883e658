// What `npm test` needs beyond Node and npm, checked before anything runs: a Chromium for the browser
// tests and redis-server for the signaling server's scale-out tests. On Debian/Ubuntu as root (a
// fresh container, CI) they are installed with apt-get, as .ci/run does; elsewhere Playwright's own
// Chromium is tried; whatever is still missing stops the run at once with the one command to type.
// Only Node built-ins here: this runs before dependencies exist.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { root, run } from './lib.mjs';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

export function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** A system Chromium: CHROMIUM_PATH, or Debian's and Ubuntu's usual places. */
export function findChromium() {
  return [process.env.CHROMIUM_PATH, ...CHROMIUM_CANDIDATES].find((p) => p && existsSync(p)) ?? null;
}

/** Playwright's own Chromium, once dependencies are installed. */
export async function playwrightChromium() {
  try {
    const { chromium } = await import('@playwright/test');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const canApt = () => process.platform === 'linux' && process.getuid?.() === 0 && hasCommand('apt-get');
let aptUpdated = false;

function aptInstall(pkg) {
  console.log(`[ihyid] Installing Debian's ${pkg} (apt-get, as .ci/run does)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) aptUpdated = run('apt-get', ['update', '-qq'], { env }) === 0;
  return run('apt-get', ['install', '-y', '-qq', pkg], { env }) === 0;
}

/**
 * Makes sure Chromium and redis-server are there, or exits with what to install. Returns the
 * environment the browser tests should run with (CHROMIUM_PATH when a system Chromium is used).
 */
export async function ensurePrerequisites() {
  const missing = [];

  if (!hasCommand('redis-server') && !(canApt() && aptInstall('redis-server') && hasCommand('redis-server'))) {
    missing.push('redis-server');
  }

  let chromium = findChromium();
  if (!chromium && !(await playwrightChromium())) {
    if (canApt() && aptInstall('chromium')) chromium = findChromium();
    if (!chromium) {
      console.log("[ihyid] No Chromium found; trying Playwright's installer…");
      run(process.execPath, ['node_modules/@playwright/test/cli.js', 'install', 'chromium'], { cwd: root });
      if (!(await playwrightChromium())) missing.push('chromium');
    }
  }

  if (missing.length > 0) {
    const why = { 'redis-server': 'redis-server (the scale-out tests start one)', chromium: 'a Chromium (the browser tests)' };
    console.error(
      `[ihyid] npm test cannot run yet: it needs ${missing.map((m) => why[m]).join(' and ')}. Run:\n\n` +
        `  sudo apt-get install -y ${missing.join(' ')}\n\n` +
        (missing.includes('chromium') ? 'or point CHROMIUM_PATH at a Chromium or Chrome binary, ' : '') +
        'then npm test again.',
    );
    process.exit(1);
  }
  return chromium ? { CHROMIUM_PATH: chromium } : {};
}
