import sodium from 'libsodium-wrappers-sumo';
import { err, ok, POINT_BYTES, type CurveMessage, type PsiCurve, type Result } from '@ihyid/shared';
import { Curve25519Kernel } from './curve25519-wasm';

/** The part of libsodium's Emscripten module we call directly (not in its published types). */
interface SodiumModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _crypto_hash_sha512(out: number, input: number, lengthLow: number, lengthHigh: number): number;
  _crypto_scalarmult_curve25519(q: number, n: number, p: number): number;
  _crypto_scalarmult_curve25519_base(q: number, n: number): number;
}

/** RFC 8410 PKCS #8 wrapping of a raw X25519 private key: this prefix, then the 32 bytes. */
const PKCS8_X25519 = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);
/** Derivations kept in flight per worker; measured in bench/lib/x25519-worker.mjs (one at a time wastes the crypto thread). */
const IN_FLIGHT = 32;

/**
 * psi-v2's curve in the app's check workers (A3): H on libsodium's SHA-512 and our own WebAssembly, the
 * blinding on WebCrypto's native X25519 where the browser has it (measured about twice libsodium's),
 * else libsodium's own X25519, which gives the same bytes. Chosen by measurement in a Chromium worker
 * on this 2-core machine (bench/lib/curve-speed.mjs --kernel x25519).
 */
export async function loadX25519Psi(options: { webCrypto?: boolean } = {}): Promise<PsiCurve & { readonly blinding: 'webcrypto' | 'libsodium' }> {
  await sodium.ready;
  const raw = (sodium as unknown as { libsodium: SodiumModule }).libsodium;
  const hash = encodeToU(raw);
  const native = options.webCrypto === false ? null : await webCryptoX25519(raw);
  return {
    hashToCurve: hash,
    x25519: native ?? sodiumX25519(raw),
    blinding: native ? 'webcrypto' : 'libsodium',
  };
}

/**
 * psi-v2's H (PROTOCOL.md §3.4): RFC 9380 hash_to_field (expand_message_xmd with SHA-512, 48 bytes,
 * on libsodium's SHA-512: b0, then b1, whose first 48 bytes are all of it), then
 * map_to_curve_elligator2_curve25519's u-coordinate on the batch kernel of curve25519-wasm.ts.
 */
function encodeToU(raw: SodiumModule): (messages: readonly CurveMessage[]) => Uint8Array {
  const b0At = raw._malloc(64);
  const b1At = raw._malloc(64);
  const secondAt = raw._malloc(64 + 1 + 256);
  const kernel = new Curve25519Kernel();
  // The first input starts with 128 zero bytes (Z_pad), written once; the message goes after them.
  let msgAt = 0;
  let msgRoom = 0;
  return (messages) =>
    kernel.map(messages.length, (i, mine, to) => {
      const { msg, dst } = messages[i]!;
      const need = 128 + msg.length + 3 + dst.length + 1;
      if (need > msgRoom) {
        if (msgAt) raw._free(msgAt);
        msgRoom = Math.max(need, 1024);
        msgAt = raw._malloc(msgRoom);
        raw.HEAPU8.fill(0, msgAt, msgAt + 128);
      }
      let heap = raw.HEAPU8;
      let at = msgAt + 128;
      heap.set(msg, at);
      at += msg.length;
      heap[at++] = 0;
      heap[at++] = 48; // I2OSP(48, 2)
      heap[at++] = 0; // I2OSP(0, 1)
      heap.set(dst, at);
      at += dst.length;
      heap[at++] = dst.length;
      raw._crypto_hash_sha512(b0At, msgAt, at - msgAt, 0);
      heap = raw.HEAPU8;
      heap.copyWithin(secondAt, b0At, b0At + 64);
      heap[secondAt + 64] = 1;
      heap.set(dst, secondAt + 65);
      heap[secondAt + 65 + dst.length] = dst.length;
      raw._crypto_hash_sha512(b1At, secondAt, 66 + dst.length, 0);
      mine.set(raw.HEAPU8.subarray(b1At, b1At + 48), to);
    });
}

/** X25519 on libsodium: -1 (refused) for an all-zero result or a small-order input. */
function sodiumX25519(raw: SodiumModule): PsiCurve['x25519'] {
  const scalarAt = raw._malloc(32);
  const pointAt = raw._malloc(32);
  const outAt = raw._malloc(32);
  return async (scalar, points) => {
    const out = new Uint8Array(points.length);
    raw.HEAPU8.set(scalar, scalarAt);
    try {
      for (let i = 0; i < points.length / POINT_BYTES; i++) {
        raw.HEAPU8.set(points.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES), pointAt);
        if (raw._crypto_scalarmult_curve25519(outAt, scalarAt, pointAt) !== 0) return err(i);
        out.set(raw.HEAPU8.subarray(outAt, outAt + 32), i * POINT_BYTES);
      }
      return ok(out);
    } finally {
      raw.HEAPU8.fill(0, scalarAt, scalarAt + 32);
    }
  };
}

/**
 * X25519 on WebCrypto, or null when this browser lacks it or disagrees with libsodium on a known
 * value (then the workers use libsodium: same protocol, same bytes, half the speed). The session's
 * scalar is imported once per batch as a PKCS #8 private key; each point is imported as a raw public
 * key. WebCrypto rejects an all-zero result (OperationError): that point is refused.
 */
async function webCryptoX25519(raw: SodiumModule): Promise<PsiCurve['x25519'] | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const derive = async (priv: CryptoKey, u: Uint8Array<ArrayBuffer>): Promise<Uint8Array> => {
    const pub = await subtle.importKey('raw', u, { name: 'X25519' }, false, []);
    return new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: pub }, priv, 256));
  };
  const importScalar = (scalar: Uint8Array): Promise<CryptoKey> => {
    const pkcs8 = new Uint8Array(PKCS8_X25519.length + 32);
    pkcs8.set(PKCS8_X25519);
    pkcs8.set(scalar, PKCS8_X25519.length);
    return subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  };
  try {
    // The self-check: X25519(k, 9) from WebCrypto equals libsodium's scalarmult_base(k).
    const k = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
    const nine = new Uint8Array(32);
    nine[0] = 9;
    const got = await derive(await importScalar(k), nine);
    const at = raw._malloc(64);
    raw.HEAPU8.set(k, at);
    raw._crypto_scalarmult_curve25519_base(at + 32, at);
    const want = raw.HEAPU8.slice(at + 32, at + 64);
    raw._free(at);
    if (got.some((b, i) => b !== want[i])) return null;
  } catch {
    return null;
  }
  return async (scalar, input): Promise<Result<Uint8Array, number>> => {
    const priv = await importScalar(scalar);
    // A view per point, no copy: WebCrypto copies what it imports (the points are never shared memory).
    const points = input as Uint8Array<ArrayBuffer>;
    const n = points.length / POINT_BYTES;
    const out = new Uint8Array(points.length);
    let bad = -1;
    let next = 0;
    // IN_FLIGHT lanes, each taking the next point as its last one finishes.
    const lane = async (): Promise<void> => {
      while (next < n && bad < 0) {
        const i = next++;
        try {
          out.set(await derive(priv, points.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES)), i * POINT_BYTES);
        } catch {
          if (bad < 0 || i < bad) bad = i;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, n) }, lane));
    return bad >= 0 ? err(bad) : ok(out);
  };
}
