import { gcm } from '@noble/ciphers/aes.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, err, ok, type Result } from '@ihyid/shared';
import { TermMac } from './term-mac';
import { DATA_KEY_BYTES, VaultError } from './vault-rules';

export { DATA_KEY_BYTES, MIN_PASSPHRASE, VaultError } from './vault-rules';

/**
 * X2's key hierarchy (PROTOCOL.md, "Data at rest"):
 *
 *   passphrase ──Argon2id(salt, ops, mem)──► key-encryption key ──AES-256-GCM──► wrapped data key (stored)
 *   data key (32 random bytes) ──HKDF-SHA256──► record key (AES-256-GCM of every personal record)
 *                                         ├──► index key  (HMAC-SHA256 of every index term)
 *                                         └──► id key     (HMAC-SHA256 of a value that names a row: a witness token)
 *
 * Stored rows are sealed with XChaCha20-Poly1305 under a row key of their own (`sealRow`, v2), record
 * versions and older rows with AES-256-GCM under the record key (`seal`). Both are @noble/ciphers',
 * synchronous: rows are sealed and opened inside IndexedDB transactions (a read-modify-write, the
 * import's batch), and an `await` on WebCrypto there lets the transaction commit under us. In
 * JavaScript, XChaCha20-Poly1305 seals a 1.1 KB contact about twice as fast as AES-GCM (no AES
 * instructions there; bench:kdf), which is what every save, import and read pays; its 24-byte nonces are random.
 * The keys are therefore bytes in memory while unlocked, dropped on lock.
 */

const NONCE_BYTES = 12;
const ROW_NONCE_BYTES = 24;
const WRAP_AAD = new TextEncoder().encode('ihyid/x2/data-key/v1');

/** Argon2id's cost, stored with each wrapped key so that a later tuning still opens old ones. */
export interface KdfParams {
  alg: 'argon2id13';
  /** Passes over memory (libsodium's opsLimit). */
  ops: number;
  /** Memory in KiB. */
  memKiB: number;
}

/** Tuned on the development machine (PROTOCOL.md, "Data at rest"): about half a second in a worker. */
export const DEFAULT_KDF: KdfParams = { alg: 'argon2id13', ops: 3, memKiB: 64 * 1024 };

/** A data key wrapped under one passphrase. It holds nothing personal: it is stored in the clear. */
export interface WrappedDataKey {
  v: 1;
  kdf: KdfParams;
  salt: Uint8Array;
  nonce: Uint8Array;
  wrapped: Uint8Array;
}

/** Argon2id, run in a worker by the app (R9: heavy work off the page), in-process by tests. */
export type DeriveKek = (passphrase: string, salt: Uint8Array, params: KdfParams) => Promise<Uint8Array>;

export async function wrapDataKey(dataKey: Uint8Array, passphrase: string, derive: DeriveKek, randomBytes: (n: number) => Uint8Array, kdf = DEFAULT_KDF): Promise<WrappedDataKey> {
  const salt = randomBytes(16);
  const nonce = randomBytes(NONCE_BYTES);
  const kek = await derive(passphrase, salt, kdf);
  try {
    return { v: 1, kdf, salt, nonce, wrapped: gcm(kek, nonce, WRAP_AAD).encrypt(dataKey) };
  } finally {
    kek.fill(0);
  }
}

