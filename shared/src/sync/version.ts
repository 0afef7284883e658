import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import * as v from 'valibot';
import { bytesToHex } from '../core/hex.js';
import { err, ok, type Result } from '../core/result.js';
import { taggedMessage } from '../identity/keys.js';
import { revocationTimes, type ValidRevocation } from '../identity/revocation.js';
import { formatHlc, isHlcText, parseHlc, type HlcClock } from './hlc.js';

/**
 * X4: the unit of replication is an immutable record version. Editing a record never overwrites
 * anything: it adds a version whose `parents` are the versions it replaces, so a device's whole
 * store is a grow-only set of versions and two devices converge by taking the union of their sets
 * (a G-Set, the simplest CRDT). What a record *is* follows from that set alone (merge.ts): the
 * versions no other version names as a parent are its heads; one head is the record, several
 * heads are a conflict to resolve, a head that is a tombstone is a deletion. No version is ever
 * dropped, so no edit is ever lost.
 *
 * A version is content-addressed, like a ledger event (identity/events.ts):
 *
 *   message = UTF-8("ihyid-sync-version-v1" LF canonical-JSON(body))
 *   id      = lowercase hex SHA-256(message)
 *
 * The id is computed by whoever holds the body and never taken from the wire.
 */
export const VERSION_TAG = 'ihyid-sync-version-v1';
/** A version's opaque payload (the encrypted record in the app): a contact with long notes fits. */
export const MAX_VERSION_DATA_CHARS = 16 * 1024;
/** Parents of one version: the heads it resolves. More than this is a bug or an attack. */
export const MAX_PARENTS = 32;

export type VersionId = string & { readonly __brand: 'VersionId' };
/** `<collection>/<key>`, e.g. `contacts/6f1c…`: what a version is a version of. */
export type RecordKey = string & { readonly __brand: 'RecordKey' };

const RECORD_KEY = /^[a-z][a-z0-9-]{0,31}\/[0-9A-Za-z_-]{1,64}$/;
const Hex32 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

export const RecordKeySchema = v.pipe(v.string(), v.regex(RECORD_KEY), v.transform((s) => s as RecordKey));
export const VersionIdSchema = v.pipe(Hex32, v.transform((s) => s as VersionId));

const strictlyAscending = (ids: VersionId[]) => ids.every((id, i) => i === 0 || ids[i - 1]! < id);

export const VersionBodySchema = v.pipe(
  v.strictObject({
    v: v.literal(1),
    record: RecordKeySchema,
    /** The author's HLC stamp; its node is the authoring device. */
    hlc: v.pipe(v.string(), v.check(isHlcText, 'not an HLC stamp')),
    /** Sorted and unique, so that one set of parents has one spelling. */
    parents: v.pipe(v.array(VersionIdSchema), v.maxLength(MAX_PARENTS), v.check<VersionId[], string>(strictlyAscending, 'parents not sorted')),
    op: v.picklist(['put', 'delete']),
    /** The record's content, opaque here: present on a put, absent on a delete. */
    data: v.optional(v.pipe(v.string(), v.maxLength(MAX_VERSION_DATA_CHARS))),
    /** On a delete that merged this record into another (a duplicate merged, R5): where it went. */
    mergedInto: v.optional(RecordKeySchema),
  }),
  v.check((b) => (b.op === 'put') === (b.data !== undefined), 'a put carries data, a delete none'),
  v.check((b) => b.op === 'delete' || b.mergedInto === undefined, 'only a delete is merged into another record'),
);

export type VersionBody = v.InferOutput<typeof VersionBodySchema>;

/**
 * I10, X4: how a version reached this device, one hop per device it passed (PROTOCOL.md §6.7): the
 * sending device's key prefix and the time the receiving device took it, on the receiver's clock,
 * `<16 hex>:<ms>`. Not part of the body or the id: each device appends the hop it saw itself, the
 * sender's key being the one `dev-auth` proved. A version with a hop naming a key revoked before that
 * hop's time is refused: a revoked device cannot backdate the hop another device records.
 */
export const MAX_HOPS = 16;
const HOP = /^([0-9a-f]{16}):([0-9]{1,15})$/;
export const HopSchema = v.pipe(v.string(), v.regex(HOP));
export const ViaSchema = v.pipe(v.array(HopSchema), v.maxLength(MAX_HOPS));

/** The hop a device records for a version `from` (a device key, hex) handed it at `at` (ms). */
export const hopOf = (from: string, at: number): string => `${from.slice(0, 16)}:${Math.floor(at)}`;

/** The 16-hex prefix a hop and a revocation map are keyed by. */
export const hopKey = (key: string): string => key.slice(0, 16);

/**
 * The first hop of `via` taken after the revocation of the key it names (`revokedAt`: key prefix →
 * the revocation's time), or null when every hop was taken from a device not revoked then (a hop at
 * the very millisecond of the revocation counts as before it).
 */
export function revokedHop(via: readonly string[], revokedAt: ReadonlyMap<string, number>): string | null {
  for (const hop of via) {
    const m = HOP.exec(hop);
    if (!m) return hop;
    const at = revokedAt.get(m[1]!);
    if (at !== undefined && at < Number(m[2])) return hop;
  }
  return null;
}

