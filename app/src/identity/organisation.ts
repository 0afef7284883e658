import * as v from 'valibot';
import {
  countingRevocations,
  DeviceCertSchema,
  orgOfChain,
  revocationId,
  validateRevocation,
  type DeviceCert,
  type PublicKeyHex,
  type SignedRevocation,
  type ValidRevocation,
  type Verifier,
} from '@ihyid/shared';
import type { IdentityDb } from './db';

/**
 * I10: what the partner handshake needs of this device's organisation (PROTOCOL.md "Handshake"):
 * the chain that makes this device's key one of the organisation's, and the organisation's
 * revocations to hand to partners. Both live in the organisation's own stores (the chain in the
 * settings, the revocations replicated with the records), which main.tsx passes in as this source.
 */
export interface OrganisationSource {
  /** The stored chain (setting `device-chain`), as data to parse; nothing on the organisation's first device. */
  chain(): Promise<unknown>;
  /**
   * Our organisation's revocations as held, unchecked, each with the hops it came by (§6.7; none for
   * one made here); none on a device that does not sync (a checker's, X1).
   */
  revocations(): Promise<readonly HeldRevocation[]>;
}

/** A revocation as a device holds it: the signed form, unchecked, and the hops it came by (§6.7). */
export interface HeldRevocation {
  readonly signed: unknown;
  readonly via: readonly string[];
}

/** Who this device is for partners: its organisation's root key, and its chain to it (empty on the root device). */
export interface OwnOrganisation {
  readonly org: PublicKeyHex;
  readonly chain: readonly DeviceCert[];
}

/** A stored chain is data to parse: an odd row reads as no chain (the device then speaks as its own root). */
export function parseOwnChain(raw: unknown): DeviceCert[] {
  const stored = v.safeParse(v.array(DeviceCertSchema), raw);
  return stored.success ? stored.output : [];
}

export async function loadOwnOrganisation(source: OrganisationSource | undefined, deviceKey: PublicKeyHex): Promise<OwnOrganisation> {
  const chain = parseOwnChain(await source?.chain());
  return { org: orgOfChain(chain, deviceKey), chain };
}

/**
 * Our organisation's revocations that verify under its root and count by how they came (shared
 * `countingRevocations`: not one its revoked issuer handed on late): the ones partners are sent, who
 * never withdraw one.
 */
export async function ownRevocations(source: OrganisationSource | undefined, org: PublicKeyHex, now: number, verify: Verifier): Promise<SignedRevocation[]> {
  return (await countingOwnRevocations((await source?.revocations()) ?? [], org, now, verify)).map((held) => held.signed);
}

/**
 * Of our organisation's held revocations, those that verify under its root and count by how they came
 * (shared `countingRevocations`, §6.7), each checked and signed: what partners are sent, what the
 * hop check and `dev-auth` rely on (device-sync.ts).
 */
export async function countingOwnRevocations(held: readonly HeldRevocation[], org: PublicKeyHex, now: number, verify: Verifier): Promise<{ revocation: ValidRevocation; signed: SignedRevocation }[]> {
  const valid: { revocation: ValidRevocation; via: readonly string[]; signed: SignedRevocation }[] = [];
  for (const one of held) {
    const checked = await validateRevocation(one.signed, { org, now, verify });
    if (checked.ok) valid.push({ revocation: checked.value, via: one.via, signed: one.signed as SignedRevocation });
  }
  return countingRevocations(valid);
}

/** The revocations kept for a partner organisation (checked again by whoever uses them). */
export async function keptRevocations(db: IdentityDb, org: PublicKeyHex): Promise<SignedRevocation[]> {
  return (await db.revocations.where('org').equals(org).toArray()).map((row) => row.revocation);
}

/** Keeps what a partner's device handed over (already validated by the handshake); a revocation is never withdrawn. */
export async function keepRevocations(db: IdentityDb, org: PublicKeyHex, revocations: readonly SignedRevocation[]): Promise<void> {
  if (revocations.length === 0) return;
  await db.revocations.bulkPut(revocations.map((revocation) => ({ id: revocationId(revocation.body), org, revocation })));
}
