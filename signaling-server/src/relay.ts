/**
 * S1: the Socket.IO handlers. The relay does not interpret set-up messages; it checks their shape and
 * size, relays them only between connections in the same room, writes `from` itself, and drops a
 * message whose addressee is absent (nothing is queued).
 *
 * A signal to a peer on this process is emitted to its socket directly. When rooms are shared with
 * other processes (Redis, see redis.ts) every member also joins the Socket.IO rooms `r:<roomId>` (for
 * peer-joined and peer-left) and `p:<roomId>:<peerId>` (its own signals), which the Redis adapter
 * reaches on every process. A single process skips them: they would cost memory for nothing.
 *
 * Every payload is parsed from `unknown`. A handler never throws into the event loop: an unexpected
 * exception is logged by class name and answered with an `internal` error-message.
 */
import {
  SIGNALING_CLIENT_EVENTS,
  SignalingErrorCode,
  SignalingEvent,
  type RoomCloseReason,
  parseJoinRequest,
  parseLeaveRequest,
  parseSignalRequest,
  type IceServer,
  type PeerId,
  type RoomId,
  type SignalingClientEvent,
  type SignalingServerToClientEvents,
} from '@ihyid/shared';
import { closeRoom } from './close-room.js';
import type { ClosedRooms } from './closed-rooms.js';
import { Guard, type Ack, type EventLabel } from './guard.js';
import { errorName, type Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { RoomRegistry } from './rooms.js';
import type { Seats } from './seats.js';

import type { SignalingIo, SignalingSocket } from './socket.js';

export interface RelayDeps {
  readonly rooms: RoomRegistry<SignalingSocket>;
  readonly seats: Seats;
  /** I9: rooms closed with `close-room`, whose joins are refused at once (closed-rooms.ts). */
  readonly closedRooms: ClosedRooms;
  readonly newPeerId: () => PeerId;
  readonly maxMessageBytes: number;
  readonly maxMessagesPerSecond: number;
  readonly maxRoomsPerConnection: number;
  readonly maxOffencesPerMinute: number;
  readonly maxClosesPerMinute: number;
  readonly iceServers: () => IceServer[];
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
  /** Work that outlives its handler (seat releases, peer-left); the server awaits it on shutdown. */
  readonly track: (work: Promise<void>) => void;
}

export const roomChannel = (roomId: RoomId): string => `r:${roomId}`;
export const peerChannel = (roomId: RoomId, peer: PeerId): string => `p:${roomId}:${peer}`;

/** A fresh 128-bit id colliding with a seated one means a broken generator; a few tries tell which. */
const CLAIM_ATTEMPTS = 4;

type Handler = (guard: Guard, args: unknown[]) => void | Promise<void>;

export function attachRelay(io: SignalingIo, deps: RelayDeps): void {
  const { log } = deps;
  /** One listener per event for all connections: Socket.IO calls it with `this` set to the socket. */
  const listener = (event: SignalingClientEvent, handler: Handler) =>
    function (this: SignalingSocket, ...args: unknown[]): void {
      const guard = this.data as Guard;
      const failed = (error: unknown): void => {
        log.error('handler-failed', { on: event, error: errorName(error) });
        guard.drop(event, SignalingErrorCode.Internal);
      };
      try {
        handler(guard, args)?.catch(failed);
      } catch (error) {
        failed(error);
      }
    };
  const onJoin = listener(SignalingEvent.Join, (guard, args) => join(io, deps, guard, args));
  const onSignal = listener(SignalingEvent.Signal, (guard, args) => signal(io, deps, guard, args));
  const onLeave = listener(SignalingEvent.Leave, (guard, args) => leave(io, deps, guard, args));
  const announce = (roomId: RoomId, reason: RoomCloseReason): void => {
    const message = { roomId, reason };
    if (deps.seats.shared) io.to(roomChannel(roomId)).emit(SignalingEvent.RoomClosed, message);
    else for (const member of deps.rooms.membersOf(roomId)) member.emit(SignalingEvent.RoomClosed, message);
  };
  const onCloseRoom = listener(SignalingEvent.CloseRoom, (guard, args) => closeRoom({ ...deps, announce }, guard, args));
  function onDisconnect(this: SignalingSocket): void {
    try {
      // Socket.IO has already taken the socket out of its rooms.
      for (const departure of deps.rooms.leaveAll(this)) depart(io, deps, departure.roomId, departure.peer);
    } catch (error) {
      log.error('disconnect-cleanup-failed', { error: errorName(error) });
    }
  }

  io.on('connection', (socket) => {
    try {
      const guard = new Guard(socket, deps);
      socket.data = guard;
      // Runs before any handler: unknown events and connections over their rate go no further.
      socket.use((packet, next) => admit(guard, packet as unknown[], next));
      socket.on(SignalingEvent.Join, onJoin);
      socket.on(SignalingEvent.Signal, onSignal);
      socket.on(SignalingEvent.Leave, onLeave);
      socket.on(SignalingEvent.CloseRoom, onCloseRoom);
      socket.on('disconnect', onDisconnect);
      log.debug('connected', { connections: io.engine.clientsCount });
    } catch (error) {
      log.error('connection-setup-failed', { error: errorName(error) });
      socket.disconnect(true);
    }
  });
}

function admit(guard: Guard, packet: unknown[], next: () => void): void {
  const event = knownEvent(packet[0]);
  if (!guard.withinRate()) return guard.overRate(event, packet.at(-1));
  if (event === 'unknown') return guard.drop('unknown', SignalingErrorCode.UnexpectedMessage);
  next();
}

async function join(io: SignalingIo, deps: RelayDeps, guard: Guard, args: unknown[]): Promise<void> {
  const last = args.at(-1);
  if (typeof last !== 'function') return guard.drop(SignalingEvent.Join, SignalingErrorCode.MalformedMessage);
  const ack = last as Ack;
  if (args.length !== 2) return guard.refuse(ack, SignalingErrorCode.MalformedMessage);
  const request = parseJoinRequest(args[0]);
  if (!request.ok) {
    const incompatible = request.error.code === SignalingErrorCode.IncompatibleVersion;
    return guard.refuse(ack, incompatible ? SignalingErrorCode.IncompatibleVersion : SignalingErrorCode.MalformedMessage);
  }
  const { roomId } = request.value;
  const { rooms, seats, log } = deps;
  const socket = guard.socket;

  // Runs on synchronously when nothing is pending, so that two joins arriving in one tick cannot both
  // start a claim; loops because another join may have started while this one waited.
  while (guard.pending?.has(roomId) === true) await guard.pending.get(roomId);
  const existing = rooms.peerIdOf(socket, roomId);
  if (existing !== undefined) {
    // A repeated join (a reconnecting app, a double click) keeps its id and announces nothing.
    const peers = (await seats.peers(roomId)).filter((peer) => peer !== existing);
    return ack({ ok: true, self: existing, peers, iceServers: deps.iceServers() });
  }
  if (rooms.roomsOf(socket) + guard.pendingCount() >= deps.maxRoomsPerConnection) {
    return guard.refuse(ack, SignalingErrorCode.TooManyRooms);
  }
  const claiming = closedOrSeat(deps, roomId);
  const pending = (guard.pending ??= new Map());
  pending.set(roomId, claiming.catch(() => {}));
  let claimed: Awaited<typeof claiming>;
  try {
    claimed = await claiming;
  } catch (error) {
    // The shared store is unreachable: the join fails, the server does not.
    log.warn('seat-claim-failed', { error: errorName(error) });
    return guard.refuse(ack, SignalingErrorCode.Internal);
  } finally {
    pending.delete(roomId);
    if (pending.size === 0) guard.pending = undefined;
  }
  if (claimed === null) return guard.refuse(ack, SignalingErrorCode.RoomFull);
  if ('closed' in claimed) {
    // I9: the link was used or revoked; the joiner reads why at once instead of waiting.
    deps.metrics.drop(SignalingEvent.Join, SignalingErrorCode.RoomClosed);
    return ack({ ok: false, code: SignalingErrorCode.RoomClosed, reason: claimed.closed });
  }
  const { self, peers } = claimed;
  if (socket.disconnected) {
    // Gone while the seat was being claimed: give it back, tell no one.
    deps.track(seats.release(roomId, self).catch(releaseFailed(log)));
    return;
  }
  if (seats.shared) {
    void socket.join([roomChannel(roomId), peerChannel(roomId, self)]);
    socket.to(roomChannel(roomId)).emit(SignalingEvent.PeerJoined, { roomId, peer: self });
  } else {
    for (const other of rooms.membersOf(roomId)) other.emit(SignalingEvent.PeerJoined, { roomId, peer: self });
  }
  rooms.add(socket, roomId, self);
  deps.metrics.joined();
  ack({ ok: true, self, peers, iceServers: deps.iceServers() });
}

function signal(io: SignalingIo, deps: RelayDeps, guard: Guard, args: unknown[]): void | Promise<void> {
  const drop = (code: SignalingErrorCode): void => guard.drop(SignalingEvent.Signal, code);
  if (args.length !== 1) return drop(SignalingErrorCode.MalformedMessage);
  const request = parseSignalRequest(args[0], { maxDataBytes: deps.maxMessageBytes });
  if (!request.ok) {
    const oversized = request.error.code === SignalingErrorCode.OversizedMessage;
    return drop(oversized ? SignalingErrorCode.OversizedMessage : SignalingErrorCode.MalformedMessage);
  }
  const { roomId, to, data } = request.value;
  const { rooms, seats } = deps;
  // S1: the sender's identity is its own membership of this room, never a field it sent.
  const from = rooms.peerIdOf(guard.socket, roomId);
  if (from === undefined) return drop(SignalingErrorCode.NotInRoom);
  if (to === from) return drop(SignalingErrorCode.PeerNotFound);
  const message = { roomId, from, data };
  const local = rooms.connectionOf(roomId, to);
  if (local !== undefined) {
    local.emit(SignalingEvent.Signal, message);
    deps.metrics.relayed();
    return;
  }
  // An absent addressee gets nothing later: the message is dropped here, not queued.
  if (!seats.shared) return drop(SignalingErrorCode.PeerNotFound);
  return seats.isSeated(roomId, to).then((seated) => {
    if (!seated) return drop(SignalingErrorCode.PeerNotFound);
    // The sender may have left while the store answered.
    if (rooms.peerIdOf(guard.socket, roomId) !== from) return drop(SignalingErrorCode.NotInRoom);
    io.to(peerChannel(roomId, to)).emit(SignalingEvent.Signal, message);
    deps.metrics.relayed();
  });
}

async function leave(io: SignalingIo, deps: RelayDeps, guard: Guard, args: unknown[]): Promise<void> {
  // An acknowledgement callback is tolerated and ignored; leave needs no answer.
  const payload = typeof args.at(-1) === 'function' ? args.slice(0, -1) : args;
  if (payload.length !== 1) return guard.drop(SignalingEvent.Leave, SignalingErrorCode.MalformedMessage);
  const request = parseLeaveRequest(payload[0]);
  if (!request.ok) return guard.drop(SignalingEvent.Leave, SignalingErrorCode.MalformedMessage);
  const { roomId } = request.value;
  while (guard.pending?.has(roomId) === true) await guard.pending.get(roomId);
  // Leaving a room one is not in is a no-op: the outcome the client wants already holds.
  const departure = deps.rooms.leave(guard.socket, roomId);
  if (departure === null) return;
  if (deps.seats.shared) {
    void guard.socket.leave(roomChannel(roomId));
    void guard.socket.leave(peerChannel(roomId, departure.peer));
  }
  depart(io, deps, roomId, departure.peer);
}

/** A closed room (I9) is refused before any seat is taken. */
async function closedOrSeat(deps: RelayDeps, roomId: RoomId): Promise<{ closed: RoomCloseReason } | { self: PeerId; peers: PeerId[] } | null> {
  const closed = await deps.closedRooms.reasonOf(roomId);
  return closed === null ? claimSeat(deps.seats, roomId, deps.newPeerId) : { closed };
}

async function claimSeat(
  seats: Seats,
  roomId: RoomId,
  newPeerId: () => PeerId,
): Promise<{ self: PeerId; peers: PeerId[] } | null> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const self = newPeerId();
    const claim = await seats.claim(roomId, self);
    if (claim.ok) return { self, peers: claim.peers };
    if (claim.reason === 'room-full') return null;
  }
  throw new Error('peer id generator keeps returning ids already in the room');
}

/** Frees the seat, then tells the others: a newcomer they see arrive next must find the seat free. */
function depart(io: SignalingIo, deps: RelayDeps, roomId: RoomId, peer: PeerId): void {
  deps.track(
    deps.seats
      .release(roomId, peer)
      .catch(releaseFailed(deps.log))
      .then(() => {
        if (deps.seats.shared) io.to(roomChannel(roomId)).emit(SignalingEvent.PeerLeft, { roomId, peer });
        else for (const other of deps.rooms.membersOf(roomId)) other.emit(SignalingEvent.PeerLeft, { roomId, peer });
      }),
  );
}

/** A seat whose release failed is not renewed, so its lease frees it later (see redis.ts). */
const releaseFailed =
  (log: Logger) =>
  (error: unknown): void => {
    log.warn('seat-release-failed', { error: errorName(error) });
  };

function knownEvent(name: unknown): EventLabel {
  return (SIGNALING_CLIENT_EVENTS as readonly unknown[]).includes(name) ? (name as SignalingClientEvent) : 'unknown';
}
