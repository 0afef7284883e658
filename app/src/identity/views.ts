import {
  attestationsAbout,
  fingerprintOf,
  type IdentityRecord,
  type LedgerState,
  type OrgFingerprint,
  type PublicKeyHex,
} from '@ihyid/shared';
import type { HeldRow, PeerRow, RequestRow, TrustRow } from './db';

/** What the identity screens show, computed from the folded ledger and the local tables. */

export interface Badge {
  attestationId: string;
  name: string;
  attester: PublicKeyHex;
  attesterFingerprint: OrgFingerprint;
  attesterName: string | null;
  trusted: boolean;
  expires: number;
}

export interface PartnerView {
  key: PublicKeyHex;
  fingerprint: OrgFingerprint;
  orgName: string | null;
  /** Null while the partner has no registration in our ledger (I6: refused for checks). */
  record: IdentityRecord | null;
  lastSeen: number | null;
  badges: Badge[];
  trustedAsAttester: boolean;
}

export interface HeldView extends HeldRow {
  attester: PublicKeyHex;
  attesterFingerprint: OrgFingerprint;
  expires: number;
  standing: 'valid' | 'withdrawn' | 'expired';
}

export interface Tables {
  peers: PeerRow[];
  trust: TrustRow[];
  held: HeldRow[];
  requests: RequestRow[];
}

/**
 * I7: the attesters whose word this device takes: those its user chose to trust, and itself (what we
 * attested ourselves needs no one else's word). Badges and presented attestations use the same set.
 */
export function trustedAttesters(trust: readonly TrustRow[], self: PublicKeyHex | null): Set<string> {
  return new Set<string>([...trust.map((r) => r.key), ...(self ? [self] : [])]);
}

export function partnerViews(state: LedgerState, self: PublicKeyHex | null, t: Tables): PartnerView[] {
  const names = new Map(t.peers.map((p) => [p.key, p]));
  const trusted = trustedAttesters(t.trust, self);
  const keys = new Set<PublicKeyHex>([...state.identities.keys(), ...t.peers.map((p) => p.key)]);
  if (self) keys.delete(self);
  return [...keys]
    .map((key) => {
      const peer = names.get(key);
      const badges = attestationsAbout(state, key, trusted).map((v) => {
        const r = v.record!;
        return {
          attestationId: r.id,
          name: r.name,
          attester: r.attester,
          attesterFingerprint: fingerprintOf(r.attester),
          attesterName: r.attester === self ? 'us' : (names.get(r.attester)?.orgName ?? null),
          trusted: v.status === 'trusted',
          expires: r.expires,
        };
      });
      return {
        key,
        // I10: a partner's device shows its organisation's fingerprint, as the partner card does.
        fingerprint: fingerprintOf(peer?.org ?? key),
        orgName: peer?.orgName ?? null,
        record: state.identities.get(key) ?? null,
        lastSeen: Math.max(peer?.lastSeen ?? 0, state.identities.get(key)?.lastSeen ?? 0) || null,
        badges,
        trustedAsAttester: t.trust.some((r) => r.key === key),
      };
    })
    .sort((a, b) => (b.lastSeen ?? 0) - (a.lastSeen ?? 0));
}

export function heldViews(state: LedgerState, held: HeldRow[]): HeldView[] {
  return held.flatMap((h) => {
    const r = state.attestations.get(h.attestationId);
    if (!r) return [];
    const standing = r.revokedAt !== null ? 'withdrawn' : state.now >= r.expires ? 'expired' : 'valid';
    return [{ ...h, attester: r.attester, attesterFingerprint: fingerprintOf(r.attester), expires: r.expires, standing }];
  });
}
