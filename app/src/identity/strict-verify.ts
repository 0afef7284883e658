import type { Verifier } from '@ihyid/shared';

/**
 * The strict JavaScript Ed25519 verifier (@noble/curves), loaded on first use: the page verifies
 * with WebCrypto and needs this only to check its own registration and where WebCrypto lacks
 * Ed25519, so the curve code stays out of the first visit's download (#12 item 9).
 */
export const lazyStrictVerify: Verifier = async (publicKey, message, signature) =>
  (await import('./strict-verify-impl')).strictVerify(publicKey, message, signature);
