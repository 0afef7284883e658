import { bytesToHex, hexToBytes, strictVerify, type PublicKeyHex, type Signer, type Verifier } from '@ihyid/shared';
import type { IdentityDb, KeyRow } from './db';

/**
 * I1: the installation's Ed25519 key pair, made on first use with WebCrypto. The private key is
 * non-extractable: IndexedDB keeps the CryptoKey object itself, and no code (ours included) can
 * read its bytes. The public key is exported raw (32 bytes) at creation.
 */
export async function ensureKeys(db: IdentityDb, now: () => number): Promise<KeyRow> {
  const existing = await db.keys.get('self');
  if (existing) return existing;
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const row: KeyRow = { id: 'self', publicKey: bytesToHex(raw) as PublicKeyHex, privateKey: pair.privateKey, createdAt: now() };
  // Two tabs may race on first run: the first key written wins and both use it.
  return db.transaction('rw', db.keys, async () => {
    const raced = await db.keys.get('self');
    if (raced) return raced;
    await db.keys.add(row);
    return row;
  });
}

export function webCryptoSigner(row: KeyRow): Signer {
  return {
    publicKey: row.publicKey,
    sign: async (message) => new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, row.privateKey, message as BufferSource)),
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
    if (!k || signature.length !== 64) return strictVerify(key, message, signature);
    return crypto.subtle.verify({ name: 'Ed25519' }, k, signature as BufferSource, message as BufferSource);
  };
}
