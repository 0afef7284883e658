// `npm test`: install what is missing (npm packages; Chromium and redis-server when it can, see
// prerequisites.mjs), build, check the layering rule and the browser tests' types, run the unit
// tests, the stores' contracts in Chromium (vitest.browser.config.ts), then the browser tests.
import { ensurePrerequisites } from './prerequisites.mjs';
import { build, ensureDependencies, runOrExit } from './lib.mjs';

ensureDependencies();
const env = { ...process.env, ...(await ensurePrerequisites()) };
build();
runOrExit('npm', ['run', '--silent', 'lint:deps']);
// The browser tests are transpiled by Playwright without a type check: check their types here.
runOrExit(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'e2e']);
runOrExit(process.execPath, ['node_modules/vitest/vitest.mjs', 'run']);
// The stores' contract suites again, in Chromium on its own IndexedDB (#14 item 1).
runOrExit(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.browser.config.ts'], { env });
runOrExit(process.execPath, ['scripts/e2e.mjs'], { env });
