import { name, section, sleb, uleb } from './wasm-simd-emit';

/**
 * Arithmetic in GF(2^255 − 19) as WebAssembly functions written out at start-up, for the curve25519
 * kernels of curve25519-wasm.ts. Field elements are ref10's: ten signed limbs of 26 and 25 bits
 * (radix 2^25.5), stored in memory as i32 and multiplied in i64; every function takes pointers and
 * leaves its result carried (limbs within 2^26), so that any output is a valid input. Nothing here
 * branches on a value.
 */

export const I32 = 0x7f;
export const I64 = 0x7e;
export const op = {
  call: 0x10, select: 0x1b, get: 0x20, set: 0x21, tee: 0x22, i32Load8u: 0x2d, i64Load: 0x29, i64Load32s: 0x34, i32Store8: 0x3a,
  i64Store: 0x37, i64Store32: 0x3e, i32Const: 0x41, i64Const: 0x42, i32Eq: 0x46, i32GtS: 0x4a, i32Add: 0x6a, i32Sub: 0x6b,
  i32Mul: 0x6c, i32And: 0x71, i32ShrU: 0x76, i32Eqz: 0x45, i32Load: 0x28, i32Store: 0x36, i64Add: 0x7c, i64Sub: 0x7d, i64Mul: 0x7e, i64And: 0x83, i64Or: 0x84, i64Shl: 0x86, i64ShrS: 0x87,
  i64ShrU: 0x88, i32WrapI64: 0xa7, i64ExtendI32U: 0xad, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d,
};
export const get = (i: number) => [op.get, ...uleb(i)];
export const set = (i: number) => [op.set, ...uleb(i)];
export const i32c = (n: number) => [op.i32Const, ...sleb(n)];
export const i64c = (n: number) => [op.i64Const, ...sleb64(n)];
export const mem = (code: number, align: number, offset: number) => [code, align, ...uleb(offset)];
export const call = (f: number, ...args: number[][]) => [...args.flat(), op.call, ...uleb(f)];

function sleb64(n: number): number[] {
  // Constants here are below 2^31 in magnitude, where the i32 encoding is the same.
  return sleb(n);
}

/** Limb i of a field element starts at bit START[i] and is WIDTH[i] bits wide. */
const WIDTH = [26, 25, 26, 25, 26, 25, 26, 25, 26, 25];
const START = WIDTH.map((_, i) => WIDTH.slice(0, i).reduce((a, b) => a + b, 0));
export const FE = 40;

// Memory: field-element temporaries T(0)…T(31) (T(10)…T(13) belong to the exponentiations, ONE is
// the constant 1, set by the caller), byte scratch, then whatever the kernels put from DATA on.
export const T = (k: number) => 64 + k * FE;
export const ONE = T(15);
const BYTES = 1408; // 48 bytes reversed, zero padded to 80
export const SCRATCH = 1536; // 64 bytes for the kernels
export const DATA = 2048;

/** Function indices: the field's, then the kernels' (curve25519-wasm.ts) from KERNELS on. */
export const F = { mul: 0, sq: 1, sqn: 2, tobytes: 3, from48: 4, pow250: 5, invert: 6, linear: 7 };
export const KERNELS = 8;

/** Straight-line carry of limbs held in locals h[0..9]: floor carries 0→9, 9→0 (×19), 0→1. */
function carry(h: number[], c: number): number[] {
  const out: number[] = [];
  const step = (i: number, to: number, times: number) => {
    out.push(...get(h[i]!), ...i64c(WIDTH[i]!), op.i64ShrS, ...set(c));
    out.push(...get(h[i]!), ...i64c((1 << WIDTH[i]!) - 1), op.i64And, ...set(h[i]!));
    out.push(...get(h[to]!), ...get(c), ...(times === 1 ? [] : [...i64c(times), op.i64Mul]), op.i64Add, ...set(h[to]!));
  };
  for (let i = 0; i < 9; i++) step(i, i + 1, 1);
  step(9, 0, 19);
  step(0, 1, 1);
  return out;
}

