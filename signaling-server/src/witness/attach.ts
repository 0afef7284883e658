/**
 * W2, W5, W7 on the server: the `/witness` Socket.IO namespace. It keeps, per live connection, a
 * session id it made for that connection and its latest position (through a Proximity), introduces
 * sessions within the radius to each other, relays their WebRTC set-up between sessions matched in the
 * last interval only, and relays declarations (made on connections with no session) to every other
 * witness client without any sender id, then forgets them. Nothing is queued for an absent session, nothing written.
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
import type { AddressBudget } from '../per-ip.js';
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
  /** W7: a fresh random session id (a UUID v4) for each connection that starts witness mode. */
  readonly newSessionId: () => string;
  /** W7: witness connections per address, and positions per address per interval. */
  readonly addresses: AddressBudget;
  readonly addressOf: (socket: Socket) => string;
}

/** Each session's own Socket.IO room, so that with the Redis adapter a session on another process is reached. */
export const sessionRoom = (session: string): string => `w:${session}`;

type Ack = (reply: unknown) => void;
interface WitnessData {
  session?: string;
  /** Set by the first challenge: this connection declares and will never hold a session (W7). */
  declaring?: boolean;
  /** When this connection's last accepted position came (W7: one per interval). */
  lastPositionAt?: number;
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
  // W7: over the per-address cap, the client hears `too-many-connections` as its connect_error.
  namespace.use((socket, next) => {
    if (deps.addresses.allows(deps.addressOf(socket))) return next();
    deps.metrics.drop('unknown', WitnessErrorCode.TooManyConnections);
    next(new Error(WitnessErrorCode.TooManyConnections));
  });
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
  const address = deps.addressOf(socket);
  // W7: the middleware refused most connections over the cap; this catches handshakes that raced it.
  if (!deps.addresses.open(address)) {
    metrics.drop('unknown', WitnessErrorCode.TooManyConnections);
    socket.disconnect(true);
    return;
  }
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
    // W7: one session per connection, made here; a declaring connection never gets one.
    if (data.session !== undefined || data.declaring === true) return drop(WitnessEvent.Start, WitnessErrorCode.UnexpectedMessage, ack);
    const sessionId = deps.newSessionId();
    data.session = sessionId;
    sessions.set(sessionId, socket);
    void socket.join(sessionRoom(sessionId));
    (ack as Ack)({ ok: true, sessionId, positionIntervalMs: config.positionIntervalMs, iceServers: deps.iceServers() });
  });

  on(WitnessEvent.Position, (payload) => {
    if (data.session === undefined) return drop(WitnessEvent.Position, WitnessErrorCode.UnexpectedMessage);
    const position = parseWitness(WitnessPositionSchema, payload);
    if (!position.ok) return drop(WitnessEvent.Position, WitnessErrorCode.MalformedMessage);
    // W7: one position per interval per connection, and the address's budget across its connections.
    const now = deps.now();
    if (data.lastPositionAt !== undefined && now - data.lastPositionAt < config.positionIntervalMs) {
      return drop(WitnessEvent.Position, WitnessErrorCode.PositionTooSoon);
    }
    if (!deps.addresses.take(address)) return drop(WitnessEvent.Position, WitnessErrorCode.PositionTooSoon);
    data.lastPositionAt = now;
    proximity.report(data.session, position.value.latitude, position.value.longitude);
  });

  on(WitnessEvent.Signal, (payload) => {
    const from = data.session;
    if (from === undefined) return drop(WitnessEvent.Signal, WitnessErrorCode.UnexpectedMessage);
    const signal = parseWitness(WitnessSignalRequestSchema, payload);
    if (!signal.ok) return drop(WitnessEvent.Signal, WitnessErrorCode.MalformedMessage);
    if (witnessSignalSize(signal.value.data) > deps.maxSignalBytes) return drop(WitnessEvent.Signal, WitnessErrorCode.OversizedMessage);
    const { to } = signal.value;
    if (to === from) return drop(WitnessEvent.Signal, WitnessErrorCode.UnexpectedMessage);
    // W7: only to a session this one was matched with in the last interval; S1: `from` is the sender's
    // own session, and a session that is not there gets nothing, later or ever.
    void Promise.resolve(proximity.matched(from, to)).then(
      (matched) => {
        if (!matched) return drop(WitnessEvent.Signal, WitnessErrorCode.NotMatched);
        if (data.session === from) socket.nsp.to(sessionRoom(to)).emit(WitnessEvent.Signal, { from, data: signal.value.data });
      },
      (error: unknown) => {
        log.error('witness-match-check-failed', { error: errorName(error) });
        drop(WitnessEvent.Signal, WitnessErrorCode.Internal);
      },
    );
  });

  on(WitnessEvent.Challenge, (_payload, ack) => {
    if (typeof ack !== 'function') return drop(WitnessEvent.Challenge, WitnessErrorCode.MalformedMessage);
    // W7: a declaration travels on a connection bound to no session (and never to be bound to one).
    if (data.session !== undefined) return drop(WitnessEvent.Challenge, WitnessErrorCode.UnexpectedMessage, ack);
    data.declaring = true;
    data.challenge = randomBytes(32).toString('hex');
    (ack as Ack)({ ok: true, challenge: data.challenge, bits: config.declarationBits });
  });

  on(WitnessEvent.Declare, (payload, ack) => {
    if (typeof ack !== 'function') return drop(WitnessEvent.Declare, WitnessErrorCode.MalformedMessage);
    if (data.session !== undefined) return drop(WitnessEvent.Declare, WitnessErrorCode.UnexpectedMessage, ack);
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

  socket.on('disconnect', () => {
    deps.addresses.close(address);
    release(socket, deps, sessions);
  });
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
