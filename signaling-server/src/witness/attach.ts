/**
 * W2, W5 on the server: the `/witness` Socket.IO namespace. It keeps, per live connection, the session
 * id the app chose and its latest position (through a Proximity), introduces sessions within the radius
 * to each other, relays their WebRTC set-up, and relays declarations to every other witness client
 * without any sender id, then forgets them. Nothing is queued for an absent session, nothing written.
 *
 * Its own namespace gives it its own budgets and event names: the room relay (relay.ts) refuses every
 * event it does not know, and need not learn these.
 */
import { randomBytes } from 'node:crypto';
import {
  isAcceptableAlert,
  parseWitness,
  verifyDeclarationStamp,
  WITNESS_CLIENT_EVENTS,
  WITNESS_NAMESPACE,
  WITNESS_WIRE_VERSION,
  WitnessDeclareSchema,
  WitnessErrorCode,
  WitnessEvent,
  WitnessPositionSchema,
  WitnessSignalRequestSchema,
  WitnessStartSchema,
  witnessSignalSize,
  type IceServer,
  type WitnessClientEvent,
} from '@ihyid/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import { errorName, type Logger } from '../log.js';
import { createOffenceBudget, createRateLimiter } from '../rate.js';
import type { WitnessConfig } from './config.js';
import type { WitnessMetrics } from './metrics.js';
import type { Proximity } from './proximity.js';

export interface WitnessDeps {
  readonly config: WitnessConfig;
  readonly proximity: Proximity;
  readonly iceServers: () => IceServer[];
  readonly maxMessagesPerSecond: number;
  readonly maxOffencesPerMinute: number;
  readonly maxSignalBytes: number;
  readonly metrics: WitnessMetrics;
  readonly log: Logger;
  readonly now: () => number;
  /** Sessions bound on this process: session id → its connection. */
  readonly sessions: Map<string, Socket>;
}

/** Each session's own Socket.IO room, so that with the Redis adapter a session on another process is reached. */
export const sessionRoom = (session: string): string => `w:${session}`;

type Ack = (reply: unknown) => void;
interface WitnessData {
  session?: string;
  /** The one outstanding declaration challenge of this connection; used once. */
  challenge?: string;
}

/** Codes only a broken or hostile client causes; repeated, they end the connection. */
const OFFENCES: ReadonlySet<string> = new Set([
  WitnessErrorCode.MalformedMessage,
  WitnessErrorCode.OversizedMessage,
  WitnessErrorCode.UnexpectedMessage,
  WitnessErrorCode.InvalidStamp,
  WitnessErrorCode.InvalidAlert,
]);

export function attachWitnessNamespace(io: Server, deps: WitnessDeps): Namespace {
  const namespace = io.of(WITNESS_NAMESPACE);
  namespace.on('connection', (socket) => {
    try {
      onConnection(socket, deps, deps.sessions);
    } catch (error) {
      deps.log.error('witness-connection-failed', { error: errorName(error) });
      socket.disconnect(true);
    }
  });
  return namespace;
}

