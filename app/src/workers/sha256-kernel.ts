import { compress, compressKW, SHA256_K } from './sha256-rounds';

/**
 * The answering side of uscadi-v0 and uscadi-v1 (A1, A2): every received secret against every one of
 * our own messages, N×M hashes. Per-call hash APIs top out near a million hashes a second, so this
 * kernel works on 32-bit words in place: what does not depend on the secret (our message's padded
 * blocks and their message schedules, HMAC's key blocks per secret) is computed once, and the inner
 * loop runs only the compressions that must run. Results are checked against a table of the wanted
 * digests keyed on their first word.
 */

const IV = Int32Array.of(0x6a09e667, 0xbb67ae85 | 0, 0x3c6ef372, 0xa54ff53a | 0, 0x510e527f, 0x9b05688c | 0, 0x1f83d9ab, 0x5be0cd19);

/** Our messages as one byte buffer and n + 1 offsets, so they cross to a worker as two transferables. */
export interface PackedMessages {
  bytes: Uint8Array;
  offsets: Uint32Array;
}

export function unpackMessages(packed: PackedMessages): Uint8Array[] {
  return Array.from({ length: packed.offsets.length - 1 }, (_, i) => packed.bytes.subarray(packed.offsets[i]!, packed.offsets[i + 1]!));
}

export function packMessages(messages: readonly (string | Uint8Array)[]): PackedMessages {
  const encoder = new TextEncoder();
  const encoded = messages.map((m) => (typeof m === 'string' ? encoder.encode(m) : m));
  const offsets = new Uint32Array(encoded.length + 1);
  encoded.forEach((e, i) => (offsets[i + 1] = offsets[i]! + e.length));
  const bytes = new Uint8Array(offsets[encoded.length]!);
  encoded.forEach((e, i) => bytes.set(e, offsets[i]!));
  return { bytes, offsets };
}

