import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '../../src/core/hex.js';
import type { ContactId, OrgFingerprint } from '../../src/core/ids.js';
import { fingerprintOf, type Signer } from '../../src/identity/keys.js';
import { signerFromSecretKey, strictVerify } from '../../src/identity/ed25519.js';
import {
  assignPair,
  concludePair,
  openPair,
  type AgreedPair,
  type AgreedPairSink,
  type HeldPair,
  type AssignRule,
  type OwnFlags,
  type PairContext,
  type SharedByContact,
} from '../../src/lists/index.js';
import type { ListId } from '../../src/lists/list.js';
import { VECTORS, type Label } from '../identity-fixtures.js';

/**
 * Organisations for list tests: a signer, a fingerprint and contacts with match keys. psi-v2 is
 * simulated by its outcome only: a key both hold becomes the same "doubly blinded" value on both
 * sides (SHA-256 of the key), a key only one side holds becomes nothing. The real flow is tested
 * in lists-negotiation.test.ts.
 */
export interface SimOrg {
  readonly label: Label;
  readonly signer: Signer;
  readonly fp: OrgFingerprint;
  readonly contacts: Map<ContactId, string[]>;
}

export function simOrg(label: Label, contacts: Map<ContactId, string[]> = new Map()): SimOrg {
  const signer = signerFromSecretKey(hexToBytes(VECTORS[label].sk));
  return { label, signer, fp: fingerprintOf(signer.publicKey), contacts };
}

export const simValue = (key: string): string => bytesToHex(sha256(new TextEncoder().encode(`psi-sim:${key}`)));

/** What psi-v2 leaves `me` holding against `them`, restricted to the contacts offered. */
export function simShared(me: SimOrg, them: SimOrg, offered: (id: ContactId) => boolean = () => true, theirOffered: (id: ContactId) => boolean = () => true): SharedByContact {
  const theirKeys = new Set<string>();
  for (const [id, keys] of them.contacts) if (theirOffered(id)) keys.forEach((k) => theirKeys.add(k));
  const out = new Map<ContactId, string[]>();
  for (const [id, keys] of me.contacts) {
    if (!offered(id)) continue;
    const shared = [...new Set(keys)].filter((k) => theirKeys.has(k)).map(simValue);
    if (shared.length) out.set(id, shared);
  }
  return out;
}

export class MemorySink implements AgreedPairSink {
  readonly saved: AgreedPair[] = [];
  /** How many times `heldWith` read the stored pairs. */
  heldReads = 0;
  async savePair(pair: AgreedPair): Promise<void> {
    this.saved.push(pair);
  }
  async heldWith(partner: OrgFingerprint): Promise<HeldPair[]> {
    this.heldReads++;
    return this.saved.filter((p) => p.ctx.partner === partner).map((p) => ({ roundId: p.ctx.roundId, checkId: p.ctx.checkId })).reverse();
  }
  async undoPairs(partner: OrgFingerprint, pairs: readonly HeldPair[]): Promise<void> {
    const undo = new Set(pairs.map((p) => `${p.roundId}|${p.checkId}`));
    this.saved.splice(0, this.saved.length, ...this.saved.filter((p) => p.ctx.partner !== partner || !undo.has(`${p.ctx.roundId}|${p.ctx.checkId}`)));
  }
}

export interface Side {
  readonly org: SimOrg;
  readonly shared: SharedByContact;
  readonly flags?: OwnFlags;
  readonly capacity?: number | null;
}

const LIST = '00000000-0000-4000-8000-000000000001' as ListId;
const CHECK = '00000000-0000-4000-8000-000000000002';

/** Both sides of one pair, each computing on its own from what it holds and what the other sent. */
export async function negotiate(a: Side, b: Side, rule: AssignRule, roundId = '') {
  const ctx = (self: SimOrg, partner: SimOrg): PairContext => ({ listId: LIST, roundId, checkId: CHECK, self: self.fp, partner: partner.fp, rule });
  const openA = openPair(ctx(a.org, b.org), a.shared, a.flags ?? {}, a.capacity ?? null);
  const openB = openPair(ctx(b.org, a.org), b.shared, b.flags ?? {}, b.capacity ?? null);
  const assignedA = await assignPair(openA, openB.statement, a.org.signer);
  const assignedB = await assignPair(openB, openA.statement, b.org.signer);
  if (!assignedA.ok || !assignedB.ok) throw new Error('statement refused');
  const sinkA = new MemorySink();
  const sinkB = new MemorySink();
  const doneA = await concludePair(assignedA.value, assignedB.value.ours, b.org.signer.publicKey, strictVerify, sinkA);
  const doneB = await concludePair(assignedB.value, assignedA.value.ours, a.org.signer.publicKey, strictVerify, sinkB);
  return { a: assignedA.value, b: assignedB.value, doneA, doneB, sinkA, sinkB };
}
