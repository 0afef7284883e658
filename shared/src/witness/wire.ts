import * as v from 'valibot';
import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { IceServerListSchema } from '../signaling/protocol.js';
import { isValidLatLon } from './grid.js';
import { AlertSchema, CONTACT_ID_PATTERN } from './peer-messages.js';
import { isDeclarationChallenge } from './stamp.js';

/**
 * W2, W5: the app ↔ signaling server contract for witness mode, on its own Socket.IO namespace so that
 * it has its own budgets and never disturbs the room relay (PROTOCOL.md, "Exposure witness").
 *
 *   client → server  witness-start     {v} + ack {ok, sessionId, positionIntervalMs, iceServers}
 *   client → server  witness-position  {latitude, longitude}          (at most one per positionIntervalMs)
 *   client → server  witness-signal    {to, data}                     (WebRTC set-up to a device matched
 *                                                                       within the last interval)
 *   client → server  witness-challenge {} + ack {ok, challenge, bits}  (only on a connection with no session)
 *   client → server  witness-declare   {alerts ≤ 400, nonce} + ack {ok} (likewise)
 *   server → client  witness-peer      {peer}                         (a device within the radius)
 *   server → client  witness-signal    {from, data}                   (`from` set by the server)
 *   server → client  witness-alerts    {alerts}                       (a declaration, without any sender id)
 *   server → client  witness-error     {code, event}
 *
 * W7: the server makes the session id, a fresh one for each connection, so no id can be bound twice or
 * taken over; a connection either holds a session (start, position, signal) or declares (challenge,
 * declare), never both, so a declaration is tied to no session and no position.
 */
export const WITNESS_NAMESPACE = '/witness';
export const WITNESS_WIRE_VERSION = 2;
export const MAX_DECLARATION_ALERTS = 400;
export const DEFAULT_WITNESS_SIGNAL_BYTES = 16 * 1024;

export const WitnessEvent = {
  Start: 'witness-start',
  Position: 'witness-position',
  Signal: 'witness-signal',
  Challenge: 'witness-challenge',
  Declare: 'witness-declare',
  Peer: 'witness-peer',
  Alerts: 'witness-alerts',
  Error: 'witness-error',
} as const;

export const WITNESS_CLIENT_EVENTS = [
  WitnessEvent.Start,
  WitnessEvent.Position,
  WitnessEvent.Signal,
  WitnessEvent.Challenge,
  WitnessEvent.Declare,
] as const;
export type WitnessClientEvent = (typeof WITNESS_CLIENT_EVENTS)[number];

export const WitnessErrorCode = {
  MalformedMessage: ErrorCode.MalformedMessage,
  OversizedMessage: ErrorCode.OversizedMessage,
  UnexpectedMessage: ErrorCode.UnexpectedMessage,
  IncompatibleVersion: ErrorCode.IncompatibleVersion,
  Internal: ErrorCode.Internal,
  RateLimited: 'rate-limited',
  PositionTooSoon: 'position-too-soon',
  NotMatched: 'not-matched',
  TooManyConnections: 'too-many-connections',
  NoChallenge: 'no-challenge',
  InvalidStamp: 'invalid-stamp',
  InvalidAlert: 'invalid-alert',
} as const;
export type WitnessErrorCode = (typeof WitnessErrorCode)[keyof typeof WitnessErrorCode];
const WITNESS_ERROR_CODES = Object.values(WitnessErrorCode) as [WitnessErrorCode, ...WitnessErrorCode[]];

export const WITNESS_ERROR_MESSAGES: Record<WitnessErrorCode, string> = {
  'malformed-message': 'The connection server could not read a witness message from this app. Update the app.',
  'oversized-message': 'A witness message was larger than the connection server allows.',
  'unexpected-message': 'The connection server did not expect this witness message. Turn witness mode off and on again.',
  'incompatible-version': 'The connection server runs a witness version that cannot talk to this app. Update the app or the server.',
  internal: 'Something went wrong on the connection server. Try again.',
  'rate-limited': 'Too many witness messages were sent at once. Wait a moment and try again.',
  'position-too-soon': 'A position came sooner than the connection server accepts; the next one will be used.',
  'not-matched': 'The connection server passes set-up messages only between phones it has just found near each other.',
  'too-many-connections': 'Too many witness connections come from this network. Try again later.',
  'no-challenge': 'The declaration expired before it was sent. Try again.',
  'invalid-stamp': 'The declaration was refused because its proof of work is not valid. Try again.',
  'invalid-alert': 'The declaration was refused because one of its tokens is not valid. Nothing was sent.',
};

