import { sha256 } from '@noble/hashes/sha2.js';
import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { hexToBytes, utf8ToBytes } from '../core/hex.js';
import type { ContactId, OrgFingerprint } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';

/**
 * D3: who serves each contact two organisations share, computed by each side on its own from what
 * a psi-v2 check left both holding: the doubly blinded values H(key)^(ab) of the keys they share.
 *
 * Which value decides (PROTOCOL.md §7.2). One person can share several keys, and one contact can
 * match two contacts on the other side (a duplicate there, or two people joined by different keys).
 * Neither side can see the other's grouping, so both state it: each sends, for each of its shared
 * contacts holding two or more shared values, the positions of those values in the sorted shared set
 * (a "link"). The groups are the connected components of the shared values under both sides' links;
 * every contact of a group, on either side, gets the group's outcome, so a person is never split.
 * A group's coin comes from its smallest value:
 *   coin = SHA-256("ihyid-assign-v1" ‖ value (32 bytes) ‖ lower fingerprint ‖ higher fingerprint),
 * fingerprints as their 32 ASCII letters, sorted; its first bit 0 means the lower fingerprint serves.
 */
export const ASSIGN_TAG = 'ihyid-assign-v1';
export const ASSIGN_RULES = ['coin', 'keeps', 'capacity'] as const;
export type AssignRule = (typeof ASSIGN_RULES)[number];
/** Why a group went where it went: `round` is an earlier pair of the same round (D4), binding. */
export const ASSIGN_REASONS = ['round', 'keeps', 'coin', 'capacity'] as const;
export type AssignReason = (typeof ASSIGN_REASONS)[number];

/** What one side holds after psi-v2: for each own contact offered, the shared values of its keys (lowercase hex). */
export type SharedByContact = ReadonlyMap<ContactId, readonly string[]>;

/** The sorted, distinct shared values: the same array on both sides of an honest check. */
export function sharedValues(shared: SharedByContact): string[] {
  const all = new Set<string>();
  for (const values of shared.values()) for (const x of values) all.add(x);
  return [...all].sort();
}

/** What each side tells the other before both assign (positions are indices into `sharedValues`). */
export interface SideStatement {
  /** Positions of the shared values of each own contact holding two or more, sorted; the list sorted. */
  readonly links: readonly (readonly number[])[];
  /** One position per own contact this side already serves (D3 "keeps"), sorted. */
  readonly serving: readonly number[];
  /** One position per own contact this side was given earlier in the same round (D4), sorted. */
  readonly bound: readonly number[];
  /** Capacity still free for this list (D3 capacity split); null: as many as needed. */
  readonly capacity: number | null;
}

export interface OwnFlags {
  readonly serving?: (id: ContactId) => boolean;
  readonly bound?: (id: ContactId) => boolean;
}

/** This side's statement: what its partner needs to form the same groups and apply the rule. */
export function ownStatement(shared: SharedByContact, values: readonly string[], flags: OwnFlags, capacity: number | null): SideStatement {
  const index = new Map(values.map((x, i) => [x, i]));
  const links = new Map<string, number[]>();
  const serving = new Set<number>();
  const bound = new Set<number>();
  for (const [id, xs] of shared) {
    const positions = [...new Set(xs.map((x) => index.get(x)!))].sort((a, b) => a - b);
    if (positions.length === 0) continue;
    if (positions.length > 1) links.set(positions.join(','), positions);
    if (flags.serving?.(id)) serving.add(positions[0]!);
    if (flags.bound?.(id)) bound.add(positions[0]!);
  }
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { links: [...links.values()].sort(compareLists), serving: sorted(serving), bound: sorted(bound), capacity };
}

function compareLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A statement received from the partner refers only to positions that exist, in the stated order. */
export function checkStatement(s: SideStatement, count: number): Result<SideStatement, ProtocolError> {
  const bad = (detail: string) => err(protocolError(ErrorCode.InvalidItem, detail));
  const ascending = (xs: readonly number[], min: number) => xs.every((x, i) => Number.isInteger(x) && x >= 0 && x < count && (i === 0 || x > xs[i - 1]!)) && xs.length >= min;
  for (let i = 0; i < s.links.length; i++) {
    if (!ascending(s.links[i]!, 2)) return bad(`link ${i} is not two or more ascending positions below ${count}`);
    if (i > 0 && compareLists(s.links[i - 1]!, s.links[i]!) >= 0) return bad(`links not sorted at ${i}`);
  }
  if (!ascending(s.serving, 0)) return bad('serving positions');
  if (!ascending(s.bound, 0)) return bad('bound positions');
  return ok(s);
}

