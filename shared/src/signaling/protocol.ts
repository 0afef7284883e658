/**
 * The wire contract between the app and the signaling server (S1, S3, S6, I8).
 *
 * Socket.IO carries it: each message is an event name plus one JSON payload. Every payload is parsed
 * from `unknown` on receipt, on both sides, with the parse functions below. Types are inferred from the
 * valibot schemas, never written twice.
 *
 *   client → server  `join`   {roomId, version?} + acknowledgement(JoinReply)
 *   client → server  `signal` {roomId, to, data}
 *   client → server  `leave`  {roomId}
 *   client → server  `close-room` {roomId, proof, reason} + acknowledgement(CloseRoomReply)
 *   server → client  `signal` {roomId, from, data}   (`from` is set by the server, S1)
 *   server → client  `peer-joined` {roomId, peer}
 *   server → client  `peer-left`   {roomId, peer}
 *   server → client  `room-closed` {roomId, reason}  (to the members of a room just closed)
 *   server → client  `error-message` {code, event}   (something the client sent was dropped)
 *
 * The newcomer receives the peers already in the room and initiates WebRTC to each of them; the peers
 * already there receive `peer-joined` and wait for the newcomer's offer.
 *
 * I9: a link used or revoked is closed by whoever holds its secret, with `close-room`. The proof is
 * checked against the room id alone (room.ts `closableRoom`: roomId = SHA-256(proof)), so the server
 * needs no state beforehand; for a bounded time it then refuses every join of that room at once
 * (`room-closed` with the reason), even when the inviter is offline.
 */
import * as v from 'valibot';
import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import type { PeerId, RoomId } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import { hexToBytes } from '../core/hex.js';
import { ROOM_ID_PATTERN, roomIdOfCloseProof } from './room.js';

/** Where Socket.IO listens on the signaling server (its default, stated once for both sides). */
export const SIGNALING_PATH = '/socket.io';

/** Version of this contract. A client SHOULD send it in `join`; another version is refused with `incompatible-version`. */
export const SIGNALING_PROTOCOL_VERSION = 1;

/** Default bound on the serialized size (UTF-8 bytes of its JSON) of one `signal` message's `data`. */
export const DEFAULT_MAX_SIGNAL_DATA_BYTES = 16 * 1024;

/** Nesting bound for `data`; simple-peer's signal objects are two or three levels deep. */
export const MAX_SIGNAL_DATA_DEPTH = 16;

/** Peer ids are made by the server, one per (connection, room): 16 random bytes in lowercase hex. */
export const PEER_ID_PATTERN = /^[0-9a-f]{32}$/;

export const SignalingEvent = {
  Join: 'join',
  Signal: 'signal',
  Leave: 'leave',
  CloseRoom: 'close-room',
  RoomClosed: 'room-closed',
  PeerJoined: 'peer-joined',
  PeerLeft: 'peer-left',
  ErrorMessage: 'error-message',
} as const;
export type SignalingEvent = (typeof SignalingEvent)[keyof typeof SignalingEvent];

/** The events a client may send; anything else is dropped with `unexpected-message`. */
export const SIGNALING_CLIENT_EVENTS = [SignalingEvent.Join, SignalingEvent.Signal, SignalingEvent.Leave, SignalingEvent.CloseRoom] as const;
export type SignalingClientEvent = (typeof SIGNALING_CLIENT_EVENTS)[number];

