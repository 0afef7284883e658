import { call, DATA, F, FE, get, i32c, i64c, I32, KERNELS, mem, moduleBytes, ONE, op, SCRATCH, set, T, type WasmFunction } from './fe25519-emit';

/**
 * psi-v2's map to curve25519 (PROTOCOL.md §3.4) as WebAssembly written out at start-up, as the SIMD
 * kernels are (wasm-simd-emit.ts), on the field arithmetic of fe25519-emit.ts: RFC 9380
 * map_to_curve_elligator2_curve25519, u-coordinate only, for a batch of hash_to_field outputs. One
 * exponentiation a point (the Legendre symbol of g(x1)) and a share of one inversion (Montgomery's
 * trick over the batch), where libsodium's crypto_core_ed25519_from_hash spent four exponentiations
 * and a BigInt pass back to Montgomery: 4.7 times faster in a Chromium worker
 * (bench/lib/psi-profile-worker.ts). Its one branch is on the key's own hash; the partner never
 * times one key. (An X25519 ladder on the same arithmetic ran at half WebCrypto's speed, so the
 * blinding stays on WebCrypto.)
 */

const A = 486662;
const MAP = KERNELS;

/**
 * map(n, in, out, d, pre): for each of n inputs of 48 bytes at `in`, the u-coordinate of
 * map_to_curve_elligator2_curve25519(OS2IP(input) mod p) as 32 bytes at `out`. d and pre hold n
 * field elements each (the denominators 1 + 2r² and their running products).
 */
function map(): number[] {
  const [n, input, out, d, pre, i, prev] = [0, 1, 2, 3, 4, 5, 6];
  const at = (base: number, size: number) => [...get(base), ...get(i), ...i32c(size), op.i32Mul, op.i32Add];
  const [r, inv, di, x, g, chi] = [T(0), T(1), T(2), T(3), T(4), T(5)];
  const code: number[] = [...i32c(0), ...set(i), ...i32c(ONE), ...set(prev)];
  // Pass 1: d_i = 1 + 2·r_i², pre_i = d_0 ⋯ d_i.
  code.push(op.block, 0x40, op.loop, 0x40, ...get(i), ...get(n), op.i32Eq, op.brIf, 1);
  code.push(...call(F.from48, i32c(r), at(input, 48)), ...call(F.sq, i32c(r), i32c(r)), ...call(F.linear, at(d, FE), i32c(r), i64c(2), i64c(1)));
  code.push(...call(F.mul, at(pre, FE), get(prev), at(d, FE)), ...at(pre, FE), ...set(prev));
  code.push(...get(i), ...i32c(1), op.i32Add, ...set(i), op.br, 0, op.end, op.end);
  // inv = 1 / (d_0 ⋯ d_{n−1}); pass 2 walks back: 1/d_i = inv · pre_{i−1}, then inv ← inv · d_i.
  code.push(...get(n), op.if, 0x40, ...call(F.invert, i32c(inv), get(prev)), op.end);
  code.push(op.block, 0x40, op.loop, 0x40, ...get(i), ...i32c(0), op.i32Eq, op.brIf, 1, ...get(i), ...i32c(1), op.i32Sub, ...set(i));
  code.push(...get(i), op.if, 0x40, ...get(pre), ...get(i), ...i32c(1), op.i32Sub, ...i32c(FE), op.i32Mul, op.i32Add, ...set(prev), op.else, ...i32c(ONE), ...set(prev), op.end);
  code.push(...call(F.mul, i32c(di), i32c(inv), get(prev)), ...call(F.mul, i32c(inv), i32c(inv), at(d, FE)));
  // x1 = −A / d_i; g(x1) = ((x1 + A)·x1 + 1)·x1.
  code.push(...call(F.linear, i32c(x), i32c(di), i64c(-A), i64c(0)), ...call(F.linear, i32c(g), i32c(x), i64c(1), i64c(A)));
  code.push(...call(F.mul, i32c(g), i32c(g), i32c(x)), ...call(F.linear, i32c(g), i32c(g), i64c(1), i64c(1)), ...call(F.mul, i32c(g), i32c(g), i32c(x)));
  // Legendre symbol: g^((p−1)/2) = (g^(2^250 − 1))^(2^4) · g^6 … computed as ((g^(2^250−1))^(2^2)·g)^(2^2)·g^2.
  code.push(...call(F.pow250, i32c(g), i32c(chi), i32c(T(6))), ...call(F.sqn, i32c(chi), i32c(chi), i32c(2)), ...call(F.mul, i32c(chi), i32c(chi), i32c(g)));
  code.push(...call(F.sqn, i32c(chi), i32c(chi), i32c(2)), ...call(F.sq, i32c(T(7)), i32c(g)), ...call(F.mul, i32c(chi), i32c(chi), i32c(T(7))));
  code.push(...call(F.tobytes, i32c(SCRATCH), i32c(chi)));
  // Not a square (the symbol is p − 1, first byte 0xec): x = x2 = −x1 − A.
  code.push(...i32c(SCRATCH), ...mem(op.i32Load8u, 0, 0), ...i32c(1), op.i32Eq, op.i32Eqz, op.if, 0x40, ...call(F.linear, i32c(x), i32c(x), i64c(-1), i64c(-A)), op.end);
  code.push(...call(F.tobytes, at(out, 32), i32c(x)), op.br, 0, op.end, op.end);
  return code;
}

/** The kernel's module: exports map and memory. */
export function curve25519ModuleBytes(): Uint8Array<ArrayBuffer> {
  const kernels: WasmFunction[] = [
    { type: 3, locals: [[2, I32]], code: map() },
  ];
  return moduleBytes([[0x60, 5, I32, I32, I32, I32, I32, 0]], kernels, { map: MAP });
}

interface Exports {
  map(n: number, input: number, out: number, d: number, pre: number): void;
  memory: WebAssembly.Memory;
}

/** One instance of the kernels, for one worker: memory grown to the largest batch seen. */
export class Curve25519Kernel {
  private readonly exports: Exports;

  constructor(module = new WebAssembly.Module(curve25519ModuleBytes())) {
    this.exports = new WebAssembly.Instance(module).exports as unknown as Exports;
    new Int32Array(this.exports.memory.buffer, ONE, 10).set([1]);
  }

  private heap(bytes: number): Uint8Array {
    const short = DATA + bytes - this.exports.memory.buffer.byteLength;
    if (short > 0) this.exports.memory.grow(Math.ceil(short / 65536));
    return new Uint8Array(this.exports.memory.buffer);
  }

  /** u-coordinates of the map for n inputs of 48 bytes (hash_to_field's, big-endian), which `write(i, heap, at)` puts at heap[at…at+48). */
  map(n: number, write: (i: number, heap: Uint8Array, at: number) => void): Uint8Array {
    const heap = this.heap(n * (48 + 32 + 2 * FE));
    for (let i = 0; i < n; i++) write(i, heap, DATA + 48 * i);
    const out = DATA + 48 * n;
    this.exports.map(n, DATA, out, out + 32 * n, out + 32 * n + FE * n);
    return heap.slice(out, out + 32 * n);
  }
}
