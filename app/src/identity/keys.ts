import { bytesToHex, hexToBytes, type PublicKeyHex, type Signer, type Verifier } from '@ihyid/shared';
import { lazyStrictVerify } from './strict-verify';
import type { IdentityDb, KeyRow } from './db';

/**
 * I1: the installation's Ed25519 key pair, made on first use with WebCrypto. X2: the private key
 * is kept as PKCS#8 bytes so that it can be wrapped under the data key (sealed with its row on a
 * protected device, so nobody holding a locked device can sign); in memory it is imported as a
 * non-extractable CryptoKey. The public key is exported raw (32 bytes) at creation.
 */
export async function ensureKeys(db: IdentityDb, now: () => number): Promise<KeyRow> {
  const existing = await db.keys.get('self');
  if (existing) return existing;
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const row: KeyRow = { id: 'self', publicKey: bytesToHex(raw) as PublicKeyHex, pkcs8: bytesToHex(pkcs8), createdAt: now() };
  pkcs8.fill(0);
  // Two tabs may race on first run: the first key written wins and both use it.
  return db.transaction('rw', db.keys, async () => {
    const raced = await db.keys.get('self');
    if (raced) return raced;
    await db.keys.add(row);
    return row;
  });
}

/** The signing key for this page: imported non-extractable from the row's PKCS#8, or an older row's CryptoKey. */
export async function signingKeyOf(row: KeyRow): Promise<CryptoKey> {
  if (row.pkcs8) return crypto.subtle.importKey('pkcs8', hexToBytes(row.pkcs8) as BufferSource, { name: 'Ed25519' }, false, ['sign']);
  if (row.privateKey) return row.privateKey;
  throw new Error('the identity key row holds no private key');
}

export function webCryptoSigner(publicKey: PublicKeyHex, privateKey: CryptoKey): Signer {
  return {
    publicKey,
    sign: async (message) => new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, message as BufferSource)),
  };
}

/**
 * Native verification for re-validating the ledger on load, with the strict JavaScript verifier as
 * the fallback. Both implement RFC 8032; the registration flow checks one against the other.
 */
export function webCryptoVerifier(): Verifier {
  const keys = new Map<string, Promise<CryptoKey | null>>();
  const importKey = (key: PublicKeyHex) => {
    let k = keys.get(key);
    if (!k) {
      k = crypto.subtle.importKey('raw', hexToBytes(key) as BufferSource, { name: 'Ed25519' }, false, ['verify']).catch(() => null);
      keys.set(key, k);
    }
    return k;
  };
  return async (key, message, signature) => {
    const k = await importKey(key);
    if (!k || signature.length !== 64) return lazyStrictVerify(key, message, signature);
    return crypto.subtle.verify({ name: 'Ed25519' }, k, signature as BufferSource, message as BufferSource);
  };
}
