import * as v from 'valibot';
import { isErrorCode, type ErrorCode } from '../core/errors.js';
import { formatBound, parseBound } from './fingerprint.js';
import type { Range } from './reconcile.js';
import { ViaSchema } from './version.js';

/**
 * X4: the sync messages (PROTOCOL.md, "Sync"). They travel inside a peer session between two
 * devices of one organisation, or over any `SyncTransport`. Every message is one JSON text frame
 * of at most 64 KiB, parsed from unknown here; record versions inside `sync-records` are parsed
 * one by one by version.ts (their ids are computed, never read).
 */
export const SYNC_IDS_PER_FRAME = 800;
export const SYNC_RANGES_PER_FRAME = 512;
export const SYNC_VERSIONS_PER_FRAME = 1000;
/** Frames are packed to this many characters, under the peer protocol's 64 KiB. */
export const SYNC_FRAME_CHARS = 60_000;

const Hex32 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const BoundSchema = v.pipe(
  v.string(),
  v.maxLength(90),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const bound = parseBound(dataset.value);
    if (!bound) {
      addIssue({ message: 'bad bound' });
      return NEVER;
    }
    return bound;
  }),
);
const Fp = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/));

const RangeSchema = v.union([
  v.strictObject({ lo: BoundSchema, hi: BoundSchema, fp: Fp }),
  v.strictObject({ lo: BoundSchema, hi: BoundSchema, ids: v.pipe(v.array(Hex32), v.maxLength(SYNC_IDS_PER_FRAME)) }),
]);

/** The `sync-*` entries, also spread into the peer session's union (peer/protocol.ts). */
export const SYNC_MESSAGE_SCHEMAS = [
  /** One frame of a reconciliation round; `last` on its final frame. A round without ranges ends reconciliation. */
  v.strictObject({ type: v.literal('sync-ranges'), ranges: v.pipe(v.array(RangeSchema), v.maxLength(SYNC_RANGES_PER_FRAME)), last: v.boolean() }),
  /** Versions this side lacks, by id. */
  v.strictObject({ type: v.literal('sync-want'), ids: v.pipe(v.array(Hex32), v.minLength(1), v.maxLength(SYNC_IDS_PER_FRAME)) }),
  /** Version bodies (version.ts), pushed or asked for. */
  v.strictObject({
    type: v.literal('sync-records'),
    versions: v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(SYNC_VERSIONS_PER_FRAME)),
    /** Each version's hops (version.ts `ViaSchema`), in order; absent when none has any. */
    via: v.optional(v.pipe(v.array(ViaSchema), v.maxLength(SYNC_VERSIONS_PER_FRAME))),
  }),
  /** This side has sent every version it will send in this sync. */
  v.strictObject({ type: v.literal('sync-end') }),
  /** This side stopped the sync; the code says why (core/errors.ts). */
  v.strictObject({ type: v.literal('sync-abort'), code: v.custom<ErrorCode>(isErrorCode) }),
] as const;

export const SyncMessageSchema = v.variant('type', SYNC_MESSAGE_SCHEMAS);

export type SyncMessage = v.InferOutput<typeof SyncMessageSchema>;
/** What a sender builds: ranges with bounds as objects; `wireMessage` spells them. */
export type OutgoingSyncMessage =
  | Exclude<SyncMessage, { type: 'sync-ranges' }>
  | { readonly type: 'sync-ranges'; readonly ranges: readonly Range[]; readonly last: boolean };

export const SYNC_MESSAGE_TYPES: ReadonlySet<string> = new Set(['sync-ranges', 'sync-want', 'sync-records', 'sync-end', 'sync-abort']);

export const isSyncFrameType = (type: unknown): boolean => typeof type === 'string' && SYNC_MESSAGE_TYPES.has(type);

export function parseSyncMessage(raw: unknown): SyncMessage | null {
  const parsed = v.safeParse(SyncMessageSchema, raw);
  return parsed.success ? parsed.output : null;
}

type WireRange = { lo: string; hi: string; fp: string } | { lo: string; hi: string; ids: readonly string[] };

export const wireRange = (r: Range): WireRange =>
  'ids' in r ? { lo: formatBound(r.lo), hi: formatBound(r.hi), ids: r.ids } : { lo: formatBound(r.lo), hi: formatBound(r.hi), fp: r.fp };

/** The JSON-ready form of a message (bounds spelled as on the wire). */
export function wireMessage(message: OutgoingSyncMessage): unknown {
  return message.type === 'sync-ranges' ? { ...message, ranges: message.ranges.map(wireRange) } : message;
}
