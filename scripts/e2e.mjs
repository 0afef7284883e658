// Browser tests: find a Chromium, then run Playwright inside a loopback-only network namespace when
// this machine allows one, so that WebRTC and the server are hermetic. Elsewhere, run them plainly.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { root, run, runOrExit } from './lib.mjs';

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

async function playwrightOwnChromium() {
  const { chromium } = await import('@playwright/test');
  const path = chromium.executablePath();
  return path && existsSync(path) ? path : null;
}

let chromiumPath = findChromium();
if (!chromiumPath && !(await playwrightOwnChromium())) {
  console.log('[ihyid] No Chromium found; trying Playwright\'s installer…');
  run(process.execPath, ['node_modules/@playwright/test/cli.js', 'install', 'chromium']);
  if (!(await playwrightOwnChromium())) {
    console.error(
      '[ihyid] No Chromium is available for the browser tests.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y chromium   (then re-run npm test)\n' +
        '  Or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
    process.exit(1);
  }
}
const env = { ...process.env, ...(chromiumPath ? { CHROMIUM_PATH: chromiumPath } : {}) };
const playwright = `exec "${process.execPath}" node_modules/@playwright/test/cli.js test ${process.argv.slice(2).map((a) => `'${a}'`).join(' ')}`;

const canIsolate = process.platform === 'linux' && spawnSync('unshare', ['-n', 'true']).status === 0;
if (canIsolate) {
  runOrExit('unshare', ['-n', 'sh', '-c', `ip link set lo up && ${playwright}`], { env, cwd: root });
} else {
  console.log('[ihyid] unshare is not available: running browser tests without network isolation.');
  runOrExit('sh', ['-c', playwright], { env, cwd: root });
}
