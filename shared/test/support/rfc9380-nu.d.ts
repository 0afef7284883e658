/** RFC 9380 appendix J.5.2, edwards25519_XMD:SHA-512_ELL2_NU_: message → the point's (x, y). */
export declare const RFC9380_NU: readonly [string, string, string][];
export declare const RFC9380_NU_DST: Uint8Array<ArrayBufferLike> & Uint8Array<ArrayBuffer>;
/** The Montgomery u of an RFC vector's y, computed here independently of noble's conversion: (1 + y) / (1 − y). */
export declare function uOfY(yHex: string): string;