const load = (ptr: number, into: number[]) => into.flatMap((l, i) => [...get(ptr), ...mem(op.i64Load32s, 2, 4 * i), ...set(l)]);
const store = (ptr: number, from: number[]) => from.flatMap((l, i) => [...get(ptr), ...get(l), ...mem(op.i64Store32, 2, 4 * i)]);

/** mul(h, f, g) or, with square, sq(h, f): ref10's schoolbook product with the 2^255 ≡ 19 fold. */
function product(square: boolean): { locals: number; code: number[] } {
  const params = square ? 2 : 3;
  let next = params;
  const v = (n: number) => Array.from({ length: n }, () => next++);
  const f = v(10), g = square ? f : v(10), h = v(10);
  const c = next++;
  const scaled = new Map<string, number>();
  const code: number[] = [...load(1, f), ...(square ? [] : load(2, g))];
  // g_j · k (k ∈ {2, 19, 38, …}) computed once into a local.
  const times = (l: number, k: number) => {
    if (k === 1) return l;
    const key = `${l}:${k}`;
    let at = scaled.get(key);
    if (at === undefined) {
      scaled.set(key, (at = next++));
      code.push(...get(l), ...i64c(k), op.i64Mul, ...set(at));
    }
    return at;
  };
  const sums: number[][][] = [];
  for (let k = 0; k < 10; k++) {
    const terms: number[][] = [];
    for (let i = 0; i < 10; i++) {
      const j = (k - i + 10) % 10;
      if (square && j < i) continue;
      const factor = (i + j >= 10 ? 19 : 1) * (i % 2 === 1 && j % 2 === 1 ? 2 : 1) * (square && i !== j ? 2 : 1);
      terms.push([...get(f[i]!), ...get(times(g[j]!, factor)), op.i64Mul]);
    }
    sums.push(terms);
  }
  sums.forEach((terms, k) => {
    terms.forEach((term, t) => code.push(...term, ...(t > 0 ? [op.i64Add] : [])));
    code.push(...set(h[k]!));
  });
  code.push(...carry(h, c), ...store(0, h));
  return { locals: next - params, code };
}

/** tobytes(out, h): the canonical 32 bytes little-endian. */
function tobytes(): { locals: number; code: number[] } {
  const h = Array.from({ length: 10 }, (_, i) => 2 + i);
  const t = Array.from({ length: 10 }, (_, i) => 12 + i);
  const c = 22, sel = 23, w = 24;
  const code: number[] = [...load(1, h), ...carry(h, c), ...carry(h, c), ...carry(h, c)];
  // t = h + 19 carried without the wrap; its carry out of bit 255 is set exactly when h ≥ p.
  const noWrap = (x: number[]) => {
    const out: number[] = [];
    for (let i = 0; i < 10; i++) {
      out.push(...get(x[i]!), ...i64c(WIDTH[i]!), op.i64ShrS, ...set(c), ...get(x[i]!), ...i64c((1 << WIDTH[i]!) - 1), op.i64And, ...set(x[i]!));
      if (i < 9) out.push(...get(x[i + 1]!), ...get(c), op.i64Add, ...set(x[i + 1]!));
    }
    return out;
  };
  code.push(...h.flatMap((l, i) => [...get(l), ...(i === 0 ? [...i64c(19), op.i64Add] : []), ...set(t[i]!)]), ...noWrap(t), ...get(c), ...set(sel));
  code.push(...noWrap(h));
  for (let i = 0; i < 10; i++) code.push(...get(t[i]!), ...get(h[i]!), ...get(sel), op.i32WrapI64, op.select, ...set(h[i]!));
  // Pack the limbs into four 64-bit words.
  for (let word = 0; word < 4; word++) {
    code.push(...i64c(0), ...set(w));
    for (let i = 0; i < 10; i++) {
      const lo = START[i]!, hi = lo + WIDTH[i]!;
      if (hi <= word * 64 || lo >= (word + 1) * 64) continue;
      const shift = lo - word * 64;
      code.push(...get(w), ...get(h[i]!), ...(shift >= 0 ? [...i64c(shift), op.i64Shl] : [...i64c(-shift), op.i64ShrU]), op.i64Or, ...set(w));
    }
    code.push(...get(0), ...get(w), ...mem(op.i64Store, 0, 8 * word));
  }
  return { locals: 23, code };
}

