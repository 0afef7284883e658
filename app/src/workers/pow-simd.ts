import { Pow40, SHA256_IV, leadingZeroBits, type PowRange } from '@ihyid/shared';
import { SHA256_K as K } from './sha256-rounds';
import { add, get, I32, i32, name, OP, rotr, section, set, SIMD, simd, splat as splatConst, uleb, V128, xor } from './wasm-simd-emit';

/**
 * The proof-of-work search (I2, I5) as a WebAssembly SIMD kernel: four nonces per i32x4 lane
 * group, the 40-byte message `prefix32 ‖ nonce8` of shared/src/identity/pow.ts. A tight JavaScript loop
 * reaches about 3M hashes/s here; four lanes of SIMD reach about twice that and more.
 *
 * The module is written out byte by byte by `powSimdModuleBytes()` below, at start-up, from a few
 * lines of code generation: no .wasm file, no toolchain, nothing to keep in sync. It is small
 * (a few KB) and compiles in milliseconds. Correctness is pinned by pow-simd.test.ts against
 * node:crypto; the JavaScript kernel stays as the fallback where SIMD is missing.
 *
 * Memory layout, written by `PowSimd.setHigh` for each high half of the nonce:
 *   bytes 0–31: the midstate after rounds 0–8 (they do not depend on the nonce's low half);
 *   bytes 32–95: message words 0–15 (word 9, the low half, is filled per lane).
 * `search(lo, count, mask)` tries lo … lo+count−1 (count a multiple of 4, no wrap past 2^32) and
 * returns the index of the first nonce whose first digest word ANDed with mask is zero, else −1.
 */

/** The whole module, generated. Locals: params 0–2, i (3), then v128s numbered below. */
export function powSimdModuleBytes(): Uint8Array<ArrayBuffer> {
  const LO = 0, COUNT = 1, MASK = 2, I = 3;
  let next = 4;
  const v = (n: number) => Array.from({ length: n }, () => next++);
  const state = v(8); // a … h, renamed round by round instead of moved
  const w = v(16); // the 16-word schedule window
  const mid = v(8); // midstate splats
  const msg = v(16); // message word splats
  const T1 = next++, T2 = next++, LANES = next++, MASKV = next++, ZERO = next++, HIT = next++;
  // The eight working variables are renamed round by round instead of moved (as sha256-gen does);
  // round 9 starts from the midstate, so at round t the variable k lives in state[(k − t + 9) mod 8].
  const role = (k: number, t: number) => state[(k - t + 9 + 64) % 8]!;

  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((p) => code.push(...p));

  // Loop-invariant values, once per call.
  for (let k = 0; k < 8; k++) emit(i32(0), [OP.i32Load, 2, ...uleb(4 * k)], simd(SIMD.splat), set(mid[k]!));
  for (let k = 0; k < 16; k++) emit(i32(0), [OP.i32Load, 2, ...uleb(32 + 4 * k)], simd(SIMD.splat), set(msg[k]!));
  emit([0xfd, ...uleb(SIMD.const), ...[0, 1, 2, 3].flatMap((n) => [n, 0, 0, 0])], set(LANES));
  emit(get(MASK), simd(SIMD.splat), set(MASKV), splatConst(0), set(ZERO));

  emit([OP.block, 0x40], [OP.loop, 0x40]);
  emit(get(I), get(COUNT), [OP.i32GeU], [OP.brIf, 1]);
  for (let k = 0; k < 16; k++) emit(k === 9 ? [...get(LO), ...get(I), OP.i32Add, ...simd(SIMD.splat), ...get(LANES), ...add] : get(msg[k]!), set(w[k]!));
  for (let k = 0; k < 8; k++) emit(get(mid[k]!), set(state[k]!));

  for (let t = 9; t < 64; t++) {
    const [a, b, c, d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => role(k, t)) as [number, number, number, number, number, number, number, number];
    const wt = w[t % 16]!;
    if (t >= 16) {
      const x = w[(t - 15) % 16]!, y = w[(t - 2) % 16]!;
      emit(rotr(y, 17), rotr(y, 19), xor, get(y), i32(10), simd(SIMD.shrU), xor); // σ1
      emit(get(w[(t - 7) % 16]!), add);
      emit(rotr(x, 7), rotr(x, 18), xor, get(x), i32(3), simd(SIMD.shrU), xor, add); // σ0
      emit(get(wt), add, set(wt));
    }
    emit(get(h), rotr(e, 6), rotr(e, 11), xor, rotr(e, 25), xor, add); // h + Σ1(e)
    emit(get(f), get(g), get(e), simd(SIMD.bitselect), add); // + Ch(e, f, g)
    emit(splatConst(K[t]!), add, get(wt), add, set(T1));
    emit(rotr(a, 2), rotr(a, 13), xor, rotr(a, 22), xor); // Σ0(a)
    emit(get(b), get(c), get(a), get(c), xor, simd(SIMD.bitselect), add, set(T2)); // + Maj(a, b, c)
    emit(get(d), get(T1), add, set(d), get(T1), get(T2), add, set(h));
  }
  // First digest word = IV0 + a (a as it stands after round 63); a lane hits when it is zero under the mask.
  emit(get(role(0, 64)), splatConst(SHA256_IV[0]!), add, get(MASKV), simd(SIMD.and), get(ZERO), simd(SIMD.eq), set(HIT));
  emit(get(HIT), simd(SIMD.anyTrue), [OP.i32Eqz], [OP.if, 0x40]); // no lane hit:
  emit(get(I), i32(4), [OP.i32Add], set(I), [OP.br, 1], [OP.end]); //   next group (depth 1 is the loop)
  emit(get(I), get(HIT), simd(SIMD.bitmask), [OP.i32Ctz], [OP.i32Add], [OP.ret]); // else the first lane that hit
  emit([OP.end], [OP.end]); // loop, block
  emit(i32(-1), [OP.end]);

  const locals = [...uleb(2), 1, I32, ...uleb(next - 4), V128];
  const body = [...locals, ...code];
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  bytes.push(...section(1, [1, 0x60, 3, I32, I32, I32, 1, I32]));
  bytes.push(...section(3, [1, 0]));
  bytes.push(...section(5, [1, 0, 1]));
  bytes.push(...section(7, [2, ...name('search'), 0, 0, ...name('memory'), 2, 0]));
  bytes.push(...section(10, [1, ...uleb(body.length), ...body]));
  return new Uint8Array(bytes);
}