/** The data key, or WrongPassphrase: GCM's tag fails for any other passphrase (or a changed record). */
export async function unwrapDataKey(record: WrappedDataKey, passphrase: string, derive: DeriveKek): Promise<Result<Uint8Array, VaultError>> {
  const kek = await derive(passphrase, record.salt, record.kdf);
  try {
    return ok(gcm(kek, record.nonce, WRAP_AAD).decrypt(record.wrapped));
  } catch {
    return err(VaultError.WrongPassphrase);
  } finally {
    kek.fill(0);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One of @noble/ciphers' AEADs (AES-GCM, XChaCha20-Poly1305): key, nonce and associated data give the cipher. */
type Aead = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) => { encrypt(plain: Uint8Array): Uint8Array; decrypt(sealed: Uint8Array): Uint8Array };

/** nonce ‖ AEAD(JSON of `value`): ciphertext ‖ tag, as WebCrypto spells AES-GCM. */
function sealJson(aead: Aead, key: Uint8Array, nonce: Uint8Array, value: unknown, aad: string): Uint8Array {
  const sealed = aead(key, nonce, encoder.encode(aad)).encrypt(encoder.encode(JSON.stringify(value)));
  const out = new Uint8Array(nonce.length + sealed.length);
  out.set(nonce);
  out.set(sealed, nonce.length);
  return out;
}

function openJson(aead: Aead, key: Uint8Array, nonceBytes: number, sealed: Uint8Array, aad: string): unknown {
  const plain = aead(key, sealed.subarray(0, nonceBytes), encoder.encode(aad)).decrypt(sealed.subarray(nonceBytes));
  return JSON.parse(decoder.decode(plain)) as unknown;
}
/** Index terms `indexHash` remembers: the name prefixes of a whole caseload, a few MB at most. */
const TERM_CACHE = 1 << 16;

/**
 * What the stores need while unlocked: seal and open records, and hash index terms under a key
 * only this organisation's passphrases unlock. `aad` binds a sealed record to its table and
 * primary key, so a ciphertext moved to another row does not open.
 */
export class RecordKeys {
  private readonly dataKey: Uint8Array;
  private readonly recordKey: Uint8Array;
  /** XChaCha20-Poly1305's key for stored rows: never the AES key too. */
  private readonly rowKey: Uint8Array;
  private readonly indexMac: TermMac;
  private readonly idMac: ReturnType<typeof hmac.create>;
  private readonly termHashes = new Map<string, number>();
  /** The record key as a non-extractable WebCrypto key, imported on the first `openMany`; dropped with this object. */
  private webKey: Promise<CryptoKey> | null = null;
  /** The same for `sealMany`. */
  private webSealKey: Promise<CryptoKey> | null = null;

  constructor(
    dataKey: Uint8Array,
    private readonly randomBytes: (n: number) => Uint8Array,
  ) {
    if (dataKey.length !== DATA_KEY_BYTES) throw new Error('a data key is 32 bytes');
    this.dataKey = Uint8Array.from(dataKey);
    this.recordKey = hkdf(sha256, dataKey, undefined, encoder.encode('ihyid/x2/records/v1'), 32);
    this.rowKey = hkdf(sha256, dataKey, undefined, encoder.encode('ihyid/x2/rows/v2'), 32);
    const indexKey = hkdf(sha256, dataKey, undefined, encoder.encode('ihyid/x2/index/v1'), 32);
    this.indexMac = new TermMac(indexKey);
    indexKey.fill(0);
    const idKey = hkdf(sha256, dataKey, undefined, encoder.encode('ihyid/x2/ids/v1'), 32);
    this.idMac = hmac.create(sha256, idKey);
    idKey.fill(0);
  }

  /** A record version's data (and a row of an older version): 12-byte nonce ‖ AES-256-GCM(record key, JSON, aad). */
  seal(value: unknown, aad: string): Uint8Array {
    return sealJson(gcm, this.recordKey, this.randomBytes(NONCE_BYTES), value, aad);
  }

  /** Throws when the record was changed, moved or sealed under another key. */
  open(sealed: Uint8Array, aad: string): unknown {
    return openJson(gcm, this.recordKey, NONCE_BYTES, sealed, aad);
  }

  /** A stored row's secret fields (v2): 24-byte nonce ‖ XChaCha20-Poly1305(row key, JSON, aad). */
  sealRow(value: unknown, aad: string): Uint8Array {
    return sealJson(xchacha20poly1305, this.rowKey, this.randomBytes(ROW_NONCE_BYTES), value, aad);
  }

  /** Throws when the row was changed, moved or sealed under another key. */
  openRow(sealed: Uint8Array, aad: string): unknown {
    return openJson(xchacha20poly1305, this.rowKey, ROW_NONCE_BYTES, sealed, aad);
  }

  /**
   * `open` for many records at once, on WebCrypto's AES-GCM (the same bytes: noble's GCM is the
   * standard one), several times faster than noble's. Only outside an IndexedDB transaction, where an
   * await commits nothing early: a check worker reads its pages first, then opens them here.
   */
  async openMany(records: readonly { sealed: Uint8Array; aad: string }[]): Promise<unknown[]> {
    const key = await (this.webKey ??= crypto.subtle.importKey('raw', this.recordKey as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['decrypt']));
    return Promise.all(
      records.map(async ({ sealed, aad }) => {
        const iv = sealed.subarray(0, NONCE_BYTES) as Uint8Array<ArrayBuffer>;
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(aad) }, key, sealed.subarray(NONCE_BYTES) as Uint8Array<ArrayBuffer>);
        return JSON.parse(decoder.decode(plain)) as unknown;
      }),
    );
  }

  /** `seal` for many values at once, on WebCrypto (the same bytes as `seal`): only outside an IndexedDB transaction. */
  async sealMany(items: readonly { value: unknown; aad: string }[]): Promise<Uint8Array[]> {
    const key = await (this.webSealKey ??= crypto.subtle.importKey('raw', this.recordKey as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt']));
    return Promise.all(
      items.map(async ({ value, aad }) => {
        const nonce = this.randomBytes(NONCE_BYTES) as Uint8Array<ArrayBuffer>;
        const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: encoder.encode(aad) }, key, encoder.encode(JSON.stringify(value))));
        const out = new Uint8Array(NONCE_BYTES + sealed.length);
        out.set(nonce);
        out.set(sealed, NONCE_BYTES);
        return out;
      }),
    );
  }

  /**
   * A 53-bit keyed hash of an index term (HMAC-SHA256, truncated): an index entry reveals nothing without the key.
   * Every contact written hashes a dozen terms (match keys, name prefixes) and a sync or an import
   * writes thousands, so the key's HMAC blocks are compressed once (term-mac.ts), and recent terms
   * are remembered (name prefixes repeat across most contacts); both go with `destroy`.
   */
  indexHash(term: string): number {
    const known = this.termHashes.get(term);
    if (known !== undefined) return known;
    const hash = this.indexMac.hash53(term);
    if (this.termHashes.size >= TERM_CACHE) this.termHashes.clear();
    this.termHashes.set(term, hash);
    return hash;
  }

  /**
   * A keyed id for a value that would otherwise name a row in the clear (a witness token is its
   * table's primary key): HMAC-SHA256 truncated to 128 bits, hex. Unlike `indexHash` it must never
   * collide (two rows would become one), hence the length; without the key it says nothing of the value.
   */
  keyedId(value: string): string {
    return bytesToHex(this.idMac.clone().update(encoder.encode(value)).digest().subarray(0, 16));
  }

  /** A copy of the data key for a worker's own connection while unlocked (it builds its own RecordKeys). */
  dataKeyCopy(): Uint8Array {
    return Uint8Array.from(this.dataKey);
  }

  /** Locking: the key bytes are overwritten, not only dropped. */
  destroy(): void {
    this.dataKey.fill(0);
    this.recordKey.fill(0);
    this.rowKey.fill(0);
    this.indexMac.destroy();
    this.termHashes.clear();
    this.webKey = null;
    this.webSealKey = null;
    this.idMac.destroy();
  }
}
