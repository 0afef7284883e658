import common from './common';
import security from './security';

/**
 * #12 item 9: what the first screens say (the shell, set-up, unlock and restore), loaded before the
 * first render; the rest (rest.ts) loads after the first paint. A group used by a
 * first screen belongs here (i18n/first-paint.test.ts checks it).
 */
const first = { common, security };
export default first;
