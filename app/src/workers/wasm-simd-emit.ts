/**
 * The few lines of WebAssembly code generation that the SIMD kernels (pow-simd.ts, uscadi-simd.ts)
 * share: opcodes, LEB128, and i32x4 helpers for SHA-256 rounds. Modules are written out byte by
 * byte at start-up, so there is no .wasm file and no toolchain to keep in sync.
 */

// Opcodes (WebAssembly core 2.0 and fixed-width SIMD). SIMD ones follow the 0xfd prefix as LEB128.
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, ret: 0x0f, get: 0x20, set: 0x21,
  i32Load: 0x28, i32Load8u: 0x2d, i32Store: 0x36, i32Const: 0x41, i32Eqz: 0x45, i32GeU: 0x4f, i32Ctz: 0x68,
  i32Add: 0x6a, i32Mul: 0x6c, i32And: 0x71, i32Shl: 0x74, i32ShrU: 0x76,
};
export const SIMD = {
  load: 0x00, const: 0x0c, splat: 0x11, extract: 0x1b, eq: 0x37, and: 0x4e, or: 0x50, xor: 0x51, bitselect: 0x52,
  anyTrue: 0x53, bitmask: 0xa4, shl: 0xab, shrU: 0xad, add: 0xae,
};
export const V128 = 0x7b;
export const I32 = 0x7f;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

export const simd = (op: number) => [0xfd, ...uleb(op)];
export const get = (i: number) => [OP.get, ...uleb(i)];
export const set = (i: number) => [OP.set, ...uleb(i)];
export const i32 = (n: number) => [OP.i32Const, ...sleb(n)];
/** An i32x4 constant with the same 32-bit value in every lane. */
export const splat = (n: number) => [0xfd, ...uleb(SIMD.const), ...[0, 1, 2, 3].flatMap(() => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff])];
/** Lane-wise rotate right of local x by n bits. */
export const rotr = (x: number, n: number) => [...get(x), ...i32(n), ...simd(SIMD.shrU), ...get(x), ...i32(32 - n), ...simd(SIMD.shl), ...simd(SIMD.or)];
export const add = simd(SIMD.add);
export const xor = simd(SIMD.xor);
export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
export const name = (text: string) => [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
