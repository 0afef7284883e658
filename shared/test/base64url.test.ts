import { base64urlnopad } from '@scure/base';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { base64UrlFromBytes, bytesFromBase64Url } from '../src/core/hex.js';

type WithNative = { fromBase64?: unknown };
const scure = (text: string): number[] | null => {
  try {
    return [...base64urlnopad.decode(text)];
  } catch {
    return null;
  }
};

/**
 * ECMAScript's `Uint8Array.fromBase64` as the spec defines it for this alphabet in 'loose' mode
 * (whitespace skipped, padding and unused bits allowed), here where Node 20 lacks it: the checks
 * in front of it must make the result what @scure/base gives, however lax the decoder behind them.
 */
function installLooseDecoder(): void {
  (Uint8Array as unknown as WithNative).fromBase64 = (text: string, options: { alphabet: string; lastChunkHandling: string }) => {
    expect(options).toEqual({ alphabet: 'base64url', lastChunkHandling: 'loose' });
    const clean = text.replace(/[\t\n\f\r ]/g, '').replace(/=+$/, '');
    if (!/^[A-Za-z0-9_-]*$/.test(clean) || clean.length % 4 === 1) throw new SyntaxError('not base64url');
    return new Uint8Array(Buffer.from(clean, 'base64url'));
  };
}

afterEach(() => {
  delete (Uint8Array as unknown as WithNative).fromBase64;
  delete (Uint8Array.prototype as unknown as { toBase64?: unknown }).toBase64;
});

describe('base64url (version data, invitation secrets)', () => {
  const samples = ['', 'QQ', 'QR', 'QUE', 'QUF', 'QUFB', 'QQ==', 'Q', 'Q Q', 'QU\nFB', 'QUFB=', '+/8', '-_8', '-_9', 'AAAA_w', 'AAAA_x', 'ü'];

  it('[X4] the engine\'s decoder, where there is one, accepts and refuses exactly what @scure/base does', () => {
    installLooseDecoder();
    for (const text of samples) expect(bytesFromBase64Url(text) === null ? null : [...bytesFromBase64Url(text)!], text).toEqual(scure(text));
    const text = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((bytes) => base64UrlFromBytes(bytes)),
      fc.string({ unit: fc.constantFrom(...'AQgw_-=+/ \nZz09'.split('')), maxLength: 12 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const got = bytesFromBase64Url(t);
        expect(got === null ? null : [...got]).toEqual(scure(t));
      }),
      { numRuns: 3000 },
    );
  });

  it("[X4] the engine's encoder, where there is one, writes what @scure/base writes", () => {
    const written = (bytes: Uint8Array) => base64UrlFromBytes(bytes);
    const expected = fc.sample(fc.uint8Array({ maxLength: 100 }), 300).map((bytes) => [bytes, written(bytes)] as const);
    (Uint8Array.prototype as unknown as { toBase64?: unknown }).toBase64 = function (this: Uint8Array, options: unknown) {
      expect(options).toEqual({ alphabet: 'base64url', omitPadding: true });
      return Buffer.from(this).toString('base64url');
    };
    for (const [bytes, text] of expected) expect(written(bytes)).toBe(text);
  });

  it('[X4] without it, @scure/base decodes, and bytes come back as they went', () => {
    expect((Uint8Array as unknown as WithNative).fromBase64).toBeUndefined();
    for (const text of samples) expect(bytesFromBase64Url(text) === null ? null : [...bytesFromBase64Url(text)!]).toEqual(scure(text));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect([...bytesFromBase64Url(base64UrlFromBytes(bytes))!]).toEqual([...bytes]);
      }),
    );
  });
});