/** Groups: connected components of positions 0..count-1 under both sides' links, each sorted, by first position. */
export function groupsOf(count: number, ...statements: readonly SideStatement[]): number[][] {
  const parent = Int32Array.from({ length: count }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const s of statements) {
    for (const link of s.links) {
      for (const x of link.slice(1)) {
        const [a, b] = [find(link[0]!), find(x)];
        // The smaller root wins, so a group's root is its smallest position.
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  return [...groups.values()];
}

export type OrgPair = readonly [lower: OrgFingerprint, higher: OrgFingerprint];

export function orgPair(a: OrgFingerprint, b: OrgFingerprint): OrgPair {
  if (a === b) throw new RangeError('an organisation cannot share a list with itself');
  return a < b ? [a, b] : [b, a];
}

/** SHA-256("ihyid-assign-v1" ‖ value ‖ lower ‖ higher): the coin's 32 bytes for one group. */
export function coinHash(value: string, orgs: OrgPair): Uint8Array {
  const [tag, x, lo, hi] = [utf8ToBytes(ASSIGN_TAG), hexToBytes(value), utf8ToBytes(orgs[0]), utf8ToBytes(orgs[1])];
  const input = new Uint8Array(tag.length + x.length + lo.length + hi.length);
  input.set(tag, 0);
  input.set(x, tag.length);
  input.set(lo, tag.length + x.length);
  input.set(hi, tag.length + x.length + lo.length);
  return sha256(input);
}

/** 0: the lower fingerprint serves; 1: the higher. The first bit of the coin hash. */
export const coinBit = (hash: Uint8Array): 0 | 1 => (hash[0]! >> 7) as 0 | 1;

export interface AssignedGroup {
  /** Positions in the shared values, ascending; the first is the value the coin came from. */
  readonly members: readonly number[];
  readonly server: OrgFingerprint;
  readonly reason: AssignReason;
}

export interface AssignInput {
  readonly values: readonly string[];
  readonly orgs: OrgPair;
  readonly rule: AssignRule;
  /** What the lower and the higher fingerprint stated, in that order. */
  readonly statements: readonly [SideStatement, SideStatement];
}

/**
 * D3 and D4: every group gets one server. In order: a group one side was given earlier in this round
 * stays with it (D4); then the rule. "keeps": the only side already serving keeps it, a tie falls to
 * the coin. "capacity": groups ranked by their coin hash, the first k to the lower fingerprint with
 * k in proportion to the two remaining capacities (capped at the number of groups). Groups both
 * sides were given earlier (possible only when matches are not transitive) fall to the coin.
 */
export function assign(input: AssignInput): AssignedGroup[] {
  const { values, orgs, rule, statements } = input;
  const groups = groupsOf(values.length, ...statements);
  const groupOf = new Int32Array(values.length);
  groups.forEach((g, i) => g.forEach((x) => (groupOf[x] = i)));
  const flagged = (pick: (s: SideStatement) => readonly number[]) =>
    statements.map((s) => {
      const hit = new Uint8Array(groups.length);
      for (const x of pick(s)) hit[groupOf[x]!] = 1;
      return hit;
    });
  const bound = flagged((s) => s.bound);
  const serving = flagged((s) => s.serving);
  const hashes = groups.map((g) => coinHash(values[g[0]!]!, orgs));
  const out: (AssignedGroup | null)[] = groups.map(() => null);
  const open: number[] = [];
  const decide = (i: number, side: 0 | 1, reason: AssignReason) => (out[i] = { members: groups[i]!, server: orgs[side], reason });
  for (let i = 0; i < groups.length; i++) {
    const [b0, b1] = [bound[0]![i], bound[1]![i]];
    if (b0 !== b1) decide(i, b0 ? 0 : 1, 'round');
    else if (b0) decide(i, coinBit(hashes[i]!), 'coin');
    else if (rule === 'keeps' && serving[0]![i] !== serving[1]![i]) decide(i, serving[0]![i] ? 0 : 1, 'keeps');
    else if (rule === 'capacity') open.push(i);
    else decide(i, coinBit(hashes[i]!), 'coin');
  }
  if (open.length > 0) {
    const n = open.length;
    const [c0, c1] = statements.map((s) => Math.min(s.capacity ?? n, n)) as [number, number];
    // Integer rounding of n·c0/(c0+c1), exact in doubles for any count this protocol allows.
    const k = c0 + c1 === 0 ? Math.floor((n + 1) / 2) : Math.floor((2 * n * c0 + c0 + c1) / (2 * (c0 + c1)));
    open.sort((a, b) => compareBytes(hashes[a]!, hashes[b]!) || a - b);
    open.forEach((i, rank) => decide(i, rank < k ? 0 : 1, 'capacity'));
  }
  return out as AssignedGroup[];
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

export interface ContactOutcome {
  readonly server: OrgFingerprint;
  readonly reason: AssignReason;
}

/** Each own shared contact's outcome: that of the group its values belong to (all in one group by construction). */
export function contactOutcomes(shared: SharedByContact, values: readonly string[], groups: readonly AssignedGroup[]): Map<ContactId, ContactOutcome> {
  const index = new Map(values.map((x, i) => [x, i]));
  const byPosition = new Map<number, AssignedGroup>();
  for (const g of groups) for (const x of g.members) byPosition.set(x, g);
  const out = new Map<ContactId, ContactOutcome>();
  for (const [id, xs] of shared) {
    const g = xs.length ? byPosition.get(index.get(xs[0]!)!) : undefined;
    if (g) out.set(id, { server: g.server, reason: g.reason });
  }
  return out;
}
