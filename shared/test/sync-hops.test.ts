import { describe, expect, it } from 'vitest';
import { revocationTimes, type ValidRevocation } from '../src/identity/revocation.js';
import type { PublicKeyHex } from '../src/identity/keys.js';
import { countingRevocations, hopKey, hopOf, revokedHop } from '../src/sync/version.js';

const C = 'c3'.repeat(32) as PublicKeyHex;
const D = 'd4'.repeat(32) as PublicKeyHex;
const ADMIN = 'a1'.repeat(32) as PublicKeyHex;
const revocation = (device: PublicKeyHex, at: number, authority: PublicKeyHex[] = []): ValidRevocation =>
  ({ body: { v: 1, kind: 'device-revocation', org: 'ee'.repeat(32), issuer: authority.at(-1) ?? 'ee'.repeat(32), device, at, reason: 'lost' }, authority }) as unknown as ValidRevocation;

describe('hops of a received version (I10, §6.7)', () => {
  it('[I10] a hop names the sender by its key prefix and the receiver\'s time; a hop taken after its key\'s revocation refuses the version', () => {
    expect(hopOf(C, 1767225600000.7)).toBe(`${C.slice(0, 16)}:1767225600000`);
    const revoked = new Map([[hopKey(C), 1000]]);
    expect(revokedHop([hopOf(D, 5000), hopOf(C, 999)], revoked)).toBeNull();
    // The revocation's own millisecond counts as before it.
    expect(revokedHop([hopOf(C, 1000), hopOf(D, 5000)], revoked)).toBeNull();
    expect(revokedHop([hopOf(C, 1001), hopOf(D, 5000)], revoked)).toBe(hopOf(C, 1001));
    expect(revokedHop([hopOf(D, 5000), hopOf(C, 4000)], revoked)).toBe(hopOf(C, 4000));
    // Nothing revoked: every path passes; a malformed hop never does.
    expect(revokedHop([hopOf(C, 4000)], new Map())).toBeNull();
    expect(revokedHop(['nonsense'], new Map())).toBe('nonsense');
  });

  it('[I10] the vector of PROTOCOL §6.7: B (the admin laptop of §5) hands a version over; with the root\'s revocation of B held, a hop after it refuses, a hop before it passes', () => {
    const B = '7a68e3f58d8271f36fa2634639b8863944bc8430f349007827b5a220de06e139';
    const A = '682064f9dffa3792af20acf8353acaf879cedde030e97e3db2c6a11f4dea6881';
    expect(hopOf(B, 1767225600000)).toBe('7a68e3f58d8271f3:1767225600000');
    const held = revocationTimes([revocation(B as PublicKeyHex, 1767225500000)]);
    const revoked = new Map([...held].map(([key, at]) => [hopKey(key), at]));
    expect(revokedHop(['7a68e3f58d8271f3:1767225600000'], revoked)).toBe('7a68e3f58d8271f3:1767225600000');
    expect(revokedHop(['7a68e3f58d8271f3:1767225400000', hopOf(A, 1767225600000)], revoked)).toBeNull();
    expect(hopOf(A, 1767225600000)).toBe('682064f9dffa3792:1767225600000');
  });

  it('[I10] a key\'s revocation takes effect at its earliest counting revocation; an admin\'s revocation undone by the root does not count', () => {
    const times = revocationTimes([revocation(C, 3000, [ADMIN]), revocation(C, 2000), revocation(D, 1000, [ADMIN]), revocation(ADMIN, 500)]);
    // D was revoked by an admin the root revoked: that revocation is void; C's root revocation at 2000 is the earliest that counts.
    expect(times.get(C)).toBe(2000);
    expect(times.has(D)).toBe(false);
    expect(times.get(ADMIN)).toBe(500);
  });

  it('[I10] a revocation its issuer handed on after its own revocation does not count: a revoked admin cannot revoke an honest device by dating it back', () => {
    const E = 'e5'.repeat(32) as PublicKeyHex;
    const ADMIN2 = 'b2'.repeat(32) as PublicKeyHex;
    // ADMIN2 revoked ADMIN at 1000 (not the root: ADMIN's own revocations stay valid by their chain); E relayed it.
    const ofAdmin = { revocation: revocation(ADMIN, 1000, [ADMIN2]), via: [hopOf(E, 1500)] };
    // ADMIN, revoked, made a revocation of honest D dated 900 and handed it to E at 2000; E passed it on.
    const forged = { revocation: revocation(D, 900, [ADMIN]), via: [hopOf(ADMIN, 2000), hopOf(E, 2100)] };
    // Before ADMIN's revocation, its revocation of C reached E: it counts.
    const earlier = { revocation: revocation(C, 800, [ADMIN]), via: [hopOf(ADMIN, 950)] };
    const kept = countingRevocations([ofAdmin, forged, earlier]);
    expect(kept).toEqual([ofAdmin, earlier]);
    const times = revocationTimes(kept.map((r) => r.revocation));
    expect(times.has(D)).toBe(false);
    expect(times.get(C)).toBe(800);
    // Without the revocation of ADMIN nothing says its hop came late: the forged one counts until it arrives.
    expect(countingRevocations([forged, earlier])).toEqual([forged, earlier]);
    // A relay does not void what it relays, even one a void revocation names: E, "revoked" by the late ADMIN, passed ADMIN's own revocation on.
    const ofE = { revocation: revocation(E, 1200, [ADMIN]), via: [hopOf(ADMIN, 3000)] };
    const throughE = { revocation: revocation(C, 1300), via: [hopOf(E, 1400)] };
    expect(countingRevocations([ofAdmin, ofE, throughE])).toEqual([ofAdmin, throughE]);
  });
});
