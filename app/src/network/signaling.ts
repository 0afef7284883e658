import { io, type Socket } from 'socket.io-client';
import {
  bytesToHex,
  ErrorCode,
  parseCloseRoomReply,
  parseJoinReply,
  parseRoomClosed,
  parsePeerJoined,
  parsePeerLeft,
  parseSignalMessage,
  SIGNALING_PATH,
  SIGNALING_PROTOCOL_VERSION,
  SignalingEvent,
  type CloseOutcome,
  type JoinOutcome,
  type RoomCloseReason,
  type PeerId,
  type RoomHandlers,
  type RoomId,
  type SignalData,
  type SignalingClient,
} from '@ihyid/shared';

const JOIN_TIMEOUT_MS = 10_000;

/**
 * The app's SignalingClient (shared/src/signaling/client.ts) over socket.io-client.
 * Everything the server sends is parsed from unknown; a message that does not parse is ignored,
 * because the server is not trusted to be well-behaved either.
 */
export class SignalingConnection implements SignalingClient {
  private readonly socket: Socket;

  constructor(url: string) {
    this.socket = io(url, { path: SIGNALING_PATH, transports: ['websocket'], reconnection: true });
  }

  join(roomId: RoomId, handlers: RoomHandlers): Promise<JoinOutcome> {
    this.socket.off(SignalingEvent.PeerJoined).off(SignalingEvent.PeerLeft).off(SignalingEvent.Signal).off(SignalingEvent.RoomClosed).off('disconnect');
    // The server forgets a disconnected socket's rooms; Socket.IO reconnects the socket, not the rooms.
    this.socket.on('disconnect', () => handlers.onLost?.());
    this.socket.on(SignalingEvent.PeerJoined, (raw: unknown) => {
      const m = parsePeerJoined(raw);
      if (m.ok && m.value.roomId === roomId) handlers.onPeerJoined(m.value.peer);
    });
    this.socket.on(SignalingEvent.PeerLeft, (raw: unknown) => {
      const m = parsePeerLeft(raw);
      if (m.ok && m.value.roomId === roomId) handlers.onPeerLeft(m.value.peer);
    });
    this.socket.on(SignalingEvent.RoomClosed, (raw: unknown) => {
      const m = parseRoomClosed(raw);
      if (m.ok && m.value.roomId === roomId) handlers.onClosed?.(m.value.reason);
    });
    this.socket.on(SignalingEvent.Signal, (raw: unknown) => {
      const m = parseSignalMessage(raw);
      if (m.ok && m.value.roomId === roomId) handlers.onSignal(m.value.from, m.value.data);
    });
    return new Promise((resolve) => {
      this.socket
        .timeout(JOIN_TIMEOUT_MS)
        .emit(SignalingEvent.Join, { roomId, version: SIGNALING_PROTOCOL_VERSION }, (error: Error | null, raw: unknown) => {
          if (error) return resolve({ ok: false, code: ErrorCode.SignalingUnavailable });
          const reply = parseJoinReply(raw);
          if (!reply.ok) return resolve({ ok: false, code: ErrorCode.SignalingUnavailable });
          const r = reply.value;
          if (r.ok) return resolve({ ok: true, self: r.self, peers: r.peers, iceServers: r.iceServers });
          resolve(r.reason === undefined ? { ok: false, code: r.code } : { ok: false, code: r.code, reason: r.reason });
        });
    });
  }

  signal(roomId: RoomId, to: PeerId, data: SignalData): void {
    this.socket.emit(SignalingEvent.Signal, { roomId, to, data });
  }

  leave(roomId: RoomId): void {
    this.socket.emit(SignalingEvent.Leave, { roomId });
  }

  closeRoom(roomId: RoomId, proof: Uint8Array, reason: RoomCloseReason): Promise<CloseOutcome> {
    return new Promise((resolve) => {
      this.socket
        .timeout(JOIN_TIMEOUT_MS)
        .emit(SignalingEvent.CloseRoom, { roomId, proof: bytesToHex(proof), reason }, (error: Error | null, raw: unknown) => {
          const reply = error ? null : parseCloseRoomReply(raw);
          resolve(reply?.ok ? reply.value : { ok: false, code: ErrorCode.SignalingUnavailable });
        });
    });
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.close();
  }
}
