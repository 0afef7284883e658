import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '../core/hex.js';
import { isPublicKeyHex, publicKeyHex, type Signer, type Verifier } from './keys.js';

// The JavaScript Ed25519 (@noble/curves) in a module of its own: the app verifies with WebCrypto
// and loads this only for the strict check of its own registration and as a fallback, so the
// curve code is not part of the first visit's download (#12 item 9).

/**
 * RFC 8032 verification without ZIP-215's laxer encodings, so that every installation, whichever
 * library it uses, accepts the same signatures: the ledger must validate the same everywhere.
 */
export const strictVerify: Verifier = (publicKey, message, signature) => {
  if (!isPublicKeyHex(publicKey) || signature.length !== 64) return false;
  try {
    return ed25519.verify(signature, message, hexToBytes(publicKey), { zip215: false });
  } catch {
    return false;
  }
};

/** A signer over a raw 32-byte Ed25519 secret: for tests, benchmarks and Node tools, not the app. */
export function signerFromSecretKey(secretKey: Uint8Array): Signer {
  const publicKey = publicKeyHex(ed25519.getPublicKey(secretKey));
  return { publicKey, sign: async (message) => ed25519.sign(message, secretKey) };
}

