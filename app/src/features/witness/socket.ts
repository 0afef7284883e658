import { io, type Socket } from 'socket.io-client';
import {
  ErrorCode,
  parseWitness,
  SIGNALING_PATH,
  WITNESS_NAMESPACE,
  WITNESS_WIRE_VERSION,
  WitnessAlertsSchema,
  WitnessChallengeReplySchema,
  WitnessDeclareReplySchema,
  WitnessEvent,
  WitnessPeerSchema,
  WitnessSignalMessageSchema,
  WitnessStartReplySchema,
  type SignalData,
  type WitnessAlert,
  type WitnessChallengeReply,
  type WitnessDeclareReply,
  type WitnessStartReply,
} from '@ihyid/shared';

export interface WitnessSocketHandlers {
  onConnect(): void;
  onDisconnect(): void;
  onPeer(peer: string): void;
  onSignal(from: string, data: SignalData): void;
  onAlerts(alerts: readonly WitnessAlert[]): void;
}

const ACK_TIMEOUT_MS = 15_000;
const unavailable = { ok: false, code: ErrorCode.SignalingUnavailable } as const;
export type Unavailable = typeof unavailable;

/** Witness mode's connection to the `/witness` namespace, as the service uses it (W2, W3, W7); tests pass a fake. */
export interface WitnessConnection {
  readonly connected: boolean;
  /** W7: the server makes this connection's session id and returns it. */
  start(): Promise<WitnessStartReply | Unavailable>;
  position(latitude: number, longitude: number): void;
  signal(to: string, data: SignalData): void;
  close(): void;
}

/** A declaration's own short-lived connection (W5, W7). */
export interface DeclarationConnection {
  challenge(): Promise<WitnessChallengeReply | Unavailable>;
  declare(alerts: readonly WitnessAlert[], nonce: number): Promise<WitnessDeclareReply | Unavailable>;
  close(): void;
}

/**
 * The app's side of the witness contract (shared/src/witness/wire.ts) over socket.io-client, on its own
 * connection to the `/witness` namespace. Everything the server sends is parsed from unknown; what does
 * not parse is ignored. socket.io-client stays inside this file and network/signaling.ts.
 */
export class WitnessSocket implements WitnessConnection {
  private readonly socket: Socket;

  constructor(url: string, handlers: WitnessSocketHandlers) {
    // Its own engine connection (forceNew), so that closing a partner session never cuts witness mode.
    this.socket = io(`${url}${WITNESS_NAMESPACE}`, { path: SIGNALING_PATH, transports: ['websocket'], reconnection: true, forceNew: true });
    this.socket.on('connect', () => handlers.onConnect());
    this.socket.on('disconnect', () => handlers.onDisconnect());
    this.socket.on(WitnessEvent.Peer, (raw: unknown) => {
      const m = parseWitness(WitnessPeerSchema, raw);
      if (m.ok) handlers.onPeer(m.value.peer);
    });
    this.socket.on(WitnessEvent.Signal, (raw: unknown) => {
      const m = parseWitness(WitnessSignalMessageSchema, raw);
      if (m.ok) handlers.onSignal(m.value.from, m.value.data as SignalData);
    });
    this.socket.on(WitnessEvent.Alerts, (raw: unknown) => {
      const m = parseWitness(WitnessAlertsSchema, raw);
      if (m.ok) handlers.onAlerts(m.value.alerts);
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** W7: the server makes this connection's session id and returns it. */
  start(): Promise<WitnessStartReply | Unavailable> {
    return this.request(WitnessEvent.Start, { v: WITNESS_WIRE_VERSION }, WitnessStartReplySchema);
  }

  /** W2: the latest position; the server keeps only that, in memory. Never logged here either. */
  position(latitude: number, longitude: number): void {
    this.socket.emit(WitnessEvent.Position, { latitude, longitude });
  }

  signal(to: string, data: SignalData): void {
    this.socket.emit(WitnessEvent.Signal, { to, data });
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.close();
  }

  private request<T>(event: string, payload: unknown, schema: Parameters<typeof parseWitness>[0]): Promise<T | Unavailable> {
    return request(this.socket, event, payload, schema);
  }
}

/**
 * W5, W7: a declaration goes over its own short-lived connection that never starts a session, so the
 * server cannot tie it to this device's session or last position (only to the address it comes from,
 * which no app can hide). Opened for one declaration and closed after it.
 */
export class DeclarationSocket implements DeclarationConnection {
  private readonly socket: Socket;
  private readonly ready: Promise<boolean>;

  constructor(url: string) {
    this.socket = io(`${url}${WITNESS_NAMESPACE}`, { path: SIGNALING_PATH, transports: ['websocket'], reconnection: false, forceNew: true });
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ACK_TIMEOUT_MS);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
      this.socket.once('connect_error', () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  async challenge(): Promise<WitnessChallengeReply | Unavailable> {
    if (!(await this.ready)) return unavailable;
    return request(this.socket, WitnessEvent.Challenge, {}, WitnessChallengeReplySchema);
  }

  async declare(alerts: readonly WitnessAlert[], nonce: number): Promise<WitnessDeclareReply | Unavailable> {
    if (!(await this.ready)) return unavailable;
    return request(this.socket, WitnessEvent.Declare, { alerts, nonce }, WitnessDeclareReplySchema);
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.close();
  }
}

function request<T>(socket: Socket, event: string, payload: unknown, schema: Parameters<typeof parseWitness>[0]): Promise<T | Unavailable> {
  return new Promise((resolve) => {
    if (!socket.connected) return resolve(unavailable);
    socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (error: Error | null, raw: unknown) => {
      if (error) return resolve(unavailable);
      const reply = parseWitness(schema, raw);
      resolve(reply.ok ? (reply.value as T) : unavailable);
    });
  });
}
