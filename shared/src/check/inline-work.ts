import type { CheckWork } from './overlap-check.js';
import { inlinePsiWork, type PsiCurve } from './psi-group.js';
import { answerUscadiV0, uscadiV0 } from './uscadi-v0.js';
import { answerUscadiV1, uscadiV1 } from './uscadi-v1.js';

/**
 * CheckWork on the calling thread: the same functions the app's check workers run, for tests and
 * tools that have no workers (the app's is workers/check-work.ts, over a pool).
 */
export function inlineCheckWork(curve: PsiCurve): CheckWork {
  return {
    uscadi: {
      uscadis: async (protocol, pairs) => pairs.map((p) => (protocol === 'uscadi-v0' ? uscadiV0(p.message, p.secretHex) : uscadiV1(p.message, p.secretHex))),
      answer: async (protocol, local, secrets, uscadis) => (protocol === 'uscadi-v0' ? answerUscadiV0(local, secrets, uscadis) : answerUscadiV1(local, secrets, uscadis)),
    },
    psi: inlinePsiWork(curve),
  };
}
