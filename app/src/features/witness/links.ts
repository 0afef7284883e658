import {
  runWitnessSession,
  witnessRoleFor,
  type AlertBook,
  type IceServer,
  type SignalData,
  type TokenVault,
  type WitnessSessionResult,
} from '@ihyid/shared';
import type { WebRtcLink } from '../../network/webrtc-channel';

/** What a witness connection needs of a WebRTC link (openWebRtcLink gives more). */
export type WitnessLink = Pick<WebRtcLink, 'channel' | 'connected' | 'signal' | 'destroy'>;

export interface PeerLinksDeps {
  /** This device's session on the current server connection (W7: one per connection), or null. */
  sessionId(): string | null;
  readonly contactId: string;
  readonly vault: TokenVault;
  readonly alerts: AlertBook;
  readonly iceServers: () => IceServer[];
  signal(to: string, data: SignalData): void;
  openLink(options: { initiator: boolean; iceServers: IceServer[]; sendSignal(data: SignalData): void }): WitnessLink;
  onResult(result: WitnessSessionResult): void;
  now(): number;
}

/** At most this many witness connections at once; other neighbours are offered again within 10 s. */
const MAX_ACTIVE = 3;
/** A link that has not connected by then is given up, and the pair may try again after RETRY_MS. */
const CONNECT_TIMEOUT_MS = 20_000;
const RETRY_MS = 30_000;
/** How long a notice about a peer, or a signal that came before it, is remembered. */
const NOTICE_MS = 60_000;
const MAX_EARLY_SIGNALS = 64;

/**
 * W3: one WebRTC link per nearby device. The side with the lower session id is told of the other by the
 * server and starts the link (it is also the exchange's initiator); the other side answers the first
 * signal from a device the server told it about. A device met successfully is not met again in this app
 * start: the token would already exist. What is remembered is only the other side's session id, in
 * memory, for this app start.
 */
export class PeerLinks {
  private readonly active = new Map<string, WitnessLink>();
  /** Peer → when we may try it again; Infinity once a session with it completed. */
  private readonly retryAt = new Map<string, number>();
  private readonly notified = new Map<string, number>();
  private readonly early = new Map<string, { at: number; data: SignalData[] }>();

  constructor(private readonly deps: PeerLinksDeps) {}

  get activeCount(): number {
    return this.active.size;
  }

  onPeer(peer: string): void {
    const now = this.deps.now();
    this.forgetOld(now);
    const self = this.deps.sessionId();
    if (self === null || peer === self) return;
    this.notified.set(peer, now);
    const role = witnessRoleFor(self, peer);
    if (role === 'initiator' || this.early.has(peer)) this.open(peer, now);
  }

  onSignal(from: string, data: SignalData): void {
    const link = this.active.get(from);
    if (link) return link.signal(data);
    const now = this.deps.now();
    const self = this.deps.sessionId();
    if (self === null) return;
    if (this.notified.has(from) && witnessRoleFor(self, from) === 'responder') {
      if (this.open(from, now)) return this.active.get(from)?.signal(data);
    }
    // The offer may overtake the server's notice: hold it briefly, bounded, until the notice comes.
    const held = this.early.get(from) ?? { at: now, data: [] };
    if (held.data.length < MAX_EARLY_SIGNALS && (this.early.has(from) || this.early.size < MAX_EARLY_SIGNALS)) held.data.push(data);
    this.early.set(from, held);
  }

  closeAll(): void {
    for (const link of this.active.values()) link.destroy();
    this.active.clear();
    this.early.clear();
  }

  private open(peer: string, now: number): boolean {
    const self = this.deps.sessionId();
    if (self === null || this.active.has(peer) || (this.retryAt.get(peer) ?? 0) > now || this.active.size >= MAX_ACTIVE) return false;
    const role = witnessRoleFor(self, peer);
    const link = this.deps.openLink({
      initiator: role === 'initiator',
      iceServers: this.deps.iceServers(),
      sendSignal: (data) => this.deps.signal(peer, data),
    });
    this.active.set(peer, link);
    const early = this.early.get(peer);
    this.early.delete(peer);
    for (const data of early?.data ?? []) link.signal(data);

    const giveUp = setTimeout(() => link.destroy(), CONNECT_TIMEOUT_MS);
    void link.connected
      .then(() => {
        clearTimeout(giveUp);
        return runWitnessSession(link.channel, {
          role,
          contactId: this.deps.contactId,
          vault: this.deps.vault,
          alerts: this.deps.alerts,
          setTimer: (ms, run) => {
            const t = setTimeout(run, ms);
            return () => clearTimeout(t);
          },
        });
      })
      .then(
        (result) => {
          this.retryAt.set(peer, result.endedBy === 'complete' ? Number.POSITIVE_INFINITY : this.deps.now() + RETRY_MS);
          this.deps.onResult(result);
        },
        () => this.retryAt.set(peer, this.deps.now() + RETRY_MS),
      )
      .finally(() => {
        clearTimeout(giveUp);
        this.active.delete(peer);
        link.destroy();
      });
    return true;
  }

  private forgetOld(now: number): void {
    for (const [peer, at] of this.notified) if (now - at > NOTICE_MS) this.notified.delete(peer);
    for (const [peer, held] of this.early) if (now - held.at > NOTICE_MS) this.early.delete(peer);
  }
}
