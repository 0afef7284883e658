import {
  base64UrlFromBytes,
  bytesFromBase64Url,
  ERROR_MESSAGES,
  ErrorCode,
  ROOM_SECRET_BYTES,
  roomIdFromSecret,
  linkAuthKey,
  roomCloseProof,
  type AssignRule,
  type CheckProtocol,
  type CheckWork,
  type IceServer,
  type ListId,
  type OrgFingerprint,
  type PeerId,
  type RoomId,
  type SignalData,
  type SignalingClient,
} from '@ihyid/shared';
import type { WebRtcLink } from '../../network/webrtc-channel';
import { bindPartner, closedLinkMessage, meetingPlace, refusalMessage } from './invitations';
import { Backoff, DEFAULT_BACKOFF } from '../../network/backoff';
import { ConnectedSession, type SessionHost } from './connected-session';
import type { IdentityService } from '../../identity/service';
import { CONSENT_TIMEOUT_MS, INITIAL_VIEW as INITIAL, type ConnectionView, type PartnerConnectionDeps, type PartnerConnectionOptions } from './connection-types';

export type { ConnectionStatus, ConnectionView, PartnerConnectionDeps, PartnerConnectionOptions } from './connection-types';

/**
 * One connection to one partner through one room: signaling and the WebRTC link, and, once the
 * channel is open, the session on it (connected-session.ts). When the server or the partner goes
 * away it finds the partner again by itself (#12). A plain class with a snapshot, so that React only
 * renders it (useSyncExternalStore) and the logic does not live in components.
 */
export class PartnerConnection {
  private view: ConnectionView = INITIAL;
  private readonly listeners = new Set<() => void>();
  private signaling: SignalingClient | null = null;
  private link: WebRtcLink | null = null;
  /** The partner we set up a link with; its signals wait here while the link's code loads. */
  private remote: PeerId | null = null;
  private pendingSignals: SignalData[] = [];
  private session: ConnectedSession | null = null;
  private roomId: RoomId | null = null;
  /** I9: proves in the identity step that we hold the link's secret, not just the room id. */
  private linkKey: Uint8Array | null = null;
  /** This meeting is under a pair secret (I9), not an invitation. */
  private pair = false;
  private generation = 0;
  private readonly consentTimeoutMs: number;
  /**
   * #12: where to meet again when the server or the partner goes away (the last room opened; for a
   * bound partner its pair room), until the user leaves. The wait between tries grows (backoff.ts).
   */
  private again: { secret: string; expected: OrgFingerprint | null; expiresAt: Date | null } | null = null;
  private readonly backoff: Backoff;
  /** The user left: nothing tries again until the connection is opened anew. */
  private stopped = false;

