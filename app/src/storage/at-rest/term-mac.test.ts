import { describe, expect, it } from 'vitest';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { seededBytes } from '@ihyid/shared';
import { TermMac } from './term-mac';

/** The 53-bit truncation `RecordKeys.indexHash` has always stored, from any HMAC-SHA256. */
const truncated = (mac: Uint8Array) => (mac[0]! & 0x1f) * 2 ** 48 + mac[1]! * 2 ** 40 + mac[2]! * 2 ** 32 + ((mac[3]! << 24) >>> 0) + (mac[4]! << 16) + (mac[5]! << 8) + mac[6]!;

describe('TermMac (X2 index terms)', () => {
  it('[X2] gives the same 53 bits as @noble/hashes HMAC-SHA256 for terms of every length around the block edges, in any script', () => {
    const bytes = seededBytes(53);
    const key = bytes(32);
    const mac = new TermMac(key);
    const alphabet = 'abcXYZ09:{}",-محمدالحسن😀 ';
    // ASCII alone too: such terms are copied byte by byte, not encoded (and one whose last character is not).
    const asciiOnly = 'abcXYZ09:{}",-~ \x7f';
    const terms = ['', 'HT MHMT-1980é'];
    for (let len = 1; len <= 200; len++) {
      const r = bytes(len);
      terms.push(Array.from(r, (b) => [...alphabet][b % [...alphabet].length]).join(''));
      terms.push(Array.from(r, (b) => asciiOnly[b % asciiOnly.length]).join(''));
    }
    terms.push('{"born":"1980-01-02","kind":"name-dob","names":"HT MHMT","v":2}', 'b:born:1984-03-09', 'import:job-1');
    for (const t of terms) expect(mac.hash53(t), t).toBe(truncated(hmac(sha256, key, new TextEncoder().encode(t))));
  });

  it('[X2] a key of another length than 32 bytes (up to a block) is padded as HMAC pads it', () => {
    for (const n of [0, 1, 31, 33, 64]) {
      const key = seededBytes(n)(n);
      expect(new TermMac(key).hash53('term')).toBe(truncated(hmac(sha256, key, new TextEncoder().encode('term'))));
    }
  });
});