function onConnection(socket: Socket, deps: WitnessDeps, sessions: Map<string, Socket>): void {
  const { config, proximity, metrics, log } = deps;
  const data = socket.data as WitnessData;
  const rate = createRateLimiter(deps.maxMessagesPerSecond, deps.now);
  const offences = createOffenceBudget(deps.maxOffencesPerMinute, deps.now);

  const drop = (event: WitnessClientEvent | 'unknown', code: WitnessErrorCode, ack?: unknown): void => {
    metrics.drop(event, code);
    log.debug(`witness-dropped:${code}`);
    if (typeof ack === 'function') (ack as Ack)({ ok: false, code });
    else socket.emit(WitnessEvent.Error, { code, event });
    if (OFFENCES.has(code) && !offences.take() && socket.connected) socket.disconnect(true);
  };

  socket.use((packet, next) => {
    const [name, ...args] = packet as unknown[];
    const event = (WITNESS_CLIENT_EVENTS as readonly unknown[]).includes(name) ? (name as WitnessClientEvent) : 'unknown';
    if (!rate.take()) return drop(event, WitnessErrorCode.RateLimited, args.at(-1));
    if (event === 'unknown') return drop('unknown', WitnessErrorCode.UnexpectedMessage, args.at(-1));
    next();
  });

  const on = (event: WitnessClientEvent, handler: (payload: unknown, ack: unknown) => void): void => {
    socket.on(event, (...args: unknown[]) => {
      try {
        handler(args[0], args[1]);
      } catch (error) {
        log.error('witness-handler-failed', { error: errorName(error) });
        drop(event, WitnessErrorCode.Internal, args[1]);
      }
    });
  };

  on(WitnessEvent.Start, (payload, ack) => {
    if (typeof ack !== 'function') return drop(WitnessEvent.Start, WitnessErrorCode.MalformedMessage);
    const start = parseWitness(WitnessStartSchema, payload);
    if (!start.ok) return drop(WitnessEvent.Start, WitnessErrorCode.MalformedMessage, ack);
    if (start.value.v !== WITNESS_WIRE_VERSION) return drop(WitnessEvent.Start, WitnessErrorCode.IncompatibleVersion, ack);
    const { sessionId } = start.value;
    const holder = sessions.get(sessionId);
    if (holder !== undefined && holder !== socket) return drop(WitnessEvent.Start, WitnessErrorCode.SessionTaken, ack);
    if (data.session !== undefined && data.session !== sessionId) release(socket, deps, sessions);
    data.session = sessionId;
    sessions.set(sessionId, socket);
    void socket.join(sessionRoom(sessionId));
    (ack as Ack)({ ok: true, positionIntervalMs: config.positionIntervalMs, iceServers: deps.iceServers() });
  });

  on(WitnessEvent.Position, (payload) => {
    if (data.session === undefined) return drop(WitnessEvent.Position, WitnessErrorCode.UnexpectedMessage);
    const position = parseWitness(WitnessPositionSchema, payload);
    if (!position.ok) return drop(WitnessEvent.Position, WitnessErrorCode.MalformedMessage);
    proximity.report(data.session, position.value.latitude, position.value.longitude);
  });

  on(WitnessEvent.Signal, (payload) => {
    const from = data.session;
    if (from === undefined) return drop(WitnessEvent.Signal, WitnessErrorCode.UnexpectedMessage);
    const signal = parseWitness(WitnessSignalRequestSchema, payload);
    if (!signal.ok) return drop(WitnessEvent.Signal, WitnessErrorCode.MalformedMessage);
    if (witnessSignalSize(signal.value.data) > deps.maxSignalBytes) return drop(WitnessEvent.Signal, WitnessErrorCode.OversizedMessage);
    if (signal.value.to === from) return drop(WitnessEvent.Signal, WitnessErrorCode.UnexpectedMessage);
    // S1: `from` is the sender's own bound session; a session that is not there gets nothing, later or ever.
    socket.nsp.to(sessionRoom(signal.value.to)).emit(WitnessEvent.Signal, { from, data: signal.value.data });
  });

  on(WitnessEvent.Challenge, (_payload, ack) => {
    if (typeof ack !== 'function') return drop(WitnessEvent.Challenge, WitnessErrorCode.MalformedMessage);
    data.challenge = randomBytes(32).toString('hex');
    (ack as Ack)({ ok: true, challenge: data.challenge, bits: config.declarationBits });
  });

  on(WitnessEvent.Declare, (payload, ack) => {
    if (typeof ack !== 'function') return drop(WitnessEvent.Declare, WitnessErrorCode.MalformedMessage);
    const challenge = data.challenge;
    // A challenge is good for one attempt: a refused declaration needs a new one.
    delete data.challenge;
    const declaration = parseWitness(WitnessDeclareSchema, payload);
    if (!declaration.ok) return drop(WitnessEvent.Declare, WitnessErrorCode.MalformedMessage, ack);
    if (challenge === undefined) return drop(WitnessEvent.Declare, WitnessErrorCode.NoChallenge, ack);
    const { alerts, nonce } = declaration.value;
    const now = deps.now();
    if (!alerts.every((alert) => isAcceptableAlert(alert, now))) return drop(WitnessEvent.Declare, WitnessErrorCode.InvalidAlert, ack);
    // The server's own difficulty, never one the client names (as for I2).
    if (!verifyDeclarationStamp(challenge, alerts, nonce, config.declarationBits)) {
      return drop(WitnessEvent.Declare, WitnessErrorCode.InvalidStamp, ack);
    }
    // Every other witness client, on every process, with no sender id; then it is forgotten (W5).
    socket.broadcast.emit(WitnessEvent.Alerts, { alerts: alerts.map(({ token, expiresAt }) => ({ token, expiresAt })) });
    metrics.declared(alerts.length);
    log.info('witness-declaration-relayed', { count: alerts.length });
    (ack as Ack)({ ok: true });
  });

  socket.on('disconnect', () => release(socket, deps, sessions));
}

/** The connection's session ends: its position goes at once (W2), its id is free again. */
function release(socket: Socket, deps: WitnessDeps, sessions: Map<string, Socket>): void {
  const data = socket.data as WitnessData;
  const session = data.session;
  if (session === undefined) return;
  delete data.session;
  if (sessions.get(session) === socket) sessions.delete(session);
  deps.proximity.forget(session);
  void socket.leave(sessionRoom(session));
}
