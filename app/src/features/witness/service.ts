import {
  declarationStampPrefix,
  DEFAULT_DELETION_HOUR_UTC,
  ERROR_MESSAGES,
  isErrorCode,
  MAX_DECLARATION_ALERTS,
  uuidV4,
  WITNESS_ERROR_MESSAGES,
  type IceServer,
  type RandomBytes,
  type WitnessAlert,
} from '@ihyid/shared';
import type { LinkOptions } from '../../network/webrtc-channel';
import type { Exposure, WitnessDb } from '../../storage/witness-db';
import { PeerLinks, type WitnessLink } from './links';
import type { DeclarationConnection, WitnessConnection, WitnessSocketHandlers } from './socket';
import { WitnessStore } from '../../storage/witness-store';

export type Declaration =
  | { readonly state: 'idle' }
  | { readonly state: 'working'; readonly step: string }
  | { readonly state: 'done'; readonly count: number }
  | { readonly state: 'failed'; readonly message: string };

export interface WitnessSnapshot {
  readonly mode: 'off' | 'starting' | 'on';
  /** A sentence for the user when witness mode could not start or stopped. */
  readonly problem: string | null;
  readonly connected: boolean;
  readonly tokens: number;
  readonly alerts: number;
  readonly exposures: readonly Exposure[];
  readonly declaration: Declaration;
}

/**
 * What witness mode needs from the outside world: main.tsx passes the real adapters (Socket.IO, WebRTC,
 * the browser's geolocation, proof-of-work workers, the 'ihyid-witness' database), tests fakes.
 */
export interface WitnessServiceDeps {
  readonly randomBytes: RandomBytes;
  now(): Date;
  readonly geolocation: Pick<Geolocation, 'watchPosition' | 'clearWatch'> | undefined;
  /** The witness database; the app's own (storage/db.ts) is never used here. */
  readonly db: WitnessDb;
  /** A new connection to the `/witness` namespace; a turned-off witness mode closes it and opens another. */
  openSocket(handlers: WitnessSocketHandlers): WitnessConnection;
  /** W7: a declaration's own connection, opened for one declaration. */
  openDeclaration(): DeclarationConnection;
  /** W3: one WebRTC link to one nearby device. */
  openLink(options: LinkOptions): WitnessLink;
  /** W5: the declaration stamp's proof of work, off the page's thread. */
  solveStamp(prefix: Uint8Array, bits: number): Promise<number>;
  /** W4's fixed deletion hour; configuration, not a user choice. */
  readonly deletionHourUtc?: number;
  /** W4: how often expired tokens and alerts are swept (every hour). */
  readonly sweepEveryMs?: number;
}

const HOUR_MS = 3_600_000;
/** Used until the server's start reply names its own interval (WITNESS_POSITION_INTERVAL_MS). */
const DEFAULT_POSITION_INTERVAL_MS = 10_000;

/**
 * Witness mode for one app start: a plain class the screen renders through useSyncExternalStore, like
 * the partner connection. It owns the ephemeral ids (W1), the position reports (W2), the peer links (W3),
 * expiry sweeps (W4), declarations (W5) and the exposure check's results (W6).
 */
