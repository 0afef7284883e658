import { hexToBytes } from '../src/core/hex.js';
import {
  challengePrefixOf,
  registerEvent,
  signerFromSecretKey,
  solutionEvent,
  strictVerify,
  type BodyOf,
  type LedgerEvent,
  type PublicKeyHex,
  type Signer,
  type ValidationContext,
} from '../src/identity/index.js';
import { solvePow } from '../src/identity/pow.js';

/**
 * Four test organisations with 20-bit registration proofs found by a plain node:crypto loop
 * (independent of shared/src/identity/pow.ts): secret key = SHA-256("ihyid-test-key-<L>"), seed = first 16
 * bytes of SHA-256("ihyid-test-seed-<L>"), nonce = the first that gives 20 leading zero bits.
 */
export const VECTORS = {
  A: { sk: '7763a107df649ac1b5f2cf4943aed743ebaab1f88d9ed868a116a877ed54ffc0', pk: '682064f9dffa3792af20acf8353acaf879cedde030e97e3db2c6a11f4dea6881', seed: 'b0bce38eba14794df732d02f88610e5e', cd: '7300f95675df19a06f3531afed13b9d0d9390c28e242322b59ceedb18a5c1cd1', nonce: 270492, h: '000008129a81931bac90ccc759139b51554f7e028bbacd31c11213ed3b757db5' },
  B: { sk: '00b022c0278152b6d574f5c2cc9b86655b48872a5ed9be009a0abe9b02aa2bc5', pk: '7a68e3f58d8271f36fa2634639b8863944bc8430f349007827b5a220de06e139', seed: '28066943fddc58c4e2f88b0dbd72a39c', cd: '4800043e17bf06372c2e5093c009d611f28a5f04abf40ab2383a25f2e4cb5cfd', nonce: 343491, h: '00000de6a176049cf0307ee544815c26670b4e2d36f811bda48350d196d06460' },
  C: { sk: '3dea2cf872f775f04dadfe5e82d0eae60d4b9dde4534ef9b2e119cf10a0bdd45', pk: '96a274fe6b07fcf2f9dba56f2270eb7b7b9627652fc3e12a46b6bc86c5e6339a', seed: 'cb7d5e24aeb299c2250739eb1dd53c6b', cd: '6a605bf74275d19522e8273de4a5d4a972b02704d28db4e5c066e7471d7fcc72', nonce: 1006980, h: '00000bb73a02d6839cb7def07c755579ecf3e05bfef4150e5bd1b21d2ce349ae' },
  D: { sk: '7347a6cbb6a14b48604e0fe27d5e6430055d706b8f0b664cd81536474ea6bfea', pk: '5ba637a9b1e41ea35eb18cdb96e10c3481f0f0ada3e768b265d6498a95a426d1', seed: 'c2f98bce0ba03e9fc64c80bc68291c13', cd: '0ecabdea262787b2e790ee16e0209a06bdea9fe34740a7d71813d4a03a1e19c6', nonce: 137962, h: '00000f2cd6b45089c460a73579d8680c941af2551b050ab7f4b9f210c889277c' },
} as const;

export type Label = keyof typeof VECTORS;

/** 2026-01-01T00:00:00Z: every test's clock starts here. */
export const T0 = Date.UTC(2026, 0, 1);
export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;

export interface Org {
  label: Label;
  key: PublicKeyHex;
  signer: Signer;
  register(at?: number): Promise<LedgerEvent>;
}

export function org(label: Label): Org {
  const v = VECTORS[label];
  const signer = signerFromSecretKey(hexToBytes(v.sk));
  return { label, key: signer.publicKey, signer, register: (at = T0) => registerEvent(signer, v.seed, v.nonce, at) };
}

export const ctx = (now: number): ValidationContext => ({ now, verify: strictVerify });

/** The target's solution to a challenge, found with the generic solver (14 bits: about 16k tries). */
export async function solve(target: Org, challenge: LedgerEvent, at: number, bits = 14): Promise<LedgerEvent> {
  const nonce = solvePow(challengePrefixOf(challenge.body as BodyOf<'challenge'>), bits, { start: 0, count: 1 << 26 })!;
  return solutionEvent(target.signer, challenge.id, nonce, at);
}

/** A nonce that does NOT reach `bits` for this challenge (to test that the fold re-checks the work). */
export function badNonce(challenge: LedgerEvent, bits = 14): number {
  const prefix = challengePrefixOf(challenge.body as BodyOf<'challenge'>);
  for (let n = 0; ; n++) if (solvePow(prefix, bits, { start: n, count: 1 }) === null) return n;
}