  constructor(
    private readonly deps: PartnerConnectionDeps,
    private readonly orgName: string,
    private readonly options: PartnerConnectionOptions = {},
  ) {
    this.consentTimeoutMs = Math.max(1000, options.consentTimeoutMs ?? CONSENT_TIMEOUT_MS);
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF, deps.randomBytes);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): ConnectionView => this.view;

  /**
   * Join the room of an invitation (I8): as its creator (`expected` null), or as the invited partner
   * with the inviter's fingerprint from the link, which the identity handshake checks.
   */
  async open(secret: string, expected: OrgFingerprint | null = null, expiresAt: Date | null = null): Promise<void> {
    this.teardown();
    this.backoff.cancel();
    this.again = { secret, expected, expiresAt };
    this.stopped = false;
    const generation = ++this.generation;
    const bytes = bytesFromBase64Url(secret);
    if (!bytes || bytes.length !== ROOM_SECRET_BYTES) {
      return this.set({ ...INITIAL, status: 'closed', secret, expected, error: ERROR_MESSAGES[ErrorCode.InvalidInvitation] });
    }
    const { bond, dead } = await meetingPlace(this.deps.stores.invitations, secret, expected, expiresAt, this.deps.now());
    if (generation !== this.generation) return;
    if (dead) return this.set({ ...INITIAL, status: 'closed', error: dead });
    if (bond && bond.pairSecret !== secret) return this.open(bond.pairSecret, bond.fingerprint as OrgFingerprint);
    this.pair = bond !== undefined;
    if (bond) this.again = { secret: bond.pairSecret, expected: bond.fingerprint as OrgFingerprint, expiresAt: null };
    const roomId = roomIdFromSecret(bytes);
    this.roomId = roomId;
    this.linkKey = linkAuthKey(bytes);
    // A8, #12: trying again after a lost session keeps saying what was lost until the partner is back.
    const why = this.view.status === 'retrying' ? this.view.error : null;
    this.set({ ...INITIAL, status: 'joining', secret, expected, bound: this.pair, partnerName: bond?.name ?? null, error: why });
    let signaling: SignalingClient;
    try {
      signaling = await this.deps.openSignaling();
    } catch {
      if (generation === this.generation) this.retry(ERROR_MESSAGES[ErrorCode.SignalingUnavailable]);
      return;
    }
    if (generation !== this.generation) return signaling.close();
    this.signaling = signaling;
    let iceServers: IceServer[] = [];
    const outcome = await signaling.join(roomId, {
      onPeerJoined: () => {
        if (!this.remote) this.set({ status: 'connecting' });
      },
      onPeerLeft: (peer) => {
        // Before the data channel opened, a partner that left takes its half-made link along. Once a
        // session runs, the channel itself reports the end (and carries the partner's typed error).
        if (peer === this.remote && !this.session) {
          this.link?.destroy();
          this.link = null;
          this.remote = null;
          this.pendingSignals = [];
          this.set({ status: 'waiting' });
        }
      },
      onClosed: (reason) => {
        // I9: the link was used or revoked while we waited on it; a running session needs no room.
        if (generation !== this.generation || this.session) return;
        this.teardown();
        this.set({ status: 'closed', error: closedLinkMessage(reason) });
      },
      onLost: () => {
        // A running session does not need the server; anything short of one must join again.
        if (generation !== this.generation || this.session) return;
        this.teardown();
        this.retry(null);
      },
      onSignal: (from, data) => {
        // The partner already in the room waits for the newcomer's offer (shared/src/signaling/protocol.ts).
        if (!this.remote) this.connectTo(from, false, iceServers);
        if (from !== this.remote) return;
        if (this.link) this.link.signal(data);
        else this.pendingSignals.push(data);
      },
    });
    if (generation !== this.generation) return;
    if (!outcome.ok) {
      const message = refusalMessage(outcome);
      this.teardown();
      // An unreachable server may come back; a refusal (a full room, a closed link, a newer server) is the user's to read.
      if (outcome.code === ErrorCode.SignalingUnavailable) return this.retry(message);
      return this.set({ status: 'closed', error: message });
    }
    iceServers = outcome.iceServers;
    const first = outcome.peers[0];
    if (first) this.connectTo(first, true, iceServers);
    else this.set({ status: 'waiting' });
  }

  /** psi-v2 unless the user picked a uscadi protocol that an admin turned on here (A6). */
  requestCheck = async (protocol: CheckProtocol = 'psi-v2'): Promise<void> => this.session?.requestCheck(protocol);
  /** A4: accept the pending request; `always` also records a standing rule (connected-session.ts). */
  accept = (always = false, attribute?: string): void => this.session?.accept(always, attribute);
  decline = (): void => this.session?.decline();
  cancel = (): void => this.session?.cancel();
  /** D3: propose to settle who serves whom between our list `listId` and one of the partner's. */
  proposeList = async (listId: ListId, rule: AssignRule): Promise<void> => this.session?.proposeList(listId, rule);
  /** D4: our next pair of round `roundId`, with this partner. */
  runRoundPair = async (roundId: string): Promise<void> => this.session?.runRoundPair(roundId);
  acceptList = async (listId: ListId): Promise<void> => this.session?.acceptList(listId);

  declineList = (): void => this.session?.declineList();

  /** The user stops this connection: nothing reconnects until they open it again. */
  leave = (): void => {
    this.stopped = true;
    this.backoff.cancel();
    this.teardown();
    this.set({ ...INITIAL });
  };

  /** Connect again now, to where this connection last met (for a bound partner, its pair room). */
  reconnect = (): void => {
    const again = this.again;
    if (again) void this.open(again.secret, again.expected, again.expiresAt);
  };

  /** The network came back (#12): a connection waiting to try again tries now. */
  retryNow(): void {
    if (this.view.status === 'retrying') this.reconnect();
  }

  /**
   * #12: the server or the partner went away. Try again by itself, sooner first and then less often,
   * showing why; without a place to return to (the user left), the connection just closes.
   */
  private retry(error: string | null): void {
    this.backoff.cancel();
    if (!this.again || this.stopped) return this.set({ status: 'closed', error });
    this.set({ status: 'retrying', error, consent: null, pairProposal: null, checkRunning: false, progress: null });
    this.backoff.schedule(() => this.reconnect());
  }

  /** Development aid, enabled only by a flag in localStorage: sends a raw frame to the partner. */
  sendRaw(frame: string): void {
    this.link?.channel.send(frame);
  }

  /**
   * Development aid, like sendRaw: from now on this side's session sends nothing (a partner that
   * stalls mid-check, as a hostile one may); raw frames still go out. The next session sends again.
   */
  holdFrames(): void {
    this.session?.hold();
  }

  private connectTo(peer: PeerId, initiator: boolean, iceServers: IceServer[]): void {
    const signaling = this.signaling;
    const roomId = this.roomId;
    if (!signaling || !roomId) return;
    this.remote = peer;
    this.pendingSignals = [];
    this.set({ status: 'connecting' });
    void this.deps.openLink({ initiator, iceServers, sendSignal: (data) => signaling.signal(roomId, peer, data) }).then(
      (link) => this.linkOpened(peer, link),
      () => {
        if (this.remote === peer && !this.link) {
          this.teardown();
          this.retry(ERROR_MESSAGES[ErrorCode.PeerClosed]);
        }
      },
    );
  }

  private linkOpened(peer: PeerId, link: WebRtcLink): void {
    // The partner left, or the user left the room, while the link's code loaded.
    if (this.remote !== peer || this.link) return link.destroy();
    this.link = link;
    for (const data of this.pendingSignals.splice(0)) link.signal(data);
    link.connected.then(
      async () => {
        // The identity loads after the first paint (main.tsx); a session starts once both are there.
        const [pool, identity] = await Promise.all([this.deps.checkPool().catch(() => null), this.deps.identity().catch(() => null)]);
        if (this.link !== link) return;
        if (pool && identity) return this.startSession(link, pool.work, identity);
        this.teardown();
        this.set({ status: 'closed', error: ERROR_MESSAGES[ErrorCode.Internal] });
      },
      () => undefined,
    );
  }

  private startSession(link: WebRtcLink, work: CheckWork, identity: IdentityService): void {
    const { roomId, linkKey } = this;
    if (!roomId || !linkKey) return;
    this.session = new ConnectedSession(this.host(identity), link, work, { roomId, linkKey, expected: this.view.expected });
    this.set({ status: 'verifying' });
    this.session.start();
  }

  /** What the session on the open channel reads and reports back. */
  private host(identity: IdentityService): SessionHost {
    return {
      deps: this.deps,
      identity,
      orgName: this.orgName,
      consentTimeoutMs: this.consentTimeoutMs,
      view: () => this.view,
      set: (patch) => this.set(patch),
      ready: (partner) => this.ready(partner),
      ended: (error, wentAway) => {
        this.teardown();
        if (wentAway) return this.retry(error);
        this.set({ status: 'closed', consent: null, pairProposal: null, checkRunning: false, progress: null, error });
      },
    };
  }

  /** I8 passed; an invitation binds the partner it met (I9). */
  private async ready(partner: Parameters<SessionHost['ready']>[0]): Promise<void> {
    const { key, fingerprint, name, pairSecret } = partner;
    if (!this.pair && pairSecret) {
      const bond = await bindPartner(this.deps.stores.invitations, { fingerprint, name }, base64UrlFromBytes(pairSecret), this.view.expected === null ? this.view.secret : null, this.deps.now());
      // From now on a drop brings both back to the pair room, never to the used link (#12).
      this.pair = true;
      this.again = { secret: bond.pairSecret, expected: fingerprint, expiresAt: null };
      // I9: both sides close the used link's room at once, through the connection they have; the
      // inviter's row owes the close until the server confirmed it (close-rooms.ts).
      const link = this.view.secret;
      const bytes = bytesFromBase64Url(link ?? '');
      const inviter = this.view.expected === null;
      if (link && bytes && this.roomId && this.signaling) {
        const closing = this.signaling.closeRoom(this.roomId, roomCloseProof(bytes), 'used');
        // Not marked (the database gone with the page): the row stays owed and goes at the next start.
        void closing.then((o) => (o.ok && inviter ? this.deps.stores.invitations.markRoomClosed(link) : undefined)).catch(() => undefined);
      }
      this.options.onBound?.({ fingerprint, name });
    }
    this.backoff.reset();
    this.set({ status: 'connected', bound: this.pair, partnerName: name, partnerKey: key, partnerFingerprint: fingerprint, error: null });
  }

  private teardown(): void {
    this.generation++;
    const session = this.session;
    this.session = null;
    session?.close();
    this.link?.destroy();
    this.link = null;
    this.remote = null;
    this.pendingSignals = [];
    if (this.signaling && this.roomId) this.signaling.leave(this.roomId);
    this.signaling?.close();
    this.signaling = null;
  }

  private set(patch: Partial<ConnectionView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }
}