/** Codes the server sends in a failed `JoinReply` or an `error-message`. */
export const SignalingErrorCode = {
  MalformedMessage: ErrorCode.MalformedMessage,
  OversizedMessage: ErrorCode.OversizedMessage,
  UnexpectedMessage: ErrorCode.UnexpectedMessage,
  IncompatibleVersion: ErrorCode.IncompatibleVersion,
  RoomFull: ErrorCode.RoomFull,
  Internal: ErrorCode.Internal,
  RateLimited: 'rate-limited',
  TooManyRooms: 'too-many-rooms',
  NotInRoom: 'not-in-room',
  PeerNotFound: 'peer-not-found',
  /** I9: the room's link was used or revoked; the reply carries which. */
  RoomClosed: 'room-closed',
  /** A `close-room` whose proof does not hash to the room id. */
  BadProof: 'bad-proof',
} as const;
export type SignalingErrorCode = (typeof SignalingErrorCode)[keyof typeof SignalingErrorCode];
export const SIGNALING_ERROR_CODES = Object.values(SignalingErrorCode) as [SignalingErrorCode, ...SignalingErrorCode[]];

/** What the user reads for each code (the shared ERROR_MESSAGES speak of a partner, these of the server). */
export const SIGNALING_ERROR_MESSAGES: Record<SignalingErrorCode, string> = {
  'malformed-message': 'The connection server could not read a message from this app. Try again or update the app.',
  'oversized-message': 'A connection set-up message was larger than the connection server allows.',
  'unexpected-message': 'The connection server did not expect this message. Try again or update the app.',
  'incompatible-version': 'The connection server runs a version that cannot talk to this app. Update the app or the server.',
  'room-full': 'This invitation is already in use by two organisations.',
  internal: 'Something went wrong on the connection server. Try again.',
  'rate-limited': 'Too many messages were sent to the connection server at once. Wait a moment and try again.',
  'too-many-rooms': 'This app has too many invitations open at once on the connection server. Close one and try again.',
  'not-in-room': 'This app is no longer connected to that invitation on the connection server. Join it again.',
  'peer-not-found': 'The partner has left the invitation on the connection server.',
  'room-closed': 'This link was closed by whoever made it: it was already used, or revoked.',
  'bad-proof': 'The connection server refused to close this link: the proof does not match it.',
};

/** Why a room was closed (I9): its link was used (it bound a partner, paired a device) or revoked. */
export const ROOM_CLOSE_REASONS = ['used', 'revoked'] as const;
export type RoomCloseReason = (typeof ROOM_CLOSE_REASONS)[number];

// ---------------------------------------------------------------------------------------------------
// Shared pieces

const RoomIdSchema = v.pipe(
  v.string(),
  v.regex(ROOM_ID_PATTERN),
  v.transform((s) => s as RoomId),
);
const PeerIdSchema = v.pipe(
  v.string(),
  v.regex(PEER_ID_PATTERN),
  v.transform((s) => s as PeerId),
);

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };
/** A simple-peer signal object as the server relays it: a plain JSON object. */
export type SignalData = JsonObject;

/** Opaque simple-peer signal: only its shape (a plain JSON object) and size are checked. */
const SignalDataSchema = v.custom<JsonObject>(
  (value) => isPlainJsonObject(value, MAX_SIGNAL_DATA_DEPTH),
  'data must be a plain JSON object',
);

const IceUrlSchema = v.pipe(v.string(), v.maxLength(512), v.regex(/^(?:stuns?|turns?):\S+$/));
export const IceServerSchema = v.object({
  urls: v.union([IceUrlSchema, v.pipe(v.array(IceUrlSchema), v.minLength(1), v.maxLength(16))]),
  username: v.optional(v.pipe(v.string(), v.maxLength(512))),
  credential: v.optional(v.pipe(v.string(), v.maxLength(512))),
});
export type IceServer = v.InferOutput<typeof IceServerSchema>;
export const IceServerListSchema = v.pipe(v.array(IceServerSchema), v.maxLength(32));

// ---------------------------------------------------------------------------------------------------
// Client → server

export const JoinRequestSchema = v.object({
  roomId: RoomIdSchema,
  version: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});
export type JoinRequest = v.InferOutput<typeof JoinRequestSchema>;

export const SignalRequestSchema = v.object({ roomId: RoomIdSchema, to: PeerIdSchema, data: SignalDataSchema });
export type SignalRequest = v.InferOutput<typeof SignalRequestSchema>;

