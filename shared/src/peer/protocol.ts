import * as v from 'valibot';
import { ErrorCode, isErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { UUID_V4_PATTERN, type CheckId } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import { IdentityMessageSchema, isIdentityFrameType, type IdentityMessage } from '../identity/messages.js';
import { CHUNK_CHARS, MAX_TRANSFER_ITEMS, TRANSFER_STREAMS } from '../check/transfer.js';
import { ASSIGN_MESSAGE_SCHEMAS } from '../lists/messages.js';
import { ALERT_HAVE_BATCH, ALERTS_BATCH, AlertPrefixSchema, AlertSchema } from '../witness/peer-messages.js';
import { SYNC_MESSAGE_SCHEMAS } from '../sync/messages.js';

/**
 * The browser-to-browser protocol (PROTOCOL.md, "Peer session"). One JSON text frame per message,
 * a discriminated union on `type`, parsed from unknown at the edge. Versions on the wire are
 * negotiated by `hello`; this file describes version 3 (version 2 without the A9 sizes, A10 rounds and
 * A11 decline reasons is no longer spoken): `hello`, then the identity step (frames of
 * identity/messages.ts, types prefixed `id-`), then `ready` each way, then alert reconciliation (W5)
 * and checks.
 */
export const PEER_PROTOCOL = 'ihyid-peer';
export const PEER_PROTOCOL_VERSIONS = [3] as const;

/** Chromium refuses data-channel frames over 256 KiB; we stay well below and refuse anything larger. */
export const MAX_FRAME_CHARS = 64 * 1024;
/** Items per batch frame: 400 × (64 + 64 hex + JSON) ≈ 54 KB < MAX_FRAME_CHARS. */
export const USCADI_BATCH = 400;
/** The most contacts one check may announce. */
export const MAX_CHECK_ITEMS = 200_000;

const Hex32 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));
const CheckIdSchema = v.pipe(v.string(), v.regex(UUID_V4_PATTERN));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_CHECK_ITEMS));
const Items = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_TRANSFER_ITEMS));
const ErrorCodeSchema = v.custom<ErrorCode>(isErrorCode);

/** Check protocols a peer may ask for (A1–A3). psi-v2 is the default; the uscadi ones need an admin's choice (A6). */
export const CHECK_PROTOCOLS = ['psi-v2', 'uscadi-v0', 'uscadi-v1'] as const;
export type CheckProtocol = (typeof CHECK_PROTOCOLS)[number];

/** Why a check was not accepted: the user said no, another check runs, or the protocol is off here (A11). */
export const DECLINE_REASONS = ['declined', 'busy', 'protocol-disabled'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export const PeerMessageSchema = v.variant('type', [
  v.strictObject({
    type: v.literal('hello'),
    protocol: v.literal(PEER_PROTOCOL),
    versions: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.minLength(1), v.maxLength(16)),
    orgName: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)),
  }),
  // Sent once this side's identity step passed (I8, I3, I6): the partner may start checks after it.
  v.strictObject({ type: v.literal('ready') }),
  // A9: each side announces its size before any entry is sent: `count` contacts taking part and
  // `items` entries that will follow (distinct keys for psi-v2, uscadis for uscadi). The asker in its
  // request, the answerer in its accept; a longer stream is `size-exceeded`.
  v.strictObject({ type: v.literal('check-request'), checkId: CheckIdSchema, protocol: v.picklist(CHECK_PROTOCOLS), count: Count, items: Items }),
  v.strictObject({ type: v.literal('check-accept'), checkId: CheckIdSchema, count: Count, items: Items }),
  // A11: `protocol-disabled` when this side's admin did not turn the requested protocol on.
  v.strictObject({ type: v.literal('check-decline'), checkId: CheckIdSchema, reason: v.picklist(DECLINE_REASONS) }),
  v.strictObject({
    type: v.literal('uscadi-batch'),
    checkId: CheckIdSchema,
    secrets: v.pipe(v.array(Hex32), v.maxLength(USCADI_BATCH)),
    uscadis: v.pipe(v.array(Hex32), v.maxLength(USCADI_BATCH)),
  }),
  v.strictObject({ type: v.literal('uscadi-end'), checkId: CheckIdSchema }),
  v.strictObject({
    type: v.literal('known-batch'),
    checkId: CheckIdSchema,
    results: v.pipe(v.array(v.strictObject({ uscadi: Hex32, known: v.boolean() })), v.maxLength(USCADI_BATCH)),
  }),
  v.strictObject({ type: v.literal('known-end'), checkId: CheckIdSchema }),
  v.strictObject({ type: v.literal('cancel'), checkId: CheckIdSchema }),
  v.strictObject({
    type: v.literal('transfer-begin'),
    checkId: CheckIdSchema,
    stream: v.picklist(TRANSFER_STREAMS),
    items: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_TRANSFER_ITEMS)),
  }),
  v.strictObject({
    type: v.literal('transfer-chunk'),
    checkId: CheckIdSchema,
    stream: v.picklist(TRANSFER_STREAMS),
    seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
    data: v.pipe(v.string(), v.maxLength(CHUNK_CHARS)),
  }),
  v.strictObject({ type: v.literal('transfer-end'), checkId: CheckIdSchema, stream: v.picklist(TRANSFER_STREAMS) }),
  // A10: one lock-step round of a re-blinded psi-v2 list (shared/src/check/psi-rounds.ts); `data` may be empty.
  v.strictObject({
    type: v.literal('psi-round'),
    checkId: CheckIdSchema,
    round: v.pipe(v.number(), v.integer(), v.minValue(0)),
    data: v.pipe(v.string(), v.maxLength(CHUNK_CHARS)),
  }),
  v.strictObject({ type: v.literal('check-finish'), checkId: CheckIdSchema }),
  // W5, after ready: the witness ALERT_HAVE and ALERTS shapes (witness/peer-messages.ts), same bounds.
  v.strictObject({ type: v.literal('alert-have'), prefixes: v.pipe(v.array(AlertPrefixSchema), v.maxLength(ALERT_HAVE_BATCH)), last: v.boolean() }),
  v.strictObject({ type: v.literal('alerts'), alerts: v.pipe(v.array(AlertSchema), v.maxLength(ALERTS_BATCH)), last: v.boolean() }),
  // ---- X4: sync between two devices of one organisation, after ready (PROTOCOL.md §6) ----
  // sync-ranges, sync-want, sync-records, sync-end, sync-abort: defined and bounded in sync/messages.ts.
  ...SYNC_MESSAGE_SCHEMAS,
  // ---- end of X4 sync ----
  v.strictObject({ type: v.literal('error'), code: ErrorCodeSchema }),
  // ---- Distribution lists (D2–D4, PROTOCOL.md §7.7; lists/negotiation.ts). One block, kept apart. ----
  ...ASSIGN_MESSAGE_SCHEMAS,
  // ---- End of distribution lists. ----
]);

