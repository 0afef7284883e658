import first from './first';
import rest from './rest';

/**
 * English, the source catalog: one file per feature, so that helpers adding strings rarely collide,
 * in two parts loaded at different times (first.ts, rest.ts). A new group goes into one of them.
 */
const en = { ...first, ...rest };
export default en;