export const LeaveRequestSchema = v.object({ roomId: RoomIdSchema });
export type LeaveRequest = v.InferOutput<typeof LeaveRequestSchema>;

const ReasonSchema = v.picklist(ROOM_CLOSE_REASONS);

/** `proof`: lowercase hex of the 32-byte close proof (room.ts `closableRoom`). */
export const CloseRoomRequestSchema = v.object({ roomId: RoomIdSchema, proof: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)), reason: ReasonSchema });
export type CloseRoomRequest = v.InferOutput<typeof CloseRoomRequestSchema>;

// ---------------------------------------------------------------------------------------------------
// Server → client

export const JoinReplySchema = v.variant('ok', [
  v.object({
    ok: v.literal(true),
    self: PeerIdSchema,
    peers: v.array(PeerIdSchema),
    iceServers: IceServerListSchema,
  }),
  /** `reason` comes with `room-closed` only. */
  v.object({ ok: v.literal(false), code: v.picklist(SIGNALING_ERROR_CODES), reason: v.optional(ReasonSchema) }),
]);
export type JoinReply = v.InferOutput<typeof JoinReplySchema>;

export const CloseRoomReplySchema = v.variant('ok', [v.object({ ok: v.literal(true) }), v.object({ ok: v.literal(false), code: v.picklist(SIGNALING_ERROR_CODES) })]);
export type CloseRoomReply = v.InferOutput<typeof CloseRoomReplySchema>;

export const RoomClosedSchema = v.object({ roomId: RoomIdSchema, reason: ReasonSchema });
export type RoomClosed = v.InferOutput<typeof RoomClosedSchema>;

export const SignalMessageSchema = v.object({ roomId: RoomIdSchema, from: PeerIdSchema, data: SignalDataSchema });
export type SignalMessage = v.InferOutput<typeof SignalMessageSchema>;

export const PeerJoinedSchema = v.object({ roomId: RoomIdSchema, peer: PeerIdSchema });
export type PeerJoined = v.InferOutput<typeof PeerJoinedSchema>;

export const PeerLeftSchema = v.object({ roomId: RoomIdSchema, peer: PeerIdSchema });
export type PeerLeft = v.InferOutput<typeof PeerLeftSchema>;

export const SignalingErrorMessageSchema = v.object({
  code: v.picklist(SIGNALING_ERROR_CODES),
  /** The client event that was dropped; 'unknown' for an event name this contract does not define. */
  event: v.picklist([...SIGNALING_CLIENT_EVENTS, 'unknown']),
});
export type SignalingErrorMessage = v.InferOutput<typeof SignalingErrorMessageSchema>;

/** Socket.IO event maps, for `Server<ClientToServer, ServerToClient>` and `Socket<ServerToClient, ClientToServer>`. */
export interface SignalingClientToServerEvents {
  join: (request: JoinRequest, ack: (reply: JoinReply) => void) => void;
  signal: (request: SignalRequest) => void;
  leave: (request: LeaveRequest) => void;
  'close-room': (request: CloseRoomRequest, ack: (reply: CloseRoomReply) => void) => void;
}
export interface SignalingServerToClientEvents {
  signal: (message: SignalMessage) => void;
  'peer-joined': (message: PeerJoined) => void;
  'peer-left': (message: PeerLeft) => void;
  'room-closed': (message: RoomClosed) => void;
  'error-message': (message: SignalingErrorMessage) => void;
}

// ---------------------------------------------------------------------------------------------------
// Parse functions: the only way a payload enters typed code.

function parseWith<S extends v.GenericSchema>(schema: S, raw: unknown): Result<v.InferOutput<S>, ProtocolError> {
  const parsed = v.safeParse(schema, raw);
  if (parsed.success) return ok(parsed.output);
  return err(protocolError(ErrorCode.MalformedMessage, v.summarize(parsed.issues)));
}

