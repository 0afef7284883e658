// `npm test`: install what is missing, build, check the layering rule, run the unit tests, then the browser tests.
import { build, ensureDependencies, runOrExit } from './lib.mjs';

ensureDependencies();
build();
runOrExit('npm', ['run', '--silent', 'lint:deps']);
runOrExit(process.execPath, ['node_modules/vitest/vitest.mjs', 'run']);
runOrExit(process.execPath, ['scripts/e2e.mjs']);