/** from48(h, p): OS2IP of 48 bytes at p (big-endian) reduced mod p, as hash_to_field reads them. */
function from48(): { locals: number; code: number[] } {
  const k = 2, bit = 3;
  const lo = Array.from({ length: 10 }, (_, i) => 4 + i);
  const hi = Array.from({ length: 10 }, (_, i) => 14 + i);
  const c = 24;
  const code: number[] = [];
  // Reverse into BYTES (little-endian): value = lo + 2^256·hi, lo the first 32 reversed bytes.
  code.push(...i32c(0), ...set(k), op.block, 0x40, op.loop, 0x40);
  code.push(...i32c(BYTES), ...get(k), op.i32Add, ...get(1), ...i32c(47), ...get(k), op.i32Sub, op.i32Add, ...mem(op.i32Load8u, 0, 0), ...mem(op.i32Store8, 0, 0));
  code.push(...get(k), ...i32c(1), op.i32Add, op.tee, ...uleb(k), ...i32c(48), op.i32Eq, op.brIf, 1, op.br, 0, op.end, op.end);
  const limbs = (base: number, into: number[]) =>
    into.flatMap((l, i) => [...i32c(base + (START[i]! >> 3)), ...mem(op.i64Load, 0, 0), ...i64c(START[i]! & 7), op.i64ShrU, ...i64c((1 << WIDTH[i]!) - 1), op.i64And, ...set(l)]);
  code.push(...limbs(BYTES, lo), ...limbs(BYTES + 32, hi));
  // Bit 255 of lo is 2^255 ≡ 19; 2^256 ≡ 38.
  code.push(...i32c(BYTES + 31), ...mem(op.i32Load8u, 0, 0), ...i32c(7), op.i32ShrU, op.i64ExtendI32U, ...set(bit));
  code.push(...lo.flatMap((l, i) => [...get(l), ...get(hi[i]!), ...i64c(38), op.i64Mul, op.i64Add, ...(i === 0 ? [...get(bit), ...i64c(19), op.i64Mul, op.i64Add] : []), ...set(l)]));
  code.push(...carry(lo, c), ...store(0, lo));
  return { locals: 22, code };
}

/** linear(h, f, k, c): h = k·f + c, k and c small signed constants (negation, the −A, +A and +1 steps). */
function linear(): { locals: number; code: number[] } {
  const h = Array.from({ length: 10 }, (_, i) => 4 + i);
  const c = 14;
  const code: number[] = [...load(1, h)];
  code.push(...h.flatMap((l, i) => [...get(l), ...get(2), op.i64Mul, ...(i === 0 ? [...get(3), op.i64Add] : []), ...set(l)]));
  code.push(...carry(h, c), ...store(0, h));
  return { locals: 11, code };
}

/** sqn(h, f, n): h = f^(2^n), n ≥ 1. */
function sqn(): number[] {
  return [...call(F.sq, get(0), get(1)), op.block, 0x40, op.loop, 0x40, ...get(2), ...i32c(1), op.i32Sub, op.tee, ...uleb(2), ...i32c(0), op.i32GtS, op.i32Eqz, op.brIf, 1, ...call(F.sq, get(0), get(0)), op.br, 0, op.end, op.end];
}

/**
 * pow250(z, h, z11): h = z^(2^250 − 1) and z11 = z^11 (ref10's chain), the common head of the
 * inversion (z^(p−2)) and the Legendre symbol (z^((p−1)/2) = (z^(2^252 − 3))^4 · z^2).
 */
