import type { ScoreParameters } from './scorer.js';

/**
 * The scorer's parameters as the app ships them, estimated by bench:quality on the synthetic
 * re-registration set (20,000 people in households, 5,000 registered again with one to three slips):
 * u from 200,000 random pairs, m from the candidate pairs whose truth is known, the prior as the
 * share of duplicates over all pairs of that list. Levels are in SCORE_LEVELS order. PROTOCOL.md §4.5.
 */
export const DEFAULT_SCORE_PARAMETERS: ScoreParameters = {
  prior: 0.000016,
  m: {
    first: [0.74, 0.256, 0.0021, 0.0009, 0.0007],
    last: [0.771, 0.22, 0.0043, 0.0043, 0.0003],
    father: [0.75, 0.233, 0.00736, 0.00419, 0.00555],
    mother: [0.82, 0.178, 0.000114, 0.00057, 0.00194],
    born: [0.619, 0.0369, 0.0942, 0.104, 0.118, 0.0277],
    phone: [0.871, 0.129],
    doc: [0.999, 0.000286, 0.000286],
    place: [0.873, 0.0031, 0.124],
    sex: [1, 0.0001],
  },
  u: {
    first: [0.00499, 0.0115, 0.00519, 0.00481, 0.974],
    last: [0.00986, 0.0211, 0.00237, 0.00218, 0.965],
    father: [0.00872, 0.0192, 0.00487, 0.00097, 0.966],
    mother: [0.0111, 0.0266, 0.0032, 0.0129, 0.946],
    born: [0.00007, 0.00003, 0.00011, 0.00113, 0.0147, 0.984],
    phone: [0.000173, 1],
    doc: [0.0001, 0.0001, 1],
    place: [0.0794, 0.00417, 0.916],
    sex: [0.498, 0.502],
  },
};
