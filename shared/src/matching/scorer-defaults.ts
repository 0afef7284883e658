import type { ScoreParameters } from './scorer.js';

/**
 * The scorer's parameters as the app ships them, estimated by bench:quality on the synthetic
 * re-registration set (20,000 people in households, 5,000 registered again with one to three slips):
 * u from 200,000 random pairs, m from the candidate pairs whose truth is known, the prior as the
 * share of duplicates over all pairs of that list. Levels are in SCORE_LEVELS order. PROTOCOL.md §4.5.
 */
export const DEFAULT_SCORE_PARAMETERS: ScoreParameters = {
  prior: 1.6e-05,
  m: {
    first: [0.738, 0.258, 0.0019, 0.0001, 0.0019],
    last: [0.765, 0.225, 0.0057, 0.0027, 0.0019],
    father: [0.736, 0.245, 0.00761, 0.00352, 0.00716],
    mother: [0.81, 0.186, 0.000116, 0.000116, 0.00338],
    born: [0.703, 0.0435, 0.116, 0.118, 0.0191],
    phone: [0.855, 0.145],
    doc: [0.999, 0.000297, 0.000297],
    place: [0.867, 0.133],
    sex: [1, 0.0001],
  },
  u: {
    first: [0.00515, 0.0114, 0.00507, 0.00441, 0.974],
    last: [0.00961, 0.0212, 0.0023, 0.00227, 0.965],
    father: [0.00875, 0.0194, 0.00494, 0.000483, 0.966],
    mother: [0.0116, 0.0269, 0.00312, 0.0124, 0.946],
    born: [5.5e-05, 2.5e-05, 0.00012, 0.0151, 0.985],
    phone: [0.000184, 1],
    doc: [6.79e-05, 6.79e-05, 1],
    place: [0.0799, 0.92],
    sex: [0.499, 0.501],
  },
};
