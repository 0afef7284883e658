import { describe, expect, it } from 'vitest';
import { answerUscadiV0, bytesToHex, hexToBytes, seededBytes, uscadiV0 } from '@ihyid/shared';
import { WantedTable } from './sha256-kernel';
import { answerV0Simd } from './uscadi-simd';

describe('uscadi-v0 WebAssembly SIMD kernel (A1)', () => {
  it('[A1] validates on this engine', () => {
    expect(WebAssembly.validate(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0]))).toBe(true);
  });

  for (const length of [28, 0, 4, 20, 24, 32, 30]) {
    it(`[A1] agrees with the plain N×M search for ${length}-byte ids (odd secret counts included)`, () => {
      const ids = Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(65 + i)}${'550-H330-B616-M240-19760507xxxxxx'.slice(0, Math.max(0, length - 1))}`.slice(0, length));
      const distinct = [...new Set(ids)];
      const secrets = Array.from({ length: 7 }, (_, i) => bytesToHex(seededBytes(i + 3)(32)));
      // Their entries: three of ours under their secrets, the rest strangers.
      const uscadis = secrets.map((s, i) => uscadiV0(i < 3 ? distinct[i % distinct.length]! : `ZZ${i}`, s));
      const reference = answerUscadiV0(distinct, secrets, uscadis);
      const wanted = hexToBytes(uscadis.join(''));
      const table = new WantedTable(wanted);
      const flags = new Uint8Array(uscadis.length);
      const encoder = new TextEncoder();
      const rest = answerV0Simd(distinct.map((d) => encoder.encode(d)), hexToBytes(secrets.join('')), wanted, (digest) => table.findBytes(digest), flags);
      expect(rest.length).toBe(length % 4 === 0 ? 0 : distinct.length);
      if (length % 4 === 0) expect([...flags].map(Boolean)).toEqual(reference);
    });
  }
});
