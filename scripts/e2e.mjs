// Browser tests: find a Chromium, then run Playwright inside a loopback-only network namespace when
// this machine allows one, so that WebRTC and the server are hermetic. Elsewhere, run them plainly.
import { spawnSync } from 'node:child_process';
import { findChromium, hasCommand, playwrightChromium } from './prerequisites.mjs';
import { root, run, runOrExit } from './lib.mjs';

let chromiumPath = findChromium();
if (!chromiumPath && !(await playwrightChromium())) {
  console.log('[ihyid] No Chromium found; trying Playwright\'s installer…');
  run(process.execPath, ['node_modules/@playwright/test/cli.js', 'install', 'chromium']);
  if (!(await playwrightChromium())) {
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

const canIsolate = process.platform === 'linux' && hasCommand('ip') && spawnSync('unshare', ['-n', 'true']).status === 0;
if (canIsolate) {
  runOrExit('unshare', ['-n', 'sh', '-c', `ip link set lo up && ${playwright}`], { env, cwd: root });
} else {
  console.log('[ihyid] unshare is not available: running browser tests without network isolation.');
  runOrExit('sh', ['-c', playwright], { env, cwd: root });
}
