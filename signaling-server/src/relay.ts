/**
 * S1: the Socket.IO handlers. The relay does not interpret set-up messages; it checks their shape and
 * size, relays them only between connections in the same room, writes `from` itself, and drops a
 * message whose addressee is absent (nothing is queued).
 *
 * Every payload is parsed from `unknown`. A handler never throws into the event loop: an unexpected
 * exception is logged by class name and answered with an `internal` error-message.
 */
import {
  SIGNALING_CLIENT_EVENTS,
  SignalingErrorCode,
  SignalingEvent,
  parseJoinRequest,
  parseLeaveRequest,
  parseSignalRequest,
  type IceServer,
  type JoinReply,
  type SignalingClientEvent,
  type SignalingServerToClientEvents,
} from '@ihyid/shared';
import type { Server, Socket } from 'socket.io';
import { errorName, type Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { createRateLimiter } from './rate.js';
import type { Departure, RoomRegistry } from './rooms.js';

/** Client events arrive as unknown arguments; only the server's own emits are typed. */
type IncomingEvents = Record<SignalingClientEvent, (...args: unknown[]) => void>;
export type SignalingIo = Server<IncomingEvents, SignalingServerToClientEvents>;
export type SignalingSocket = Socket<IncomingEvents, SignalingServerToClientEvents>;

export interface RelayDeps {
  readonly rooms: RoomRegistry<SignalingSocket>;
  readonly maxMessageBytes: number;
  readonly maxMessagesPerSecond: number;
  readonly iceServers: () => IceServer[];
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
}

type EventLabel = SignalingClientEvent | 'unknown';
type Ack = (reply: JoinReply) => void;

export function attachRelay(io: SignalingIo, deps: RelayDeps): void {
  io.on('connection', (socket) => {
    try {
      onConnection(socket, deps);
      deps.log.debug('connected', { connections: io.engine.clientsCount });
    } catch (error) {
      deps.log.error('connection-setup-failed', { error: errorName(error) });
      socket.disconnect(true);
    }
  });
}

function onConnection(socket: SignalingSocket, deps: RelayDeps): void {
  const { rooms, log, metrics } = deps;
  const limiter = createRateLimiter(deps.maxMessagesPerSecond, deps.now);
  // One `rate-limited` notice per second at most, so a flood is not answered by a flood.
  let lastRateNotice = Number.NEGATIVE_INFINITY;

  const drop = (event: EventLabel, code: SignalingErrorCode): void => {
    metrics.drop(event, code);
    log.debug('dropped', { on: event, code });
    socket.emit(SignalingEvent.ErrorMessage, { code, event });
  };

  // Runs before any handler: unknown events and connections over their rate go no further.
  socket.use((packet, next) => {
    try {
      const [name, ...args] = packet as unknown[];
      const event = knownEvent(name);
      if (!limiter.take()) return refuseOverRate(event, args.at(-1));
      if (event === 'unknown') return drop('unknown', SignalingErrorCode.UnexpectedMessage);
      next();
    } catch (error) {
      log.error('middleware-failed', { error: errorName(error) });
    }
  });

  const refuseOverRate = (event: EventLabel, ack: unknown): void => {
    metrics.drop(event, SignalingErrorCode.RateLimited);
    if (event === SignalingEvent.Join && typeof ack === 'function') {
      (ack as Ack)({ ok: false, code: SignalingErrorCode.RateLimited });
    } else if (deps.now() - lastRateNotice >= 1000) {
      lastRateNotice = deps.now();
      socket.emit(SignalingEvent.ErrorMessage, { code: SignalingErrorCode.RateLimited, event });
    }
  };

  const guarded =
    (event: SignalingClientEvent, handler: (args: unknown[]) => void) =>
    (...args: unknown[]): void => {
      try {
        handler(args);
      } catch (error) {
        log.error('handler-failed', { on: event, error: errorName(error) });
        metrics.drop(event, SignalingErrorCode.Internal);
        try {
          socket.emit(SignalingEvent.ErrorMessage, { code: SignalingErrorCode.Internal, event });
        } catch {
          // The socket is already gone; nothing more to do.
        }
      }
    };

  socket.on(
    SignalingEvent.Join,
    guarded(SignalingEvent.Join, (args) => {
      const last = args.at(-1);
      if (typeof last !== 'function') return drop(SignalingEvent.Join, SignalingErrorCode.MalformedMessage);
      const ack = last as Ack;
      const fail = (code: SignalingErrorCode): void => {
        metrics.drop(SignalingEvent.Join, code);
        log.debug('join-refused', { code });
        ack({ ok: false, code });
      };
      if (args.length !== 2) return fail(SignalingErrorCode.MalformedMessage);
      const request = parseJoinRequest(args[0]);
      if (!request.ok) {
        const incompatible = request.error.code === SignalingErrorCode.IncompatibleVersion;
        return fail(incompatible ? SignalingErrorCode.IncompatibleVersion : SignalingErrorCode.MalformedMessage);
      }

      const { roomId } = request.value;
      const outcome = rooms.join(socket, roomId);
      if (!outcome.ok) return fail(outcome.code);
      if (!outcome.alreadyJoined) {
        metrics.joins++;
        for (const other of outcome.others) other.emit(SignalingEvent.PeerJoined, { roomId, peer: outcome.self });
      }
      ack({ ok: true, self: outcome.self, peers: outcome.peers, iceServers: deps.iceServers() });
    }),
  );

  socket.on(
    SignalingEvent.Signal,
    guarded(SignalingEvent.Signal, (args) => {
      if (args.length !== 1) return drop(SignalingEvent.Signal, SignalingErrorCode.MalformedMessage);
      const request = parseSignalRequest(args[0], { maxDataBytes: deps.maxMessageBytes });
      if (!request.ok) {
        const oversized = request.error.code === SignalingErrorCode.OversizedMessage;
        return drop(SignalingEvent.Signal, oversized ? SignalingErrorCode.OversizedMessage : SignalingErrorCode.MalformedMessage);
      }
      const { roomId, to, data } = request.value;
      // S1: the sender's identity is its own membership of this room, never a field it sent.
      const from = rooms.peerIdOf(socket, roomId);
      if (from === undefined) return drop(SignalingEvent.Signal, SignalingErrorCode.NotInRoom);
      const target = to === from ? undefined : rooms.connectionOf(roomId, to);
      // An absent addressee gets nothing later: the message is dropped here, not queued.
      if (target === undefined) return drop(SignalingEvent.Signal, SignalingErrorCode.PeerNotFound);
      target.emit(SignalingEvent.Signal, { roomId, from, data });
      metrics.signalsRelayed++;
    }),
  );

  socket.on(
    SignalingEvent.Leave,
    guarded(SignalingEvent.Leave, (args) => {
      // An acknowledgement callback is tolerated and ignored; leave needs no answer.
      const payload = typeof args.at(-1) === 'function' ? args.slice(0, -1) : args;
      if (payload.length !== 1) return drop(SignalingEvent.Leave, SignalingErrorCode.MalformedMessage);
      const request = parseLeaveRequest(payload[0]);
      if (!request.ok) return drop(SignalingEvent.Leave, SignalingErrorCode.MalformedMessage);
      // Leaving a room one is not in is a no-op: the outcome the client wants already holds.
      const departure = rooms.leave(socket, request.value.roomId);
      if (departure !== null) announce(departure);
    }),
  );

  socket.on('disconnect', () => {
    try {
      for (const departure of rooms.leaveAll(socket)) announce(departure);
    } catch (error) {
      log.error('disconnect-cleanup-failed', { error: errorName(error) });
    }
  });

}

function announce({ roomId, peer, others }: Departure<SignalingSocket>): void {
  for (const other of others) other.emit(SignalingEvent.PeerLeft, { roomId, peer });
}

function knownEvent(name: unknown): EventLabel {
  return (SIGNALING_CLIENT_EVENTS as readonly unknown[]).includes(name) ? (name as SignalingClientEvent) : 'unknown';
}