export class WitnessService {
  // W1: made at each app start, in memory only: never written to IndexedDB, storage or logs.
  private readonly contactId: string;
  // W7: made by the server for each connection (a reconnection gets a new one); in memory only.
  private sessionId: string | null = null;
  /** Tokens this device declared: its own session hears them back, and they are no exposure (W6). */
  private readonly declared = new Set<string>();
  /** Whether a position went out on this session yet (the first fix may then go at once). */
  private reportedThisSession = false;
  private readonly store: WitnessStore;
  private socket: WitnessConnection;
  private links: PeerLinks;
  private iceServers: IceServer[] = [];
  private positionIntervalMs = DEFAULT_POSITION_INTERVAL_MS;
  private watchId: number | null = null;
  private reportTimer: ReturnType<typeof setTimeout> | null = null;
  private latest: { latitude: number; longitude: number } | null = null;
  private snapshot: WitnessSnapshot = { mode: 'off', problem: null, connected: false, tokens: 0, alerts: 0, exposures: [], declaration: { state: 'idle' } };
  private readonly listeners = new Set<() => void>();
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(private readonly deps: WitnessServiceDeps) {
    this.contactId = uuidV4(deps.randomBytes);
    this.store = new WitnessStore(deps.db, deps.now, deps.deletionHourUtc ?? DEFAULT_DELETION_HOUR_UTC);
    this.links = this.newLinks();
    this.socket = this.newSocket();
    // W4: expired tokens go at start and every hour.
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), deps.sweepEveryMs ?? HOUR_MS);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): WitnessSnapshot => this.snapshot;

  /** Called only after the user's explicit consent on the witness screen (W2). */
  turnOn(): void {
    if (this.snapshot.mode !== 'off') return;
    if (!this.deps.geolocation) return this.update({ problem: 'This browser cannot share its location, so witness mode cannot run.' });
    this.update({ mode: 'starting', problem: null });
    this.watchId = this.deps.geolocation.watchPosition(
      (position) => {
        const first = this.latest === null;
        this.latest = { latitude: position.coords.latitude, longitude: position.coords.longitude };
        if (first && !this.reportedThisSession) this.report();
      },
      (error) => {
        if (error.code === error.PERMISSION_DENIED) {
          this.turnOff();
          this.update({ problem: 'Location permission was refused, so witness mode is off. Allow location for this site to use it.' });
        }
      },
      { enableHighAccuracy: true, maximumAge: DEFAULT_POSITION_INTERVAL_MS, timeout: 60_000 },
    );
    if (this.socket.connected) void this.startSession();
  }

  /** Stops reporting and drops the server's copy of our position at once (a new connection has none). */
  turnOff(): void {
    if (this.watchId !== null) this.deps.geolocation?.clearWatch(this.watchId);
    this.watchId = null;
    if (this.reportTimer !== null) clearTimeout(this.reportTimer);
    this.reportTimer = null;
    this.latest = null;
    this.sessionId = null;
    this.links.closeAll();
    this.socket.close();
    this.links = this.newLinks();
    this.socket = this.newSocket();
    this.update({ mode: 'off', connected: false });
  }

  /** W5: sends every token, stamped, through the server; each batch is deleted once the server acknowledges it. */
  async declare(): Promise<void> {
    if (this.snapshot.declaration.state === 'working') return;
    const working = (step: string) => this.update({ declaration: { state: 'working', step } });
    const failed = (message: string) => this.update({ declaration: { state: 'failed', message } });
    working('Preparing your declaration…');
    const alerts = await this.store.tokensToDeclare();
    if (alerts.length === 0) return failed('There are no witness tokens on this device to declare.');
    let sent = 0;
    // W7: a connection of its own, bound to no session, closed once the declaration is over.
    const socket = this.deps.openDeclaration();
    try {
      for (let i = 0; i < alerts.length; i += MAX_DECLARATION_ALERTS) {
        const batch: WitnessAlert[] = alerts.slice(i, i + MAX_DECLARATION_ALERTS);
        const challenge = await socket.challenge();
        if (!challenge.ok) return failed(sentence(challenge.code));
        working('Computing the anti-spam proof of work…');
        const nonce = await this.deps.solveStamp(declarationStampPrefix(challenge.challenge, batch), challenge.bits);
        working('Sending…');
        for (const { token } of batch) this.declared.add(token);
        const reply = await socket.declare(batch, nonce);
        if (!reply.ok) {
          for (const { token } of batch) this.declared.delete(token);
          return failed(sentence(reply.code));
        }
        await this.store.deleteTokens(batch.map((a) => a.token));
        sent += batch.length;
      }
    } finally {
      socket.close();
    }
    this.update({ declaration: { state: 'done', count: sent } });
    await this.refresh();
  }

  async dismiss(exposureId: string): Promise<void> {
    await this.store.dismissExposure(exposureId);
    await this.refresh();
  }

  /** Ends witness mode for good (tests; the app keeps it for the page's life). */
  dispose(): void {
    this.turnOff();
    this.socket.close();
    clearInterval(this.sweeper);
  }

  private newSocket(): WitnessConnection {
    return this.deps.openSocket({
      onConnect: () => {
        this.update({ connected: true });
        // A reconnection is a new server connection: bind the session again.
        if (this.snapshot.mode !== 'off') void this.startSession();
      },
      onDisconnect: () => {
        // The session ends with its connection (W7); the next connection gets a new one.
        this.sessionId = null;
        this.update({ connected: false });
      },
      onPeer: (peer) => this.links.onPeer(peer),
      onSignal: (from, data) => this.links.onSignal(from, data),
      onAlerts: (alerts) => {
        const others = alerts.filter((a) => !this.declared.has(a.token));
        if (others.length > 0) void this.store.receiveAlerts(others).then(() => this.refresh());
      },
    });
  }

  private newLinks(): PeerLinks {
    return new PeerLinks({
      sessionId: () => this.sessionId,
      contactId: this.contactId,
      vault: this.store.vault,
      alerts: this.store.alertBook(() => void this.refresh()),
      iceServers: () => this.iceServers,
      signal: (to, data) => this.socket.signal(to, data),
      openLink: (options) => this.deps.openLink(options),
      onResult: () => void this.refresh(),
      now: () => this.deps.now().getTime(),
    });
  }

  private async startSession(): Promise<void> {
    const reply = await this.socket.start();
    if (this.snapshot.mode === 'off') return;
    if (!reply.ok) return this.update({ problem: sentence(reply.code) });
    this.sessionId = reply.sessionId;
    this.iceServers = reply.iceServers;
    this.positionIntervalMs = reply.positionIntervalMs;
    this.reportedThisSession = false;
    this.update({ mode: 'on', problem: null });
    this.report();
  }

  /**
   * W2: the latest fix, then again each interval; nothing about it is kept here beyond the next fix.
   * W7: the server takes one position per interval per connection, so reports are spaced a little
   * more than that apart (a report arriving early would be dropped).
   */
  private report(): void {
    if (this.reportTimer !== null) clearTimeout(this.reportTimer);
    this.reportTimer = null;
    if (this.snapshot.mode !== 'on' || this.sessionId === null) return;
    if (this.latest !== null && this.socket.connected) {
      this.socket.position(this.latest.latitude, this.latest.longitude);
      this.reportedThisSession = true;
    }
    const spacing = this.positionIntervalMs + Math.max(250, this.positionIntervalMs / 20);
    this.reportTimer = setTimeout(() => this.report(), spacing);
  }

  private async sweep(): Promise<void> {
    await this.store.sweep();
    await this.refresh();
  }

  /** Reads counts and exposures again; also called when a partner session stored alerts (partner-alerts.ts). */
  async refresh(): Promise<void> {
    const [{ tokens, alerts }, exposures] = await Promise.all([this.store.counts(), this.store.exposures()]);
    this.update({ tokens, alerts, exposures });
  }

  private update(patch: Partial<WitnessSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }
}

function sentence(code: string): string {
  if (code in WITNESS_ERROR_MESSAGES) return WITNESS_ERROR_MESSAGES[code as keyof typeof WITNESS_ERROR_MESSAGES];
  return isErrorCode(code) ? ERROR_MESSAGES[code] : 'The connection server refused the request. Try again.';
}
