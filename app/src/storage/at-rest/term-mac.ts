import { compress } from '../../workers/sha256-rounds';

const IV = Int32Array.of(0x6a09e667, 0xbb67ae85 | 0, 0x3c6ef372, 0xa54ff53a | 0, 0x510e527f, 0x9b05688c | 0, 0x1f83d9ab, 0x5be0cd19);
const encoder = new TextEncoder();

/**
 * A term of ASCII characters only (most are: phonetic keys, dates, digits) copied as its UTF-8 bytes,
 * which are its char codes: a call to `encodeInto` per term cost more than the term's hashing. Null
 * for any other term, which `encodeInto` then writes (it rewrites whatever this wrote).
 */
function ascii(term: string, bytes: Uint8Array): number | null {
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    if (c > 0x7f) return null;
    bytes[i] = c;
  }
  return term.length;
}

/**
 * X2: HMAC-SHA256 of short index terms, truncated to 53 bits, as `RecordKeys.indexHash` stores them.
 * The same bytes as any HMAC-SHA256 (checked against @noble/hashes in the tests), three times as
 * fast for terms of a few dozen bytes: the key's two padded blocks are compressed once, and each term
 * runs only its own blocks and the outer one on 32-bit words (the unrolled rounds of the uscadi
 * kernel), with no object made per term. An import of 100,000 contacts hashes about 2.4 million terms.
 */
export class TermMac {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly state = new Int32Array(8);
  private readonly words = new Int32Array(16);
  private bytes = new Uint8Array(256);

  constructor(key: Uint8Array) {
    if (key.length > 64) throw new Error('a term MAC key is at most 64 bytes');
    const pad = new Uint8Array(64);
    for (const [state, fill] of [[this.inner, 0x36], [this.outer, 0x5c]] as const) {
      pad.fill(fill);
      key.forEach((b, i) => (pad[i] = b ^ fill));
      state.set(IV);
      this.block(state, pad, 0);
    }
    pad.fill(0);
  }

  /** The first 53 bits of HMAC-SHA256(key, term) (its first seven bytes, the top three bits of the first dropped). */
  hash53(term: string): number {
    // At most 3 UTF-8 bytes a UTF-16 unit, and the padding: 9 bytes and up to a block.
    const room = term.length * 3 + 72;
    if (this.bytes.length < room) this.bytes = new Uint8Array(room * 2);
    const bytes = this.bytes;
    const n = ascii(term, bytes) ?? encoder.encodeInto(term, bytes).written;
    const blocks = Math.ceil((n + 9) / 64);
    bytes.fill(0, n, blocks * 64);
    bytes[n] = 0x80;
    // The length in bits of what the inner hash covers: the key block and the term.
    const bits = (64 + n) * 8;
    const end = blocks * 64;
    bytes[end - 4] = bits >>> 24;
    bytes[end - 3] = (bits >>> 16) & 0xff;
    bytes[end - 2] = (bits >>> 8) & 0xff;
    bytes[end - 1] = bits & 0xff;
    const st = this.state;
    st.set(this.inner);
    for (let b = 0; b < blocks; b++) this.block(st, bytes, b * 64);
    // The outer hash: the key block, then the inner digest padded in one block (768 bits in all).
    const w = this.words;
    w.set(st);
    w[8] = 0x80000000 | 0;
    w.fill(0, 9, 15);
    w[15] = 768;
    st.set(this.outer);
    compress(st, 0, w, 0);
    const w0 = st[0]!;
    return ((w0 >>> 24) & 0x1f) * 2 ** 48 + (w0 & 0xffffff) * 2 ** 24 + (st[1]! >>> 8);
  }

  /** Overwrites the key's states. */
  destroy(): void {
    this.inner.fill(0);
    this.outer.fill(0);
    this.state.fill(0);
    this.words.fill(0);
    this.bytes.fill(0);
  }

  private block(st: Int32Array, bytes: Uint8Array, at: number): void {
    const w = this.words;
    for (let i = 0; i < 16; i++) {
      const j = at + 4 * i;
      w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!;
    }
    compress(st, 0, w, 0);
  }
}
