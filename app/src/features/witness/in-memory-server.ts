import { ErrorCode, seededBytes, uuidV4, verifyDeclarationStamp, type SignalData, type WitnessAlert } from '@ihyid/shared';
import type { DeclarationConnection, WitnessConnection, WitnessSocketHandlers } from './socket';

/**
 * The fake of the `/witness` namespace for unit tests of the witness service: connections that get a
 * session id on start (W7), positions recorded as sent, signals relayed between sessions, declarations
 * checked against their stamp (W5) and passed to every connection as alerts. Who is near whom is the
 * test's to say (`introduce`): the proximity matcher has its own tests (shared/test, server tests).
 */
export function inMemoryWitnessServer(options: { positionIntervalMs?: number; bits?: number } = {}) {
  const random = seededBytes(7);
  const live = new Map<string, WitnessSocketHandlers>();
  const sockets: { handlers: WitnessSocketHandlers; connected: boolean; sessionId: string | null; positions: [number, number][] }[] = [];
  const declared: WitnessAlert[][] = [];
  const later = (run: () => void) => void Promise.resolve().then(run);

  const server = {
    sockets,
    declared,
    /** Opens a connection as the service asks; it connects a microtask later, like a socket. */
    openSocket(handlers: WitnessSocketHandlers): WitnessConnection {
      const socket = { handlers, connected: false, sessionId: null as string | null, positions: [] as [number, number][] };
      sockets.push(socket);
      later(() => {
        socket.connected = true;
        handlers.onConnect();
      });
      return {
        get connected() {
          return socket.connected;
        },
        start: async () => {
          if (!socket.connected) return { ok: false, code: ErrorCode.SignalingUnavailable } as const;
          if (socket.sessionId) live.delete(socket.sessionId);
          socket.sessionId = uuidV4(random);
          live.set(socket.sessionId, handlers);
          return { ok: true, sessionId: socket.sessionId, positionIntervalMs: options.positionIntervalMs ?? 600_000, iceServers: [] };
        },
        position: (latitude, longitude) => void socket.positions.push([latitude, longitude]),
        signal: (to: string, data: SignalData) => {
          const from = socket.sessionId;
          const target = live.get(to);
          if (from && target) later(() => target.onSignal(from, data));
        },
        close: () => {
          socket.connected = false;
          if (socket.sessionId) live.delete(socket.sessionId);
        },
      };
    },
    openDeclaration(): DeclarationConnection {
      const challenge = Array.from(random(32), (b) => b.toString(16).padStart(2, '0')).join('');
      const bits = options.bits ?? 4;
      return {
        challenge: async () => ({ ok: true, challenge, bits }),
        declare: async (alerts, nonce) => {
          if (!verifyDeclarationStamp(challenge, alerts, nonce, bits)) return { ok: false, code: 'invalid-stamp' };
          declared.push([...alerts]);
          for (const s of sockets) if (s.connected) later(() => s.handlers.onAlerts(alerts));
          return { ok: true };
        },
        close: () => undefined,
      };
    },
    /** Tells two connections that they are near each other (W3): both hear of the other. */
    introduce(a: number, b: number): void {
      const [x, y] = [sockets[a]!, sockets[b]!];
      if (!x.sessionId || !y.sessionId) throw new Error('introduce before start');
      const [sx, sy] = [x.sessionId, y.sessionId];
      later(() => x.handlers.onPeer(sy));
      later(() => y.handlers.onPeer(sx));
    },
    /** The server drops a connection (a network change); the socket reconnects a microtask later. */
    drop(index: number): void {
      const s = sockets[index]!;
      s.connected = false;
      if (s.sessionId) live.delete(s.sessionId);
      s.sessionId = null;
      s.handlers.onDisconnect();
      later(() => {
        s.connected = true;
        s.handlers.onConnect();
      });
    },
  };
  return server;
}
