import { sha256 } from '@noble/hashes/sha2.js';
import { SHA256_K } from './sha256-rounds';
import { add, get, I32, i32, name, OP, rotr, section, set, SIMD, simd, splat, uleb, V128, xor } from './wasm-simd-emit';

/**
 * The uscadi-v0 answering search (A1) as a WebAssembly SIMD kernel: four received secrets per
 * i32x4 lane group against one of our phonetic ids, SHA-256(id ‖ secret). Same technique and emitter
 * (wasm-simd-emit.ts) as the proof-of-work kernel (pow-simd.ts). Per id, rounds that see only the id are done once (midstate); a second,
 * padding-only block has its schedule folded into constants. Each lane's first digest word is looked
 * up in a bitmap of the wanted digests' first words; the rare hits are confirmed exactly in JavaScript.
 *
 * It serves messages of 4·j bytes with j ≤ 8 (phonetic ids are 28 bytes); anything else takes the
 * JavaScript kernel. Memory: 0–31 midstate, 32–95 message words, FILTER the bitmap, SECRETS the
 * secrets transposed (quad q, word k at SECRETS + 128q + 16k), candidates written from `out`.
 */

const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19].map((x) => x | 0);
const FILTER = 1024;
const FILTER_BITS = 24;
const SECRETS = FILTER + (1 << FILTER_BITS) / 8;