const SessionIdSchema = v.pipe(v.string(), v.regex(CONTACT_ID_PATTERN));

/** Opaque simple-peer signal: a plain JSON object, bounded by size and nesting. */
const SignalDataSchema = v.custom<Record<string, unknown>>((value) => isPlainJson(value, 16) && !Array.isArray(value) && typeof value === 'object' && value !== null, 'data must be a plain JSON object');

export const WitnessStartSchema = v.strictObject({ v: v.pipe(v.number(), v.integer(), v.minValue(1)) });
export const WitnessPositionSchema = v.pipe(
  v.strictObject({ latitude: v.number(), longitude: v.number() }),
  v.check((p) => isValidLatLon(p.latitude, p.longitude), 'latitude in [-90, 90] and longitude in [-180, 180]'),
);
export const WitnessSignalRequestSchema = v.strictObject({ to: SessionIdSchema, data: SignalDataSchema });
export const WitnessDeclareSchema = v.strictObject({
  alerts: v.pipe(v.array(AlertSchema), v.minLength(1), v.maxLength(MAX_DECLARATION_ALERTS)),
  nonce: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
});

export const WitnessStartReplySchema = v.variant('ok', [
  v.strictObject({
    ok: v.literal(true),
    sessionId: SessionIdSchema,
    positionIntervalMs: v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(600_000)),
    iceServers: IceServerListSchema,
  }),
  v.strictObject({ ok: v.literal(false), code: v.picklist(WITNESS_ERROR_CODES) }),
]);
export const WitnessChallengeReplySchema = v.variant('ok', [
  v.strictObject({
    ok: v.literal(true),
    challenge: v.custom<string>(isDeclarationChallenge),
    bits: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(32)),
  }),
  v.strictObject({ ok: v.literal(false), code: v.picklist(WITNESS_ERROR_CODES) }),
]);
export const WitnessDeclareReplySchema = v.variant('ok', [
  v.strictObject({ ok: v.literal(true) }),
  v.strictObject({ ok: v.literal(false), code: v.picklist(WITNESS_ERROR_CODES) }),
]);
export const WitnessPeerSchema = v.strictObject({ peer: SessionIdSchema });
export const WitnessSignalMessageSchema = v.strictObject({ from: SessionIdSchema, data: SignalDataSchema });
export const WitnessAlertsSchema = v.strictObject({ alerts: v.pipe(v.array(AlertSchema), v.maxLength(MAX_DECLARATION_ALERTS)) });
export const WitnessErrorSchema = v.strictObject({ code: v.picklist(WITNESS_ERROR_CODES), event: v.string() });

export type WitnessStart = v.InferOutput<typeof WitnessStartSchema>;
export type WitnessPosition = v.InferOutput<typeof WitnessPositionSchema>;
export type WitnessSignalRequest = v.InferOutput<typeof WitnessSignalRequestSchema>;
export type WitnessDeclare = v.InferOutput<typeof WitnessDeclareSchema>;
export type WitnessStartReply = v.InferOutput<typeof WitnessStartReplySchema>;
export type WitnessChallengeReply = v.InferOutput<typeof WitnessChallengeReplySchema>;
export type WitnessDeclareReply = v.InferOutput<typeof WitnessDeclareReplySchema>;
export type WitnessPeerNotice = v.InferOutput<typeof WitnessPeerSchema>;
export type WitnessSignalMessage = v.InferOutput<typeof WitnessSignalMessageSchema>;
export type WitnessAlertsNotice = v.InferOutput<typeof WitnessAlertsSchema>;

/** Parses any witness payload from unknown; the only way one enters typed code, on either side. */
export function parseWitness<S extends v.GenericSchema>(schema: S, raw: unknown): Result<v.InferOutput<S>, ProtocolError> {
  const parsed = v.safeParse(schema, raw);
  return parsed.success ? ok(parsed.output) : err(protocolError(ErrorCode.MalformedMessage, v.summarize(parsed.issues)));
}

/** Signal size as the relay bounds it: characters of its JSON (simple-peer's SDP is ASCII). */
export function witnessSignalSize(data: unknown): number {
  return JSON.stringify(data)?.length ?? 0;
}

function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth <= 0) return false;
  if (Array.isArray(value)) return value.every((item) => isPlainJson(item, depth - 1));
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((item) => isPlainJson(item, depth - 1));
}
