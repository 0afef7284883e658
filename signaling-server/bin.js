#!/usr/bin/env node
// The one command an agency runs: configuration comes only from the environment (S4, S5).
import { main } from './dist/main.js';

main(process.env).catch((error) => {
  console.error(JSON.stringify({ level: 'fatal', code: 'start-failed', message: String(error?.message ?? error) }));
  process.exit(1);
});