function pow250(): number[] {
  const [t0, t1, t2] = [T(10), T(11), T(12)];
  const c = (f: number, ...a: number[]) => call(f, ...a.map((x) => (x < 0 ? get(-x - 1) : i32c(x))));
  const z = -1, h = -2, z11 = -3;
  return [
    ...c(F.sq, t0, z), ...c(F.sqn, t1, t0, 2), ...c(F.mul, t1, z, t1), ...c(F.mul, z11, t0, t1), ...c(F.sq, t0, z11), ...c(F.mul, t0, t1, t0),
    ...c(F.sqn, t1, t0, 5), ...c(F.mul, t0, t1, t0), ...c(F.sqn, t1, t0, 10), ...c(F.mul, t1, t1, t0), ...c(F.sqn, t2, t1, 20), ...c(F.mul, t1, t2, t1),
    ...c(F.sqn, t1, t1, 10), ...c(F.mul, t0, t1, t0), ...c(F.sqn, t1, t0, 50), ...c(F.mul, t1, t1, t0), ...c(F.sqn, t2, t1, 100), ...c(F.mul, t1, t2, t1),
    ...c(F.sqn, t1, t1, 50), ...c(F.mul, h, t1, t0),
  ];
}

/** invert(h, z): z^(p−2) = (z^(2^250 − 1))^(2^5) · z^11. */
function invert(): number[] {
  return [...call(F.pow250, get(1), get(0), i32c(T(13))), ...call(F.sqn, get(0), get(0), i32c(5)), ...call(F.mul, get(0), get(0), i32c(T(13)))];
}

export interface WasmFunction {
  type: number;
  locals: [number, number][];
  code: number[];
}

/** Types: 0 (i32, i32, i32), 1 (i32, i32), 2 (i32, i32, i64, i64), then the kernels' from 3 on. */
export const FIELD_TYPES = [
  [0x60, 3, I32, I32, I32, 0],
  [0x60, 2, I32, I32, 0],
  [0x60, 4, I32, I32, I64, I64, 0],
];

/** The field's functions, at the indices of F. */
export function fieldFunctions(): WasmFunction[] {
  const fns: WasmFunction[] = [];
  const mul = product(false), sq = product(true), tb = tobytes(), fb = from48(), lin = linear();
  fns[F.mul] = { type: 0, locals: [[mul.locals, I64]], code: mul.code };
  fns[F.sq] = { type: 1, locals: [[sq.locals, I64]], code: sq.code };
  fns[F.sqn] = { type: 0, locals: [], code: sqn() };
  fns[F.tobytes] = { type: 1, locals: [[tb.locals, I64]], code: tb.code };
  fns[F.from48] = { type: 1, locals: [[1, I32], [fb.locals, I64]], code: fb.code }; // k, then bit, lo, hi, c
  fns[F.pow250] = { type: 0, locals: [], code: pow250() };
  fns[F.invert] = { type: 1, locals: [], code: invert() };
  fns[F.linear] = { type: 2, locals: [[lin.locals, I64]], code: lin.code };
  return fns;
}

/** A module of the field's functions and the kernels', exporting the given kernels and `memory`. */
export function moduleBytes(kernelTypes: number[][], kernels: WasmFunction[], exports: Record<string, number>): Uint8Array<ArrayBuffer> {
  const fns = [...fieldFunctions(), ...kernels];
  const types = [...FIELD_TYPES, ...kernelTypes];
  const bodies = fns.map((f) => {
    const body = [...uleb(f.locals.length), ...f.locals.flatMap(([count, type]) => [...uleb(count), type]), ...f.code, op.end];
    return [...uleb(body.length), ...body];
  });
  const names = Object.entries(exports).flatMap(([n, index]) => [...name(n), 0, ...uleb(index)]);
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  bytes.push(...section(1, [types.length, ...types.flat()]));
  bytes.push(...section(3, [...uleb(fns.length), ...fns.map((f) => f.type)]));
  bytes.push(...section(5, [1, 0, 1]));
  bytes.push(...section(7, [Object.keys(exports).length + 1, ...names, ...name('memory'), 2, 0]));
  bytes.push(...section(10, [...uleb(fns.length), ...bodies.flat()]));
  return new Uint8Array(bytes);
}
