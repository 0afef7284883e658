// `npm test`: install what is missing, build, run the unit tests, then the browser tests.
import { build, ensureDependencies, runOrExit } from './lib.mjs';

ensureDependencies();
build();
runOrExit(process.execPath, ['node_modules/vitest/vitest.mjs', 'run']);
runOrExit(process.execPath, ['scripts/e2e.mjs']);