export function parseJoinRequest(raw: unknown): Result<JoinRequest, ProtocolError> {
  const parsed = parseWith(JoinRequestSchema, raw);
  if (parsed.ok && parsed.value.version !== undefined && parsed.value.version !== SIGNALING_PROTOCOL_VERSION) {
    return err(protocolError(ErrorCode.IncompatibleVersion, `version ${parsed.value.version}`));
  }
  return parsed;
}

export interface SignalLimits {
  /** Bound on the UTF-8 size of `JSON.stringify(data)`; DEFAULT_MAX_SIGNAL_DATA_BYTES when absent. */
  readonly maxDataBytes?: number;
}

export function parseSignalRequest(raw: unknown, limits: SignalLimits = {}): Result<SignalRequest, ProtocolError> {
  const parsed = parseWith(SignalRequestSchema, raw);
  return parsed.ok ? checkDataSize(parsed.value, limits) : parsed;
}

export function parseLeaveRequest(raw: unknown): Result<LeaveRequest, ProtocolError> {
  return parseWith(LeaveRequestSchema, raw);
}

export function parseCloseRoomRequest(raw: unknown): Result<CloseRoomRequest, ProtocolError> {
  return parseWith(CloseRoomRequestSchema, raw);
}

/**
 * I9: whether a `close-room`'s proof hashes to its room id. The server refuses it otherwise
 * (`bad-proof`): knowing a room id (the server's own view) is not enough to close the room.
 */
export function closeProofMatches(request: CloseRoomRequest): boolean {
  return roomIdOfCloseProof(hexToBytes(request.proof)) === request.roomId;
}

export function parseCloseRoomReply(raw: unknown): Result<CloseRoomReply, ProtocolError> {
  return parseWith(CloseRoomReplySchema, raw);
}

export function parseRoomClosed(raw: unknown): Result<RoomClosed, ProtocolError> {
  return parseWith(RoomClosedSchema, raw);
}

export function parseJoinReply(raw: unknown): Result<JoinReply, ProtocolError> {
  return parseWith(JoinReplySchema, raw);
}

export function parseSignalMessage(raw: unknown, limits: SignalLimits = {}): Result<SignalMessage, ProtocolError> {
  const parsed = parseWith(SignalMessageSchema, raw);
  return parsed.ok ? checkDataSize(parsed.value, limits) : parsed;
}

export function parsePeerJoined(raw: unknown): Result<PeerJoined, ProtocolError> {
  return parseWith(PeerJoinedSchema, raw);
}

export function parsePeerLeft(raw: unknown): Result<PeerLeft, ProtocolError> {
  return parseWith(PeerLeftSchema, raw);
}

export function parseSignalingErrorMessage(raw: unknown): Result<SignalingErrorMessage, ProtocolError> {
  return parseWith(SignalingErrorMessageSchema, raw);
}

export function parseIceServers(raw: unknown): Result<IceServer[], ProtocolError> {
  return parseWith(IceServerListSchema, raw);
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function checkDataSize<T extends { readonly data: JsonObject }>(
  message: T,
  limits: SignalLimits,
): Result<T, ProtocolError> {
  const max = limits.maxDataBytes ?? DEFAULT_MAX_SIGNAL_DATA_BYTES;
  const size = utf8ByteLength(JSON.stringify(message.data));
  return size <= max ? ok(message) : err(protocolError(ErrorCode.OversizedMessage, `${size} > ${max} bytes`));
}

/**
 * True for what JSON.parse can produce from an object literal: no class instances (Buffer, Date),
 * no functions, no non-finite numbers, and at most `depth` levels of nesting.
 */
function isPlainJsonObject(value: unknown, depth: number): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return isJsonValue(value, depth);
}

function isJsonValue(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth <= 0) return false;
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth - 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => isJsonValue(item, depth - 1));
}

/** UTF-8 length of a string, counted without TextEncoder (not part of the ES2022 library). */
function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next < 0xe000) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
