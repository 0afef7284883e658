import { ErrorCode } from '../core/errors.js';
import type { PeerId, RoomId } from '../core/ids.js';
import { SignalingErrorCode, type IceServer, type RoomCloseReason, type SignalData } from './protocol.js';
import { roomIdOfCloseProof } from './room.js';

/** What a room tells its member (S1): who came, who went, and the set-up signals relayed to it. */
export interface RoomHandlers {
  onPeerJoined(peer: PeerId): void;
  onPeerLeft(peer: PeerId): void;
  onSignal(from: PeerId, data: SignalData): void;
  /**
   * The connection to the server was lost (a restart, the network): the server forgot this member, so
   * nobody can find it in the room until it joins again (#12). A data channel already open is not
   * affected; it never went through the server.
   */
  onLost?(): void;
  /** I9: the room's link was used or revoked while we were in it (`room-closed`); nobody new can join. */
  onClosed?(reason: RoomCloseReason): void;
}

/** A join's outcome: our id in the room, the peers already there (the newcomer initiates), the ICE list (S6). */
export type JoinOutcome =
  | { ok: true; self: PeerId; peers: PeerId[]; iceServers: IceServer[] }
  /** `reason` comes with `room-closed` (I9): why the link no longer works. */
  | { ok: false; code: string; reason?: RoomCloseReason };

/** A close-room's outcome: recorded, or refused with a code (`signaling-unavailable` when the server could not be asked). */
export type CloseOutcome = { ok: true } | { ok: false; code: string };

/**
 * The app's side of the signaling contract (./protocol.ts), as partner connections use it. The app
 * implements it over socket.io-client (app/src/network/signaling.ts); tests use the in-memory hub
 * below. `runSignalingClientContract` (shared/test/support/signaling-contract.ts) holds both to the
 * same behaviour.
 */
export interface SignalingClient {
  /** Joins a room; the handlers replace those of any earlier join on this client. */
  join(roomId: RoomId, handlers: RoomHandlers): Promise<JoinOutcome>;
  signal(roomId: RoomId, to: PeerId, data: SignalData): void;
  leave(roomId: RoomId): void;
  /**
   * I9: closes a room whose link was used or revoked; `proof` (room.ts `closableRoom`) shows we hold
   * its secret. Joins are refused from then on, and its members told `onClosed`.
   */
  closeRoom(roomId: RoomId, proof: Uint8Array, reason: RoomCloseReason): Promise<CloseOutcome>;
  /** Leaves every room; the others see `onPeerLeft`. */
  close(): void;
}

export interface InMemorySignalingHub {
  /** A new client, as if a new browser connected to the server. */
  connect(): SignalingClient;
  /** Peers in a room now (for tests' assertions). */
  members(roomId: RoomId): PeerId[];
  /** The server restarts: every room is forgotten and every member told `onLost`; clients may join again. */
  restart(): void;
}

/**
 * The signaling server's room semantics in memory (S1, S3): two members per room, ids made by the
 * hub, a repeated join keeps its id and announces nothing, `from` set by the hub, a signal to a peer
 * not in the room dropped. Delivery is asynchronous (a microtask), like a socket.
 */
export function inMemorySignalingHub(options: { iceServers?: IceServer[]; roomCapacity?: number } = {}): InMemorySignalingHub {
  type Member = { client: object; self: PeerId; handlers: RoomHandlers };
  const rooms = new Map<RoomId, Member[]>();
  // I9: closed rooms outlive a restart here, as in the server's Redis store (its memory store forgets
  // them when its process ends).
  const closedRooms = new Map<RoomId, RoomCloseReason>();
  const capacity = options.roomCapacity ?? 2;
  let next = 0;
  const later = (run: () => void) => void Promise.resolve().then(run);
  const newId = () => (next++).toString(16).padStart(32, '0') as PeerId;

  const depart = (client: object, roomId: RoomId) => {
    const members = rooms.get(roomId) ?? [];
    const leaving = members.find((m) => m.client === client);
    if (!leaving) return;
    const rest = members.filter((m) => m !== leaving);
    if (rest.length) rooms.set(roomId, rest);
    else rooms.delete(roomId);
    for (const m of rest) later(() => m.handlers.onPeerLeft(leaving.self));
  };

  return {
    members: (roomId) => (rooms.get(roomId) ?? []).map((m) => m.self),
    restart() {
      const lost = [...rooms.values()].flat();
      rooms.clear();
      for (const m of lost) later(() => m.handlers.onLost?.());
    },
    connect() {
      const client = {};
      let closed = false;
      const joined = new Set<RoomId>();
      return {
        join(roomId, handlers) {
          return new Promise((resolve) =>
            later(() => {
              if (closed) return resolve({ ok: false, code: ErrorCode.SignalingUnavailable });
              const shut = closedRooms.get(roomId);
              if (shut) return resolve({ ok: false, code: SignalingErrorCode.RoomClosed, reason: shut });
              const members = rooms.get(roomId) ?? [];
              const again = members.find((m) => m.client === client);
              const others = members.filter((m) => m.client !== client).map((m) => m.self);
              if (again) {
                again.handlers = handlers;
                return resolve({ ok: true, self: again.self, peers: others, iceServers: options.iceServers ?? [] });
              }
              if (members.length >= capacity) return resolve({ ok: false, code: ErrorCode.RoomFull });
              const self = newId();
              rooms.set(roomId, [...members, { client, self, handlers }]);
              joined.add(roomId);
              for (const m of members) later(() => m.handlers.onPeerJoined(self));
              resolve({ ok: true, self, peers: others, iceServers: options.iceServers ?? [] });
            }),
          );
        },
        signal(roomId, to, data) {
          const members = rooms.get(roomId) ?? [];
          const from = members.find((m) => m.client === client);
          const target = members.find((m) => m.self === to && m.client !== client);
          if (closed || !from || !target) return;
          later(() => target.handlers.onSignal(from.self, data));
        },
        leave(roomId) {
          joined.delete(roomId);
          depart(client, roomId);
        },
        closeRoom(roomId, proof, reason) {
          return new Promise((resolve) =>
            later(() => {
              if (closed) return resolve({ ok: false, code: ErrorCode.SignalingUnavailable });
              if (roomIdOfCloseProof(proof) !== roomId) return resolve({ ok: false, code: SignalingErrorCode.BadProof });
              if (!closedRooms.has(roomId)) closedRooms.set(roomId, reason);
              for (const m of rooms.get(roomId) ?? []) later(() => m.handlers.onClosed?.(reason));
              resolve({ ok: true });
            }),
          );
        },
        close() {
          if (closed) return;
          closed = true;
          for (const roomId of joined) depart(client, roomId);
          joined.clear();
        },
      };
    },
  };
}
