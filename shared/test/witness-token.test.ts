import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyPow } from '../src/identity/pow.js';
import {
  declarationStampPrefix,
  isWholeUtcHour,
  verifyDeclarationStamp,
  witnessToken,
  witnessTokenExpiry,
  type WitnessToken,
} from '../src/witness/index.js';
import { bytesToHex } from '../src/core/hex.js';

const A = '6f1c2a4e-8b3d-4c5a-9e7f-0a1b2c3d4e5f';
const B = '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100';

describe('witness token (W3)', () => {
  it('[W3] is lowercase hex SHA-256 of both contact ids sorted and concatenated (vector checked with Python hashlib)', () => {
    // hashlib.sha256((B + A).encode()).hexdigest(): B sorts first.
    expect(witnessToken(A, B)).toBe('927685b5df8a3e4fcbfda5801ce4800d54791464fbb7f82b3eac9c2e6eabd3e9');
  });

  it('[W3] does not depend on which side computes it', () => {
    expect(witnessToken(B, A)).toBe(witnessToken(A, B));
  });

  it('[W3] agrees with node:crypto for the extreme ids', () => {
    const low = '00000000-0000-4000-8000-000000000000';
    const high = 'ffffffff-ffff-4fff-bfff-ffffffffffff';
    const expected = createHash('sha256').update(low + high, 'utf8').digest('hex');
    expect(witnessToken(high, low)).toBe(expected);
    expect(expected).toBe('457251bc1b8fd10aa187662c636a2f662025bf7c195edefdd172abd755482548');
  });
});

/** An independent reference: walk hour by hour from creation + 15 days to the first deletion hour. */
function referenceExpiry(createdIso: string, hour: number): string {
  const earliest = new Date(createdIso).getTime() + 15 * 86_400_000;
  let t = Math.ceil(earliest / 3_600_000) * 3_600_000;
  while (new Date(t).getUTCHours() !== hour) t += 3_600_000;
  return new Date(t).toISOString();
}

describe('witness token expiry (W4)', () => {
  const check = (createdIso: string, expectedIso: string, hour?: number) => {
    const got = witnessTokenExpiry(new Date(createdIso), hour).toISOString();
    expect(got).toBe(expectedIso);
    expect(got).toBe(referenceExpiry(createdIso, hour ?? 3));
  };

  it('[W4] created at 02:59 UTC expires 15 days later at 03:00 the same day', () => {
    check('2026-11-21T02:59:00.000Z', '2026-12-06T03:00:00.000Z');
  });

  it('[W4] created exactly at 03:00 UTC expires exactly 15 days later ("at or after")', () => {
    check('2026-11-21T03:00:00.000Z', '2026-12-06T03:00:00.000Z');
  });

  it('[W4] created at 03:01 UTC waits for the next day\'s 03:00', () => {
    check('2026-11-21T03:01:00.000Z', '2026-12-07T03:00:00.000Z');
  });

  it('[W4] one millisecond past the hour already counts as after it', () => {
    check('2026-11-21T03:00:00.001Z', '2026-12-07T03:00:00.000Z');
  });

  it('[W4] crosses a year end and a leap day', () => {
    check('2026-12-20T12:00:00.000Z', '2027-01-05T03:00:00.000Z');
    check('2028-02-14T03:00:00.001Z', '2028-03-01T03:00:00.000Z');
  });

  it('[W4] honours another configured deletion hour', () => {
    check('2026-11-21T23:30:00.000Z', '2026-12-07T00:00:00.000Z', 0);
    check('2026-11-21T22:59:59.999Z', '2026-12-06T23:00:00.000Z', 23);
  });

  it('[W4] every expiry is a whole hour, at least 15 days and less than 16 days after creation', () => {
    for (let i = 0; i < 500; i++) {
      const created = new Date(Date.UTC(2026, 0, 1) + i * 7_919_933);
      const expiry = witnessTokenExpiry(created);
      const delta = expiry.getTime() - created.getTime();
      expect(isWholeUtcHour(expiry)).toBe(true);
      expect(expiry.getUTCHours()).toBe(3);
      expect(delta).toBeGreaterThanOrEqual(15 * 86_400_000);
      expect(delta).toBeLessThan(16 * 86_400_000);
    }
  });

  it('[W4] refuses a deletion hour that is not a whole hour of the day', () => {
    expect(() => witnessTokenExpiry(new Date(), 24)).toThrow(RangeError);
    expect(() => witnessTokenExpiry(new Date(), 2.5)).toThrow(RangeError);
  });
});

describe('declaration stamp (W5)', () => {
  const challenge = bytesToHex(Uint8Array.from({ length: 32 }, (_, i) => i));
  const alerts = [{ token: witnessToken(A, B), expiresAt: Date.parse('2026-12-06T03:00:00Z') }];

  it('[W5] hashes domain ‖ challenge ‖ token ‖ expiry as PROTOCOL.md says (vector from Python hashlib)', () => {
    expect(bytesToHex(declarationStampPrefix(challenge, alerts))).toBe('6547486aa81e38d670ab5372ea12bf7065da8535a6c0451c281f3d7cf5950614');
  });

  it('[W5] accepts the first 12-bit nonce found independently and refuses a harder difficulty for it', () => {
    expect(verifyDeclarationStamp(challenge, alerts, 1133, 12)).toBe(true);
    expect(verifyDeclarationStamp(challenge, alerts, 1132, 12)).toBe(false);
    expect(verifyDeclarationStamp(challenge, alerts, 1133, 13)).toBe(false);
  });

  it('[W5] binds the exact alerts and the challenge: changing either breaks the stamp', () => {
    const other = [{ token: 'f'.repeat(64) as WitnessToken, expiresAt: alerts[0]!.expiresAt }];
    expect(verifyDeclarationStamp(challenge, other, 1133, 12)).toBe(false);
    expect(verifyDeclarationStamp(challenge, [{ ...alerts[0]!, expiresAt: alerts[0]!.expiresAt + 3_600_000 }], 1133, 12)).toBe(false);
    expect(verifyDeclarationStamp('00'.repeat(32), alerts, 1133, 12)).toBe(false);
    expect(verifyDeclarationStamp('not hex', alerts, 1133, 12)).toBe(false);
  });

  it('[W5] uses the shared proof-of-work kernel (pow.ts) over the 32-byte prefix', () => {
    expect(verifyPow(declarationStampPrefix(challenge, alerts), 1133, 12)).toBe(true);
  });
});
