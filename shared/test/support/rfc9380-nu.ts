import { bytesToHex, utf8ToBytes } from '../../src/core/hex.js';

const P = (1n << 255n) - 19n;

/** RFC 9380 appendix J.5.2, edwards25519_XMD:SHA-512_ELL2_NU_: message → the point's (x, y). */
export const RFC9380_NU: readonly [string, string, string][] = [
  ['', '1ff2b70ecf862799e11b7ae744e3489aa058ce805dd323a936375a84695e76da', '222e314d04a4d5725e9f2aff9fb2a6b69ef375a1214eb19021ceab2d687f0f9b'],
  ['abc', '5f13cc69c891d86927eb37bd4afc6672360007c63f68a33ab423a3aa040fd2a8', '67732d50f9a26f73111dd1ed5dba225614e538599db58ba30aaea1f5c827fa42'],
  ['abcdef0123456789', '1dd2fefce934ecfd7aae6ec998de088d7dd03316aa1847198aecf699ba6613f1', '2f8a6c24dd1adde73909cada6a4a137577b0f179d336685c4a955a0a8e1a86fb'],
  [`q128_${'q'.repeat(128)}`, '35fbdc5143e8a97afd3096f2b843e07df72e15bfca2eaf6879bf97c5d3362f73', '2af6ff6ef5ebba128b0774f4296cb4c2279a074658b083b8dcca91f57a603450'],
  [`a512_${'a'.repeat(512)}`, '6e5e1f37e99345887fc12111575fc1c3e36df4b289b8759d23af14d774b66bff', '2c90c3d39eb18ff291d33441b35f3262cdd307162cc97c31bfcc7a4245891a37'],
];
export const RFC9380_NU_DST = utf8ToBytes('QUUX-V01-CS02-with-edwards25519_XMD:SHA-512_ELL2_NU_');

/** The Montgomery u of an RFC vector's y, computed here independently of noble's conversion: (1 + y) / (1 − y). */
export function uOfY(yHex: string): string {
  const y = BigInt(`0x${yHex}`);
  let inv = 1n;
  for (let b = (1n - y + P) % P, e = P - 2n; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) inv = (inv * b) % P;
  let u = ((1n + y) * inv) % P;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, u >>= 8n) out[i] = Number(u & 0xffn);
  return bytesToHex(out);
}

/**
 * u(8·Q) from u(Q): three x-only doublings on curve25519 (RFC 7748's ladder formulas), here in
 * BigInt so that the test relates psi-v2's H, which leaves the cofactor to X25519's clamping, to the
 * RFC's vectors, which clear it.
 */
export function timesEightU(uHex: string): string {
  let x = 0n;
  for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(parseInt(uHex.slice(2 * i, 2 * i + 2), 16));
  const pow = (b: bigint, e: bigint) => {
    let r = 1n;
    for (b %= P; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
    return r;
  };
  for (let k = 0; k < 3; k++) {
    // (x² − 1)² / (4x(x² + A·x + 1))
    const num = (x * x - 1n) % P;
    const den = (4n * x * ((x * x + 486662n * x + 1n) % P)) % P;
    x = (((num * num) % P) * pow(den, P - 2n)) % P;
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, x >>= 8n) out[i] = Number(x & 0xffn);
  return bytesToHex(out);
}
