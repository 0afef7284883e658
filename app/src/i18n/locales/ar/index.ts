import type { ArabicCatalog } from '../../types';
import first from './first';
import rest from './rest';

/** Modern Standard Arabic, in the two parts of en/index.ts; loaded only when chosen or when the browser asks for Arabic. */
const ar: ArabicCatalog = { ...first, ...rest };
export default ar;
