// `npm start`: install what is missing, build, then serve the PWA and the signaling server on one port (S5).
import { build, ensureDependencies, root, runOrExit } from './lib.mjs';

ensureDependencies();
build();
runOrExit(process.execPath, [`${root}/signaling-server/bin.js`], {
  env: { PORT: '8080', HOST: 'localhost', ...process.env, STATIC_DIR: process.env.STATIC_DIR ?? `${root}/app/dist` },
});