/** The SIMD kernel behind the same `search` as Pow40; null where the engine has no WebAssembly SIMD. */
export class PowSimd {
  private readonly scalar: Pow40;
  private readonly words: Int32Array;
  private hi = -1;

  private constructor(
    private readonly prefix: Uint8Array,
    private readonly run: (lo: number, count: number, mask: number) => number,
    memory: WebAssembly.Memory,
  ) {
    this.scalar = new Pow40(prefix);
    this.words = new Int32Array(memory.buffer, 0, 24);
  }

  static create(prefix: Uint8Array, module = compiledModule()): PowSimd | null {
    if (!module) return null;
    const instance = new WebAssembly.Instance(module);
    const exports = instance.exports as { search: (lo: number, count: number, mask: number) => number; memory: WebAssembly.Memory };
    return new PowSimd(prefix, exports.search, exports.memory);
  }

  private setHigh(hi: number): void {
    if (hi === this.hi) return;
    this.hi = hi;
    const words = this.words;
    const p = this.prefix;
    for (let i = 0; i < 8; i++) words[8 + i] = (p[4 * i]! << 24) | (p[4 * i + 1]! << 16) | (p[4 * i + 2]! << 8) | p[4 * i + 3]!;
    words.fill(0, 16, 24);
    words[16] = hi | 0;
    words[18] = 0x80000000 | 0;
    words[23] = 320;
    words.set(midstate(words.subarray(8, 24)), 0);
  }

  /** Same contract as Pow40.search: the first solution in the range, or null. */
  search(bits: number, range: PowRange): number | null {
    const mask = bits >= 32 ? -1 : bits === 0 ? 0 : (-1 << (32 - bits)) | 0;
    let nonce = range.start;
    const end = range.start + range.count;
    while (nonce < end) {
      const lo = nonce >>> 0;
      const hi = Math.floor(nonce / 0x1_0000_0000);
      // Unaligned head and short tail go through the scalar kernel; lane groups never wrap 2^32.
      const groupEnd = Math.min(end, (hi + 1) * 0x1_0000_0000);
      const lanes = (lo & 3) === 0 ? Math.floor((groupEnd - nonce) / 4) * 4 : 0;
      if (lanes === 0) {
        const stop = (lo & 3) === 0 ? groupEnd : Math.min(groupEnd, nonce + 4 - (lo & 3));
        const found = this.scalar.search(bits, { start: nonce, count: stop - nonce });
        if (found !== null) return found;
        nonce = stop;
        continue;
      }
      this.setHigh(hi);
      let from = 0;
      while (from < lanes) {
        const index = this.run((lo + from) | 0, lanes - from, mask);
        if (index < 0) break;
        const candidate = nonce + from + index;
        if (bits <= 32 || leadingZeroBits(this.scalar.digest(candidate)) >= bits) return candidate;
        from += index + 1;
        // Resume past a false candidate (bits > 32); realign through the scalar kernel if needed.
        while (from < lanes && ((lo + from) & 3) !== 0) {
          if (this.scalar.search(bits, { start: nonce + from, count: 1 }) !== null) return nonce + from;
          from++;
        }
      }
      nonce += lanes;
    }
    return null;
  }
}

/** Rounds 0–8 of the compression over message words (word 9 unused), as the kernel expects. */
function midstate(m: Int32Array): Int32Array {
  let a = SHA256_IV[0]!, b = SHA256_IV[1]!, c = SHA256_IV[2]!, d = SHA256_IV[3]!;
  let e = SHA256_IV[4]!, f = SHA256_IV[5]!, g = SHA256_IV[6]!, h = SHA256_IV[7]!;
  for (let t = 0; t < 9; t++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[t]! + m[t]!) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  return Int32Array.of(a, b, c, d, e, f, g, h);
}

let cached: WebAssembly.Module | null | undefined;

/** Compiled once per worker; null when the engine refuses SIMD (then the caller uses Pow40). */
export function compiledModule(): WebAssembly.Module | null {
  if (cached !== undefined) return cached;
  const bytes = powSimdModuleBytes();
  cached = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  return cached;
}
