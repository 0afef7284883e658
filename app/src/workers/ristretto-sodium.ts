import sodium from 'libsodium-wrappers-sumo';
import type { Ristretto255 } from '@ihyid/shared';

/** The part of libsodium's Emscripten module we call directly (not in its published types). */
interface SodiumModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _crypto_core_ristretto255_from_hash(p: number, r: number): number;
  _crypto_scalarmult_ristretto255(q: number, n: number, p: number): number;
  _crypto_hash_sha512(out: number, input: number, lengthLow: number, lengthHigh: number): number;
  _free(p: number): void;
}

/**
 * Ristretto255 on libsodium (WebAssembly). Chosen by measurement in a Chromium worker on this 2-core
 * machine: about 7.7k scalar multiplications per second against 1–2.7k for @noble/curves (see the
 * report of issue 4 and bench/psi.mjs). The calls go straight to the module with buffers allocated
 * once, skipping the wrapper's per-call allocations; results are copied out at once because the heap
 * view is replaced when the module's memory grows.
 */
export async function loadSodiumRistretto255(): Promise<Ristretto255> {
  await sodium.ready;
  const raw = (sodium as unknown as { libsodium: SodiumModule }).libsodium;
  const scalarAt = raw._malloc(32);
  const pointAt = raw._malloc(32);
  const outAt = raw._malloc(32);
  const hashAt = raw._malloc(64);
  const b0At = raw._malloc(64);
  // expand_message_xmd's first input starts with 128 zero bytes (Z_pad): they are written once and
  // the message goes after them; the second input is b0 ‖ 0x01 ‖ DST'.
  let msgAt = 0;
  let msgRoom = 0;
  const secondAt = raw._malloc(64 + 1 + 256);
  return {
    hashToGroup(msg, dst) {
      const need = 128 + msg.length + 3 + dst.length + 1;
      if (need > msgRoom) {
        if (msgAt) raw._free(msgAt);
        msgRoom = Math.max(need, 1024);
        msgAt = raw._malloc(msgRoom);
        raw.HEAPU8.fill(0, msgAt, msgAt + 128);
      }
      const heap = raw.HEAPU8;
      let at = msgAt + 128;
      heap.set(msg, at);
      at += msg.length;
      heap[at++] = 0;
      heap[at++] = 64; // I2OSP(64, 2): 64 uniform bytes
      heap[at++] = 0; // I2OSP(0, 1)
      heap.set(dst, at);
      at += dst.length;
      heap[at++] = dst.length;
      raw._crypto_hash_sha512(b0At, msgAt, at - msgAt, 0);
      const h = raw.HEAPU8;
      h.copyWithin(secondAt, b0At, b0At + 64);
      h[secondAt + 64] = 1;
      h.set(dst, secondAt + 65);
      h[secondAt + 65 + dst.length] = dst.length;
      // ell = 1: uniform_bytes = b1 = H(b0 ‖ 0x01 ‖ DST'), the 64 bytes the one-way map takes.
      raw._crypto_hash_sha512(hashAt, secondAt, 66 + dst.length, 0);
      raw._crypto_core_ristretto255_from_hash(outAt, hashAt);
      return raw.HEAPU8.slice(outAt, outAt + 32);
    },
    fromUniformBytes(uniform) {
      raw.HEAPU8.set(uniform, hashAt);
      raw._crypto_core_ristretto255_from_hash(outAt, hashAt);
      return raw.HEAPU8.slice(outAt, outAt + 32);
    },
    scalarMult(scalar, point) {
      const heap = raw.HEAPU8;
      heap.set(scalar, scalarAt);
      heap.set(point, pointAt);
      // libsodium refuses (-1) a point that is not a canonical encoding, and an identity result.
      if (raw._crypto_scalarmult_ristretto255(outAt, scalarAt, pointAt) !== 0) return null;
      return raw.HEAPU8.slice(outAt, outAt + 32);
    },
  };
}