/** The kernel for ids of 4·j bytes: run(quads, out) → number of candidate secret indices written at out. */
export function uscadiSimdModuleBytes(j: number): Uint8Array<ArrayBuffer> {
  const total = 4 * j + 32;
  const twoBlocks = total + 9 > 64;
  const QUADS = 0, OUT = 1, Q = 2, COUNT = 3, X = 4;
  let next = 5;
  const v = (n: number) => Array.from({ length: n }, () => next++);
  const state = v(8), w = v(16), mid = v(8), msg = v(16);
  const T1 = next++, T2 = next++, D0 = next++, H0 = next++;
  // Working variables renamed round by round: at global round T, variable k lives in state[(k − T + j) mod 8].
  const role = (k: number, T: number) => state[(((k - T + j) % 8) + 8) % 8]!;
  const code: number[] = [];
  const emit = (...parts: number[][]) => parts.forEach((p) => code.push(...p));
  const round = (T: number, t: number, wExpr: number[]) => {
    const [a, b, c, d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => role(k, T)) as [number, number, number, number, number, number, number, number];
    emit(get(h), rotr(e, 6), rotr(e, 11), xor, rotr(e, 25), xor, add, get(f), get(g), get(e), simd(SIMD.bitselect), add, wExpr, add, set(T1));
    emit(rotr(a, 2), rotr(a, 13), xor, rotr(a, 22), xor, get(b), get(c), get(a), get(c), xor, simd(SIMD.bitselect), add, set(T2));
    emit(get(d), get(T1), add, set(d), get(T1), get(T2), add, set(h));
    void t;
  };

  for (let k = 0; k < 8; k++) emit(i32(0), [OP.i32Load, 2, ...uleb(4 * k)], simd(SIMD.splat), set(mid[k]!));
  for (let k = 0; k < 16; k++) emit(i32(0), [OP.i32Load, 2, ...uleb(32 + 4 * k)], simd(SIMD.splat), set(msg[k]!));
  emit([OP.block, 0x40], [OP.loop, 0x40], get(Q), get(QUADS), [OP.i32GeU], [OP.brIf, 1]);
  for (let k = 0; k < 16; k++) {
    if (k >= j && k < j + 8) emit(get(Q), i32(128), [OP.i32Mul], [0xfd, ...uleb(SIMD.load), 4, ...uleb(SECRETS + 16 * (k - j))], set(w[k]!));
    else emit(get(msg[k]!), set(w[k]!));
  }
  for (let k = 0; k < 8; k++) emit(get(mid[k]!), set(state[k]!));
  for (let t = j; t < 64; t++) {
    const wt = w[t % 16]!;
    if (t >= 16) {
      const x = w[(t - 15) % 16]!, y = w[(t - 2) % 16]!;
      emit(rotr(y, 17), rotr(y, 19), xor, get(y), i32(10), simd(SIMD.shrU), xor, get(w[(t - 7) % 16]!), add);
      emit(rotr(x, 7), rotr(x, 18), xor, get(x), i32(3), simd(SIMD.shrU), xor, add, get(wt), add, set(wt));
    }
    round(t, t, [...splat(SHA256_K[t]!), ...get(wt), ...add]);
  }
  // Digest of block 1 = IV + state; block 2 (padding only) then runs from it with constant K + W.
  for (let k = 0; k < 8; k++) emit(get(role(k, 64)), splat(IV[k]!), add, set(role(k, 64)));
  if (twoBlocks) {
    emit(get(role(0, 64)), set(D0));
    const w2 = new Int32Array(64);
    if (total === 64) w2[0] = 0x80000000 | 0;
    w2[15] = total * 8;
    for (let t = 16; t < 64; t++) {
      const x = w2[t - 15]!, y = w2[t - 2]!;
      w2[t] = ((((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w2[t - 7]! + w2[t - 16]!) | 0;
    }
    for (let t = 0; t < 64; t++) round(64 + t, t, splat((SHA256_K[t]! + w2[t]!) | 0));
    emit(get(D0), get(role(0, 128)), add, set(H0));
  } else emit(get(role(0, 64)), set(H0));
  // Each lane: bit (h0 mod 2^FILTER_BITS) of the bitmap; a set bit records the secret index at out.
  for (let lane = 0; lane < 4; lane++) {
    emit(get(H0), simd(SIMD.extract), [lane], i32((1 << FILTER_BITS) - 1), [OP.i32And], set(X));
    emit(get(X), i32(3), [OP.i32ShrU], [OP.i32Load8u, 0, ...uleb(FILTER)], get(X), i32(7), [OP.i32And], [OP.i32ShrU], i32(1), [OP.i32And]);
    emit([OP.if, 0x40], get(OUT), get(COUNT), i32(2), [OP.i32Shl], [OP.i32Add], get(Q), i32(2), [OP.i32Shl], i32(lane), [OP.i32Add], [OP.i32Store, 2, 0]);
    emit(get(COUNT), i32(1), [OP.i32Add], set(COUNT), [OP.end]);
  }
  emit(get(Q), i32(1), [OP.i32Add], set(Q), [OP.br, 0], [OP.end], [OP.end], get(COUNT), [OP.end]);

  const body = [...uleb(2), ...uleb(3), I32, ...uleb(next - 5), V128, ...code];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 2, I32, I32, 1, I32]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, ...uleb(Math.ceil(SECRETS / 65536) + 1)]),
    ...section(7, [2, ...name('run'), 0, 0, ...name('memory'), 2, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

const modules = new Map<number, WebAssembly.Module | null>();
function moduleFor(j: number): WebAssembly.Module | null {
  if (!modules.has(j)) {
    const bytes = uscadiSimdModuleBytes(j);
    modules.set(j, typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null);
  }
  return modules.get(j)!;
}

const be = (b: Uint8Array, at: number) => (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;

/** One compression, scalar: rounds 0 … j−1 over the id's words, for the midstate. */
function midstate(words: Int32Array, j: number): Int32Array {
  let [a, b, c, d, e, f, g, h] = IV as [number, number, number, number, number, number, number, number];
  for (let t = 0; t < j; t++) {
    const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + SHA256_K[t]! + words[t]!) | 0;
    const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  return Int32Array.of(a, b, c, d, e, f, g, h);
}

/**
 * Answers for the ids it can take (length 4·j ≤ 32 bytes) and returns the others, for the JavaScript
 * kernel; returns all of them when this engine has no WebAssembly SIMD. `isWanted(digest)` gives the
 * index of a wanted uscadi or −1; flags[i] = 1 marks wanted uscadi i as found.
 */
export function answerV0Simd(ids: readonly Uint8Array[], secrets: Uint8Array, wanted: Uint8Array, isWanted: (digest: Uint8Array) => number, flags: Uint8Array): Uint8Array[] {
  const rest: Uint8Array[] = [];
  const n = secrets.length / 32;
  const quads = Math.ceil(n / 4);
  const instances = new Map<number, { run: (quads: number, out: number) => number; memory: WebAssembly.Memory } | null>();
  for (const id of ids) {
    const j = id.length / 4;
    if (!Number.isInteger(j) || j > 8) {
      rest.push(id);
      continue;
    }
    let inst = instances.get(j);
    if (inst === undefined) {
      const module = moduleFor(j);
      inst = module ? (new WebAssembly.Instance(module).exports as unknown as { run: (quads: number, out: number) => number; memory: WebAssembly.Memory }) : null;
      if (inst) prepare(inst.memory, secrets, wanted, quads);
      instances.set(j, inst);
    }
    if (!inst) {
      rest.push(id);
      continue;
    }
    const words = new Int32Array(16);
    const padded = new Uint8Array(64);
    const total = 4 * j + 32;
    padded.set(id);
    if (total < 64) padded[total] = 0x80;
    if (total + 9 <= 64) {
      padded[62] = (total * 8) >>> 8;
      padded[63] = (total * 8) & 0xff;
    }
    for (let k = 0; k < 16; k++) words[k] = be(padded, 4 * k);
    const heap = new Int32Array(inst.memory.buffer);
    heap.set(midstate(words, j), 0);
    heap.set(words, 8);
    const out = SECRETS + 128 * quads;
    const count = inst.run(quads, out);
    const candidates = new Int32Array(inst.memory.buffer, out, count);
    for (const s of candidates) {
      if (s >= n) continue;
      const input = new Uint8Array(id.length + 32);
      input.set(id);
      input.set(secrets.subarray(32 * s, 32 * s + 32), id.length);
      const hit = isWanted(sha256(input));
      if (hit >= 0) flags[hit] = 1;
    }
  }
  return rest;
}

function prepare(memory: WebAssembly.Memory, secrets: Uint8Array, wanted: Uint8Array, quads: number): void {
  const need = SECRETS + 128 * quads + 16 * quads;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  const bytes = new Uint8Array(memory.buffer);
  bytes.fill(0, FILTER, SECRETS);
  for (let i = 0; i < wanted.length / 32; i++) {
    const x = be(wanted, 32 * i) & ((1 << FILTER_BITS) - 1);
    bytes[FILTER + (x >>> 3)] = bytes[FILTER + (x >>> 3)]! | (1 << (x & 7));
  }
  const heap = new Int32Array(memory.buffer);
  heap.fill(0, SECRETS / 4, (SECRETS + 128 * quads) / 4);
  for (let s = 0; s < secrets.length / 32; s++) {
    const q = s >> 2, lane = s & 3;
    for (let k = 0; k < 8; k++) heap[(SECRETS + 128 * q + 16 * k) / 4 + lane] = be(secrets, 32 * s + 4 * k);
  }
}
