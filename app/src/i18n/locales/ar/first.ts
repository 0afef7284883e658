import type { ArabicCatalog } from '../../types';
import common from './common';
import security from './security';

/** The Arabic of en/first.ts: what the first screens say, loaded before the first render. */
const first: Pick<ArabicCatalog, 'common' | 'security'> = { common, security };
export default first;
