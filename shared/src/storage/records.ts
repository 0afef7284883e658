import type { CheckId, ContactId } from '../core/ids.js';
import type { Contact } from '../contact/contact.js';
import { chooseFields, type MergeChoices } from '../contact/merge-fields.js';

/**
 * The records the organisation's stores keep, as plain data. The stores (`contact-store.ts`) are
 * the only way features reach them; how they sit at rest is each implementation's business.
 */

/**
 * R8: a pair of contacts that share at least one match key, and what the caseworker decided. One
 * row per unordered pair (id = the two ids sorted and joined by '|'), so a decision is remembered
 * for that pair and never asked again.
 */
export interface DuplicatePair {
  id: string;
  /** The two contact ids, a < b. */
  a: string;
  b: string;
  /** The match keys both share (canonical JSON), to show why they look alike. */
  keys: string[];
  status: 'pending' | 'same' | 'different';
  foundAt: string;
  /** 'save' (the editor) or the import job's id. */
  foundBy: string;
  decidedAt?: string;
  decidedBy?: string;
  /** For 'same': the contact kept; the other is in `merged`. */
  keptId?: string;
}

/** R8: a contact merged into another. Its whole record is kept, so both histories survive. */
export interface MergedContact {
  id: string;
  intoId: string;
  mergedAt: string;
  mergedBy: string;
  record: Contact;
}

/** Who decided, and when. */
export interface Decider {
  by: string;
  at: Date;
}

/** A5: one row per contact found in a partner's list by one completed check. */
export interface OverlapResult {
  id: string;
  contactId: ContactId;
  checkId: CheckId;
  partnerName: string;
  protocol: string;
  checkedAt: string;
}

/** A completed check, stored in the same transaction as its per-contact results (A8). */
export interface CheckRecord {
  id: CheckId;
  partnerName: string;
  protocol: string;
  role: 'asked' | 'answered';
  checkedAt: string;
  sent: number;
  known: number;
}

/**
 * A10: what the user should know about a check that did not finish: a partner may have learned
 * something from us. Never partner data. One row per event (id `exposed:<checkId>`).
 */
export interface CheckAuditEntry {
  id: string;
  kind: 'check-exposed';
  checkId: CheckId;
  partnerName: string;
  /** The partner's verified key fingerprint (I8), when the session had one. */
  partnerFingerprint: string | null;
  protocol: string;
  /** At most how many of the partner's entries it may have learned we hold. */
  upTo: number;
  at: string;
}

/**
 * I9: a partner organisation this one is bound to through a used invitation. Both sides keep the pair
 * secret and meet again under it (its own room id and link key), each expecting the other's key.
 */
export interface Bond {
  /** The partner's verified key fingerprint. */
  fingerprint: string;
  name: string;
  /** base64url of the 32-byte pair secret. */
  pairSecret: string;
  boundAt: string;
}

/** An invitation this organisation created; the secret stays on this device and in the link. */
export interface Invitation {
  id: string;
  /** base64url of 32 random bytes; only its HMAC (the room id) reaches the server (I8). */
  secret: string;
  createdAt: string;
  label: string;
  /** I9: links expire (7 days by default) and work once; rows from before I9 lack these and count from createdAt. */
  expiresAt?: string;
  status?: 'open' | 'used' | 'revoked';
  /** Who used it (verified fingerprint), so the link is listed under the partner's name. */
  partnerName?: string;
  partnerFingerprint?: string;
  usedAt?: string;
  /** I9: the server confirmed the room of this used or revoked link closed; until then a close is owed. */
  roomClosed?: boolean;
}

/** I9: a used or revoked link owes the server a `close-room` until the server confirmed it. */
export function owesClose(i: Invitation): boolean {
  return (i.status === 'used' || i.status === 'revoked') && i.roomClosed !== true;
}

/** The id of an unordered pair: the same whichever contact comes first. */
export function pairId(x: string, y: string): string {
  return x < y ? `${x}|${y}` : `${y}|${x}`;
}

export interface PairInput {
  a: string;
  b: string;
  keys: readonly string[];
  foundBy: string;
  at: Date;
}

/** A pending pair for review. */
export function pendingPair(p: PairInput): DuplicatePair {
  const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
  return { id: pairId(a, b), a, b, keys: [...p.keys], status: 'pending', foundAt: p.at.toISOString(), foundBy: p.foundBy };
}

/** What a merge writes, computed once for every store (`planMerge`). */
export interface MergePlan {
  kept: Contact;
  merged: MergedContact;
  /** Pairs to delete (the merged record's pending pairs), then pairs to put. */
  deletePairs: string[];
  putPairs: DuplicatePair[];
}

/**
 * "Same person" (R8): `keep` stays, with the values `choices` picks field by field (a known value
 * by default, `chooseFields`), the other's names as aliases, and the other's keys, so later
 * spellings of either still find it; `gone` is kept whole in `merged`; the pair is recorded as 'same'; the merged record's
 * pending pairs move to the kept one unless that pair is already known. `touching` are the pairs
 * naming `gone`; `known(id)` says whether a pair id is stored (after the deletions).
 */
export function planMerge(
  keep: Contact,
  gone: Contact,
  before: DuplicatePair | undefined,
  touching: readonly DuplicatePair[],
  known: (id: string) => boolean,
  who: Decider,
  choices: MergeChoices = {},
): MergePlan {
  const at = who.at.toISOString();
  const keys = [...new Set([...(keep.matchKeys ?? []), ...(gone.matchKeys ?? []), ...(choices.matchKeys ?? [])])];
  const { aliases: _before, imports: _own, ...kept } = keep;
  // D1: the kept record was in every file either was in.
  const imports = [...new Set([...(keep.imports ?? []), ...(gone.imports ?? [])])];
  const [a, b] = keep.id < gone.id ? [keep.id, gone.id] : [gone.id, keep.id];
  const same: DuplicatePair = {
    id: pairId(keep.id, gone.id),
    a,
    b,
    keys: before?.keys ?? [],
    status: 'same',
    foundAt: before?.foundAt ?? at,
    foundBy: before?.foundBy ?? 'save',
    decidedAt: at,
    decidedBy: who.by,
    keptId: keep.id,
  };
  const deletePairs: string[] = [];
  const putPairs: DuplicatePair[] = [same];
  for (const p of touching) {
    if (p.status !== 'pending' || p.id === same.id) continue;
    deletePairs.push(p.id);
    const other = p.a === gone.id ? p.b : p.a;
    const moved = pendingPair({ a: keep.id, b: other, keys: p.keys, foundBy: p.foundBy, at: new Date(p.foundAt) });
    if (!known(moved.id) && !putPairs.some((q) => q.id === moved.id)) putPairs.push(moved);
  }
  return {
    kept: {
      ...kept,
      ...chooseFields(keep, gone, choices.fields),
      ...(choices.phoneticIdV0 !== undefined ? { phoneticIdV0: choices.phoneticIdV0 } : {}),
      matchKeys: keys,
      ...(imports.length > 0 ? { imports } : {}),
      updatedAt: at,
    },
    merged: { id: gone.id, intoId: keep.id, mergedAt: at, mergedBy: who.by, record: gone },
    deletePairs,
    putPairs,
  };
}
