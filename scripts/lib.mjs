// Helpers shared by `npm start`, `npm test` and `.ci/run`: install what is missing, then build.
// Only Node built-ins here: these run before dependencies exist.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function runOrExit(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) process.exit(status);
}

/**
 * A fresh clone has no node_modules: install exactly what the lockfile says. A checkout installed
 * before a dependency was added lacks it: one package of each late addition is looked for too.
 */
const REQUIRED = ['vite', '@vitest/browser-playwright'];
export function ensureDependencies() {
  if (existsSync(`${root}/node_modules/.package-lock.json`) && REQUIRED.every((name) => existsSync(`${root}/node_modules/${name}`))) return;
  console.log('[ihyid] Installing dependencies (npm ci)…');
  if (run(npm, ['ci', '--no-audit', '--no-fund']) !== 0) {
    console.log('[ihyid] npm ci failed; trying npm install…');
    runOrExit(npm, ['install', '--no-audit', '--no-fund']);
  }
}

export function build() {
  console.log('[ihyid] Building shared/, signaling-server/ and app/…');
  runOrExit(npm, ['run', 'build']);
}