/**
 * I10, §6.7: the revocations that count, given how each reached this device (`via`, its version's
 * hops): one that its issuer, or an admin of its chain, handed on after its own revocation does not,
 * whatever date it carries (a revoked admin's revocation of an honest device, dated back to before its
 * own). Other relays do not matter: a revocation is signed, and no device can make one in another's
 * name. Every revocation is taken first; those with such a hop are dropped and the times computed again
 * from the rest, until none is left to drop.
 */
export function countingRevocations<T extends { readonly revocation: ValidRevocation; readonly via: readonly string[] }>(held: readonly T[]): T[] {
  let kept = [...held];
  for (;;) {
    const times = new Map([...revocationTimes(kept.map((item) => item.revocation))].map(([key, at]) => [hopKey(key), at]));
    const next = kept.filter((item) => {
      const issuers = new Set(item.revocation.authority.map(hopKey));
      return revokedHop(item.via.filter((hop) => issuers.has(hop.slice(0, 16))), times) === null;
    });
    if (next.length === kept.length) return kept;
    kept = next;
  }
}

/** A version with its id, as stores hold it; `via` as received (empty or absent for this device's own). */
export interface RecordVersion {
  readonly id: VersionId;
  readonly body: VersionBody;
  readonly via?: readonly string[];
}

export function versionId(body: VersionBody): VersionId {
  return bytesToHex(sha256(taggedMessage(VERSION_TAG, canonicalBody(body)))) as VersionId;
}

/**
 * The canonical JSON (RFC 8785, what `canonicalize` writes) of a body of this shape, written
 * directly: its keys in their code-unit order, each value a string, a list of strings or the integer
 * `v`, so each is exactly `JSON.stringify` of it. A sync hashes every version it receives and every
 * first version it makes, and the general canonicaliser cost as much as the hash (#16). Anything else
 * an object might hold goes to `canonicalize` (the version tests check both agree).
 */
export function canonicalBody(body: VersionBody): string {
  if (!plainBody(body)) return canonicalize(body)!;
  const str = JSON.stringify;
  return (
    `{${body.data !== undefined ? `"data":${str(body.data)},` : ''}"hlc":${str(body.hlc)},` +
    `${body.mergedInto !== undefined ? `"mergedInto":${str(body.mergedInto)},` : ''}"op":${str(body.op)},"parents":${str(body.parents)},"record":${str(body.record)},"v":1}`
  );
}
const BODY_KEYS = new Set(['data', 'hlc', 'mergedInto', 'op', 'parents', 'record', 'v']);

/**
 * Whether `body` holds only the body's keys, each a well-formed string (a list of them for
 * `parents`, the integer 1 for `v`): then `JSON.stringify` of each value is its canonical form.
 * Anything else (a lone surrogate, which `canonicalize` refuses by throwing; a missing key) goes to
 * `canonicalize`, so both answer alike.
 */
function plainBody(body: VersionBody): boolean {
  const text = (value: unknown) => typeof value === 'string' && wellFormed(value);
  const parents = body.parents as unknown;
  if (!Array.isArray(parents)) return false;
  // By index: a hole in the list (never from the wire) is not a string, and goes to canonicalize.
  for (let i = 0; i < parents.length; i++) if (!text(parents[i])) return false;
  return (
    body.v === 1 &&
    Object.keys(body).every((key) => BODY_KEYS.has(key)) &&
    text(body.hlc) &&
    text(body.op) &&
    text(body.record) &&
    (body.data === undefined || text(body.data)) &&
    (body.mergedInto === undefined || text(body.mergedInto))
  );
}

/** No lone surrogate: ES2024's String.prototype.isWellFormed where the engine has it (Chromium 111+), a search otherwise. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function wellFormed(value: string): boolean {
  const native = (String.prototype as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(value) : !LONE_SURROGATE.test(value);
}

/** Parses a version body from the wire and computes its id. */
export function parseVersion(raw: unknown): Result<RecordVersion, string> {
  const parsed = v.safeParse(VersionBodySchema, raw);
  if (!parsed.success) return err(parsed.issues[0]?.message ?? 'malformed version');
  return ok({ id: versionId(parsed.output), body: parsed.output });
}

/** The reconciliation timestamp of a version: its HLC's physical part. */
export const versionTime = (version: RecordVersion): number => parseHlc(version.body.hlc)!.wall;

export interface NewVersion {
  readonly record: RecordKey;
  /** The heads this version replaces (none for a new record). */
  readonly parents: readonly VersionId[];
  readonly op: 'put' | 'delete';
  readonly data?: string;
  readonly mergedInto?: RecordKey;
}

/** Stamps a new version with the device's clock. Throws on a bad argument: that is a bug, not input. */
export function makeVersion(clock: HlcClock, fields: NewVersion): RecordVersion {
  const parents = [...new Set(fields.parents)].sort();
  const body = v.parse(VersionBodySchema, {
    v: 1,
    record: fields.record,
    hlc: formatHlc(clock.tick()),
    parents,
    op: fields.op,
    ...(fields.data !== undefined ? { data: fields.data } : {}),
    ...(fields.mergedInto !== undefined ? { mergedInto: fields.mergedInto } : {}),
  });
  return { id: versionId(body), body };
}