function wordsOf(bytes: Uint8Array): Int32Array {
  const out = new Int32Array(bytes.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = (bytes[4 * i]! << 24) | (bytes[4 * i + 1]! << 16) | (bytes[4 * i + 2]! << 8) | bytes[4 * i + 3]!;
  return out;
}

/** A message padded as SHA-256 pads it when `before` bytes precede it in the hash input. */
function padded(message: Uint8Array, before: number, after: number): Int32Array {
  const total = before + message.length + after;
  const blocks = Math.ceil((total + 9) / 64);
  const buf = new Uint8Array(blocks * 64 - before);
  buf.set(message, 0);
  buf[message.length + after] = 0x80;
  const bits = total * 8;
  buf[buf.length - 4] = bits >>> 24;
  buf[buf.length - 3] = (bits >>> 16) & 0xff;
  buf[buf.length - 2] = (bits >>> 8) & 0xff;
  buf[buf.length - 1] = bits & 0xff;
  return wordsOf(buf);
}

/** K[t] + W[t] for every round of one constant block, so its compression skips the schedule. */
function scheduleKW(words: Int32Array, at: number, out: Int32Array, outAt: number): void {
  const w = new Int32Array(64);
  for (let t = 0; t < 16; t++) w[t] = words[at + t]!;
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!, y = w[t - 2]!;
    w[t] = ((((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w[t - 7]! + w[t - 16]!) | 0;
  }
  for (let t = 0; t < 64; t++) out[outAt + t] = (SHA256_K[t]! + w[t]!) | 0;
}

/** Copies 8 state words; a plain loop, because TypedArray#set and subarray cost more than the copy here. */
function load8(dst: Int32Array, src: Int32Array, at: number): void {
  for (let i = 0; i < 8; i++) dst[i] = src[at + i]!;
}

/** Open addressing on the first digest word; full comparison on a hit. */
export class WantedTable {
  private readonly words: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(wanted: Uint8Array) {
    this.words = wordsOf(wanted);
    const m = wanted.length / 32;
    let size = 16;
    while (size < 2 * m) size <<= 1;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    for (let i = 0; i < m; i++) {
      let s = this.words[8 * i]! & this.mask;
      while (this.slots[s] !== -1) s = (s + 1) & this.mask;
      this.slots[s] = i;
    }
  }

  /** The index of a wanted digest given as 32 bytes, or −1. */
  findBytes(digest: Uint8Array): number {
    const st = wordsOf(digest);
    return this.find(st);
  }

  find(st: Int32Array): number {
    const w0 = st[0]!;
    for (let s = w0 & this.mask; ; s = (s + 1) & this.mask) {
      const i = this.slots[s]!;
      if (i === -1) return -1;
      const at = 8 * i;
      if (this.words[at] === w0 && this.words[at + 1] === st[1] && this.words[at + 2] === st[2] && this.words[at + 3] === st[3] && this.words[at + 4] === st[4] && this.words[at + 5] === st[5] && this.words[at + 6] === st[6] && this.words[at + 7] === st[7]) return i;
    }
  }
}

/**
 * uscadi-v0, SHA-256(message ‖ secret): for each of our messages, its padded blocks are a template;
 * the secret's bytes are OR-ed into the words they cover; blocks before the secret are hashed once,
 * blocks after it have a precomputed schedule. Sets flags[i] = 1 for each wanted digest found.
 */
export function answerV0(local: PackedMessages, secrets: Uint8Array, wanted: Uint8Array, flags: Uint8Array): void {
  const table = new WantedTable(wanted);
  const n = secrets.length / 32;
  const shifted: (Int32Array | undefined)[] = [];
  const secretWords = (r: number): Int32Array => {
    let out = shifted[r];
    if (out) return out;
    out = new Int32Array(n * 9);
    for (let s = 0; s < n; s++) {
      for (let k = 0; k < 9; k++) {
        let word = 0;
        for (let i = 0; i < 4; i++) {
          const p = 4 * k - r + i;
          word = (word << 8) | (p >= 0 && p < 32 ? secrets[32 * s + p]! : 0);
        }
        out[9 * s + k] = word;
      }
    }
    return (shifted[r] = out);
  };
  const st = new Int32Array(8);
  const prefix = new Int32Array(8);
  for (let m = 0; m + 1 < local.offsets.length; m++) {
    const message = local.bytes.subarray(local.offsets[m]!, local.offsets[m + 1]!);
    const len = message.length;
    const words = padded(message, 0, 32);
    const first = len >> 6;
    const last = (len + 31) >> 6;
    const blocks = words.length >> 4;
    prefix.set(IV);
    for (let b = 0; b < first; b++) compress(prefix, 0, words, 16 * b);
    const suffix = new Int32Array(64 * (blocks - last - 1));
    for (let b = last + 1; b < blocks; b++) scheduleKW(words, 16 * b, suffix, 64 * (b - last - 1));
    const w = words.slice(16 * first, 16 * (last + 1));
    const r = len & 3;
    const at = (len >> 2) - 16 * first;
    const span = r === 0 ? 8 : 9;
    const sw = secretWords(r);
    const base = words.slice(16 * first + at, 16 * first + at + span);
    for (let s = 0; s < n; s++) {
      for (let k = 0; k < span; k++) w[at + k] = base[k]! | sw[9 * s + k]!;
      load8(st, prefix, 0);
      compress(st, 0, w, 0);
      if (last > first) compress(st, 0, w, 16);
      for (let b = 0; b < suffix.length; b += 64) compressKW(st, 0, suffix, b);
      const hit = table.find(st);
      if (hit >= 0) flags[hit] = 1;
    }
  }
}

/**
 * uscadi-v1, HMAC-SHA256(secret, message): the key blocks (secret ⊕ ipad, secret ⊕ opad) are hashed
 * once per secret; our messages' blocks, which never change, are hashed with precomputed schedules.
 */
export function answerV1(local: PackedMessages, secrets: Uint8Array, wanted: Uint8Array, flags: Uint8Array): void {
  const table = new WantedTable(wanted);
  const n = secrets.length / 32;
  const inner = new Int32Array(8 * n);
  const outer = new Int32Array(8 * n);
  const block = new Uint8Array(64);
  for (let s = 0; s < n; s++) {
    for (const [pad, states] of [[0x36, inner], [0x5c, outer]] as const) {
      block.fill(pad);
      for (let i = 0; i < 32; i++) block[i] = secrets[32 * s + i]! ^ pad;
      states.set(IV, 8 * s);
      compress(states, 8 * s, wordsOf(block), 0);
    }
  }
  const st = new Int32Array(8);
  const w = new Int32Array(16);
  w[8] = 0x80000000 | 0;
  w[15] = (64 + 32) * 8;
  for (let m = 0; m + 1 < local.offsets.length; m++) {
    const words = padded(local.bytes.subarray(local.offsets[m]!, local.offsets[m + 1]!), 64, 0);
    const kw = new Int32Array(4 * words.length);
    for (let b = 0; b < words.length; b += 16) scheduleKW(words, b, kw, 4 * b);
    for (let s = 0; s < n; s++) {
      load8(st, inner, 8 * s);
      for (let b = 0; b < kw.length; b += 64) compressKW(st, 0, kw, b);
      for (let i = 0; i < 8; i++) w[i] = st[i]!;
      load8(st, outer, 8 * s);
      compress(st, 0, w, 0);
      const hit = table.find(st);
      if (hit >= 0) flags[hit] = 1;
    }
  }
}