type Parsed = v.InferOutput<typeof PeerMessageSchema>;
/** Ids on the wire are branded once parsed. */
export type PeerMessage = Parsed extends infer M ? (M extends { checkId: string } ? Omit<M, 'checkId'> & { checkId: CheckId } : M) : never;
export type PeerMessageType = PeerMessage['type'];
export type PeerMessageOf<T extends PeerMessageType> = Extract<PeerMessage, { type: T }>;

/** Parse one received frame. Never throws: a bad frame is a typed error that ends the session (A8). */
export function parsePeerFrame(frame: unknown): Result<PeerMessage, ProtocolError> {
  const parsed = parseSessionFrame(frame);
  if (!parsed.ok) return parsed;
  return parsed.value.kind === 'peer' ? ok(parsed.value.message) : err(protocolError(ErrorCode.UnexpectedMessage, parsed.value.message.type));
}

/** A frame of the session: a peer message, or an identity message (`id-*`) for the identity step. */
export type SessionFrame = { kind: 'peer'; message: PeerMessage } | { kind: 'identity'; message: IdentityMessage };

/** Parse one received frame of either protocol, routed by its `type` prefix. Never throws (A8). */
export function parseSessionFrame(frame: unknown): Result<SessionFrame, ProtocolError> {
  if (typeof frame !== 'string') return err(protocolError(ErrorCode.MalformedMessage, 'binary or non-text frame'));
  if (frame.length > MAX_FRAME_CHARS) return err(protocolError(ErrorCode.OversizedMessage, `${frame.length} chars`));
  let raw: unknown;
  try {
    raw = JSON.parse(frame);
  } catch {
    return err(protocolError(ErrorCode.MalformedMessage, 'not JSON'));
  }
  if (typeof raw === 'object' && raw !== null && isIdentityFrameType((raw as { type?: unknown }).type)) {
    const parsed = v.safeParse(IdentityMessageSchema, raw);
    return parsed.success ? ok({ kind: 'identity', message: parsed.output }) : err(protocolError(ErrorCode.MalformedMessage, parsed.issues[0]?.message));
  }
  const parsed = parsePeerMessage(raw);
  return parsed.ok ? ok({ kind: 'peer', message: parsed.value }) : parsed;
}

export function parsePeerMessage(raw: unknown): Result<PeerMessage, ProtocolError> {
  const parsed = v.safeParse(PeerMessageSchema, raw);
  if (!parsed.success) {
    const first = parsed.issues[0];
    const where = first?.path?.map((p) => String(p.key)).join('.') ?? '';
    return err(protocolError(ErrorCode.MalformedMessage, `${where}: ${first?.message ?? 'invalid'}`));
  }
  return ok(parsed.output as PeerMessage);
}

export function encodePeerMessage(message: PeerMessage): string {
  return JSON.stringify(message);
}

/** The highest version both sides speak, or null. */
export function negotiateVersion(ours: readonly number[], theirs: readonly number[]): number | null {
  const common = ours.filter((x) => theirs.includes(x));
  return common.length ? Math.max(...common) : null;
}
