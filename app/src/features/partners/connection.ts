import {
  base64UrlFromBytes,
  bytesFromBase64Url,
  ERROR_MESSAGES,
  ErrorCode,
  IdentityErrorCode,
  isErrorCode,
  PeerSession,
  ROOM_SECRET_BYTES,
  roomIdFromSecret,
  linkAuthKey,
  SIGNALING_ERROR_MESSAGES,
  eligibleItems,
  type CheckId,
  type CheckProtocol,
  type DeclineReason,
  type CheckItem,
  type CheckWork,
  type AlertBook,
  type IceServer,
  type OrgFingerprint,
  type PublicKeyHex,
  type PeerChannel,
  type PeerId,
  type ProtocolError,
  type RoomId,
  type SessionEvent,
  type SignalData,
  type SignalingClient,
  type SignalingErrorCode,
  type Sizes,
  type AssignRule,
  type ListId,
} from '@ihyid/shared';
import { acceptList, declineList, proposeList, runRoundPair, type PairHost, type PairProposal } from './list-pair';
import type { AppDeps } from '../../context/deps';
import { identifyStep, runIdentityLink } from '../../identity/session-link';
import type { WebRtcLink } from '../../network/webrtc-channel';
import { addStandingRule, hasStandingRule, loadCheckSettings, trustedAttributes } from './check-settings';
import { loadCheckItems, storeAnsweredCheck, storeCompletedCheck } from '../../storage/check-results';
import { auditSentence, recordExposure } from '../../storage/audit';
import { deadInvitationMessage, expiredLinkMessage, markInvitationUsed } from './invitations';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';

/** How long an asker waits for the partner to accept or decline (#12): then the request is withdrawn. */
export const CONSENT_TIMEOUT_MS = 2 * 60_000;

/** `retrying`: the server or the partner could not be reached; the connection tries again by itself (#12). */
export type ConnectionStatus = 'idle' | 'joining' | 'waiting' | 'connecting' | 'verifying' | 'connected' | 'retrying' | 'closed';

export interface ConnectionView {
  status: ConnectionStatus;
  secret: string | null;
  /** On the invitee's side, the inviter's fingerprint from the link (I8); null on the inviter's. */
  expected: OrgFingerprint | null;
  partnerName: string | null;
  /** I9: this meeting is with a bound partner, under the pair secret, not an invitation. */
  bound: boolean;
  /** The partner's key, verified by the I8 handshake, once connected. */
  partnerKey: PublicKeyHex | null;
  partnerFingerprint: OrgFingerprint | null;
  /** What the user reads when the session ended badly. */
  error: string | null;
  /** A4, A9: the pending request, with what the partner announced and, once our contacts are read, our own sizes. */
  consent: { checkId: CheckId; protocol: CheckProtocol; theirs: Sizes; ours: Sizes | null } | null;
  checkRunning: boolean;
  progress: { phase: string; done: number; total: number } | null;
  notice: string | null;
  /** D2: a partner proposes to settle who serves whom on one of its lists; we choose ours. */
  pairProposal: PairProposal | null;
}

/** What a partner connection needs from the app: main.tsx gives the real adapters, tests in-memory ones. */
export type PartnerConnectionDeps = Pick<AppDeps, 'stores' | 'db' | 'randomBytes' | 'now' | 'identity' | 'openSignaling' | 'openLink' | 'checkPool' | 'lists'> &
  Partial<Pick<AppDeps, 'witness'>>;

export interface PartnerConnectionOptions {
  consentTimeoutMs?: number | undefined;
  /** #12: the waits between tries to reach the partner again (tests shorten them). */
  backoff?: BackoffOptions | undefined;
  /** I9: an invitation just bound this partner; the directory lists the connection under its name. */
  onBound?(connection: PartnerConnection, partner: { fingerprint: OrgFingerprint; name: string }): void;
}

const INITIAL: ConnectionView = { status: 'idle', secret: null, expected: null, bound: false, partnerName: null, partnerKey: null, partnerFingerprint: null, error: null, consent: null, checkRunning: false, progress: null, notice: null, pairProposal: null };

/**
 * One live connection to one partner through one room: signaling, the WebRTC link and the peer
 * session, and the storage of what a check produced. A plain class with a snapshot, so that React
 * only renders it (useSyncExternalStore) and the logic does not live in components.
 */
export class PartnerConnection {
  private view: ConnectionView = INITIAL;
  private readonly listeners = new Set<() => void>();
  private signaling: SignalingClient | null = null;
  private link: WebRtcLink | null = null;
  /** The partner we set up a link with; its signals wait here while the link's code loads. */
  private remote: PeerId | null = null;
  private pendingSignals: SignalData[] = [];
  private session: PeerSession | null = null;
  private roomId: RoomId | null = null;
  /** I9: proves in the identity step that we hold the link's secret, not just the room id. */
  private linkKey: Uint8Array | null = null;
  /** This meeting is under a pair secret (I9), not an invitation. */
  private pair = false;
  private generation = 0;
  /** holdFrames(): the session's own frames are dropped (development aid). */
  private held = false;
  private stopIdentity: (() => void) | null = null;
  /** #12: an asker does not wait forever for an answer that may never come. */
  private consentTimer: ReturnType<typeof setTimeout> | null = null;
  private timedOut = false;
  private readonly consentTimeoutMs: number;
  /**
   * #12: where to meet again when the server or the partner goes away (the last room opened; for a
   * bound partner its pair room), until the user leaves. The wait between tries grows (backoff.ts).
   */
  private again: { secret: string; expected: OrgFingerprint | null; expiresAt: Date | null } | null = null;
  private readonly backoff: Backoff;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
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
    this.clearRetry();
    this.again = { secret, expected, expiresAt };
    this.stopped = false;
    const generation = ++this.generation;
    const bytes = bytesFromBase64Url(secret);
    if (!bytes || bytes.length !== ROOM_SECRET_BYTES) {
      return this.set({ ...INITIAL, status: 'closed', secret, expected, error: ERROR_MESSAGES[ErrorCode.InvalidInvitation] });
    }
    // I9: once bound, two organisations meet under their pair secret, never the link again: the
    // invitee knows the inviter's fingerprint from the link, the inviter whom its link bound.
    const now = this.deps.now();
    const own = expected === null ? await this.deps.db.invitations.filter((i) => i.secret === secret).first() : undefined;
    const partner = expected ?? own?.partnerFingerprint ?? null;
    const bond = partner ? await this.deps.db.bonds.get(partner) : undefined;
    if (generation !== this.generation) return;
    if (bond && bond.pairSecret !== secret) return this.open(bond.pairSecret, bond.fingerprint as OrgFingerprint);
    this.pair = bond !== undefined;
    if (bond) this.again = { secret: bond.pairSecret, expected: bond.fingerprint as OrgFingerprint, expiresAt: null };
    // A dead link says so at once, never an endless wait: the invitee reads the expiry from the link,
    // the inviter its own record (used, revoked, expired).
    if (!bond && expiresAt && now >= expiresAt) return this.set({ ...INITIAL, status: 'closed', error: expiredLinkMessage(expiresAt) });
    const dead = own ? deadInvitationMessage(own, now) : null;
    if (dead) return this.set({ ...INITIAL, status: 'closed', error: dead });
    const roomId = roomIdFromSecret(bytes);
    this.roomId = roomId;
    this.linkKey = linkAuthKey(bytes);
    this.set({ ...INITIAL, status: 'joining', secret, expected, bound: this.pair, partnerName: bond?.name ?? null });
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
      const code = outcome.code;
      const message = code in SIGNALING_ERROR_MESSAGES ? SIGNALING_ERROR_MESSAGES[code as SignalingErrorCode] : isErrorCode(code) ? ERROR_MESSAGES[code] : ERROR_MESSAGES[ErrorCode.SignalingUnavailable];
      this.teardown();
      // An unreachable server may come back; a refusal (a full room, a newer server) is the user's to read.
      if (code === ErrorCode.SignalingUnavailable) return this.retry(message);
      return this.set({ status: 'closed', error: message });
    }
    iceServers = outcome.iceServers;
    const first = outcome.peers[0];
    if (first) this.connectTo(first, true, iceServers);
    else this.set({ status: 'waiting' });
  }

  /** psi-v2 unless the user picked a uscadi protocol that an admin turned on here (A6). */
  requestCheck = async (protocol: CheckProtocol = 'psi-v2'): Promise<void> => {
    if (!this.session) return;
    const settings = await loadCheckSettings(this.deps.stores.settings);
    if (!settings.enabled.includes(protocol)) return this.set({ notice: ERROR_MESSAGES[ErrorCode.ProtocolDisabled] });
    const all = await this.loadItems();
    const items = eligibleItems(protocol, all);
    const started = this.session.requestCheck(protocol, items);
    if (!started.ok) return this.set({ notice: ERROR_MESSAGES[started.error.code] });
    const excluded = all.length - items.length;
    const skipped = excluded ? ` ${excluded} contact(s) without both parents' names cannot take part in this check.` : '';
    this.set({ checkRunning: true, progress: null, notice: `Waiting for ${this.view.partnerName} to accept the ${protocol} check of ${items.length} contacts.${skipped}` });
    this.armConsentTimeout();
  };

  /**
   * A4: accept the pending request; `always` also records a standing rule for this partner (psi-v2
   * only), tied to the attribute the prompt showed, which the partner holds by a trusted attester.
   */
  accept = (always = false, attribute?: string): void => {
    const consent = this.view.consent;
    if (!consent || !this.session) return;
    const { partnerFingerprint, partnerName } = this.view;
    // The attribute the prompt showed, if the partner still holds it now.
    if (always && consent.protocol === 'psi-v2' && partnerFingerprint && attribute !== undefined && this.partnerAttributes().has(attribute)) {
      void addStandingRule(this.deps.stores.settings, { fingerprint: partnerFingerprint, partnerName: partnerName ?? partnerFingerprint, attribute }, this.deps.now());
    }
    this.session.acceptCheck(consent.checkId);
    this.set({ consent: null, checkRunning: true, progress: null, notice: null });
  };

  decline = (): void => {
    const consent = this.view.consent;
    if (!consent || !this.session) return;
    this.session.declineCheck(consent.checkId);
    this.set({ consent: null, notice: `You declined the check from ${this.view.partnerName}.` });
  };

  cancel = (): void => this.session?.cancelCheck();

  /** No answer in time: the request is withdrawn (the partner's prompt closes) and the asker told why. */
  private armConsentTimeout(): void {
    this.clearConsentTimeout();
    this.timedOut = false;
    this.consentTimer = setTimeout(() => {
      this.consentTimer = null;
      if (!this.session || !this.view.checkRunning) return;
      this.timedOut = true;
      this.session.cancelCheck();
    }, this.consentTimeoutMs);
  }

  private clearConsentTimeout(): void {
    if (this.consentTimer !== null) clearTimeout(this.consentTimer);
    this.consentTimer = null;
  }

  /** D2–D4: list pairs with this partner (list-pair.ts), through what this connection holds. */
  private get pairHost(): PairHost {
    return {
      lists: this.deps.lists,
      identity: this.deps.identity,
      orgName: this.orgName,
      session: () => this.session,
      partner: () => ({ fingerprint: this.view.partnerFingerprint, name: this.view.partnerName }),
      proposal: () => this.view.pairProposal,
      update: (patch) => this.set(patch),
      loadItems: () => this.loadItems(),
    };
  }

  /** D3: propose to settle who serves whom between our list `listId` and one of the partner's. */
  proposeList = (listId: ListId, rule: AssignRule): Promise<void> => proposeList(this.pairHost, listId, rule);
  /** D4: our next pair of round `roundId`, with this partner. */
  runRoundPair = (roundId: string): Promise<void> => runRoundPair(this.pairHost, roundId);
  acceptList = (listId: ListId): Promise<void> => acceptList(this.pairHost, listId);
  declineList = (): void => declineList(this.pairHost);

  /** The user stops this connection: nothing reconnects until they open it again. */
  leave = (): void => {
    this.stopped = true;
    this.clearRetry();
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
    this.clearRetry();
    if (!this.again || this.stopped) return this.set({ status: 'closed', error });
    const wait = this.backoff.next();
    this.set({ status: 'retrying', error, consent: null, pairProposal: null, checkRunning: false, progress: null });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.reconnect();
    }, wait);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
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
    this.held = true;
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
        const pool = await this.deps.checkPool().catch(() => null);
        if (this.link !== link) return;
        if (pool) return this.startSession(link, pool.work);
        this.teardown();
        this.set({ status: 'closed', error: ERROR_MESSAGES[ErrorCode.Internal] });
      },
      () => undefined,
    );
  }

  private startSession(link: WebRtcLink, work: CheckWork): void {
    const { roomId, linkKey } = this;
    if (!roomId || !linkKey) return;
    this.held = false;
    const raw = link.channel;
    const channel: PeerChannel = {
      send: (frame) => (this.held ? undefined : raw.send(frame)),
      close: () => raw.close(),
      onMessage: (handler) => raw.onMessage(handler),
      onClose: (handler) => raw.onClose(handler),
      ...(raw.bufferedAmount && { bufferedAmount: () => raw.bufferedAmount!() }),
      ...(raw.drained && { drained: () => raw.drained!() }),
    };
    const session = new PeerSession(channel, {
      orgName: this.orgName,
      random: this.deps.randomBytes,
      work,
      localItems: () => this.loadItems(),
      lists: {
        random: this.deps.randomBytes,
        signer: this.deps.identity.signer,
        verify: this.deps.identity.deps.verify,
        sink: this.deps.lists.pairSink(() => ({ self: this.deps.identity.getSnapshot().fingerprint!, selfName: this.orgName, partnerName: this.view.partnerName ?? '', at: this.deps.now() })),
      },
      onEvent: (event) => void this.onSessionEvent(session, event),
      identify: identifyStep(this.deps.identity, { localSdp: link.localSdp, remoteSdp: link.remoteSdp, roomId, linkKey, expectedFingerprint: this.view.expected }),
      alerts: this.alertBook(),
      // A11: a uscadi request is answered only when this device's admin turned that protocol on.
      answers: async (protocol) => (await loadCheckSettings(this.deps.stores.settings)).enabled.includes(protocol),
    });
    this.session = session;
    this.set({ status: 'verifying' });
    session.start();
  }

  /**
   * W5: exposure alerts pass on over every partner session too. The witness storage code loads only
   * when the session reaches it (after ready), so the partners chunk does not carry it.
   */
  private alertBook(): AlertBook {
    const deps = this.deps;
    const onExposure = () => deps.witness?.current()?.refresh();
    const book = import('../witness/partner-alerts').then((m) => m.partnerAlertBook({ now: () => deps.now(), onExposure }));
    // Witness storage that fails (a chunk that cannot load, IndexedDB refused) must not cost the partner
    // session its checks: this side then holds and keeps nothing, as a device without alerts would.
    return {
      list: () => book.then((b) => b.list()).catch(() => []),
      receive: (alerts) => book.then((b) => b.receive(alerts)).catch(() => undefined),
    };
  }

  /** I7: what the connected partner's verified key holds now by attesters this device trusts. */
  private partnerAttributes(): Set<string> {
    const key = this.view.partnerKey;
    const partner = key ? this.deps.identity.getSnapshot().partners.find((p) => p.key === key) : undefined;
    return trustedAttributes(partner?.badges ?? [], this.deps.now().getTime());
  }

  /**
   * Our contacts as check items, read page by page in the check pool (R9: never on this thread). The
   * pool starts with the first session and serves every later one: its workers keep nothing between
   * calls (a check's scalar and the items they read are dropped after each batch).
   */
  private async loadItems(): Promise<CheckItem[]> {
    const pool = await this.deps.checkPool();
    return loadCheckItems((after) => pool.itemsPage(after));
  }

  private async onSessionEvent(session: PeerSession, event: SessionEvent): Promise<void> {
    if (session !== this.session) return;
    const partner = session.partnerName ?? 'The partner';
    switch (event.type) {
      case 'ready': {
        const { peerKey, peerFingerprint } = event.identity;
        this.stopIdentity = runIdentityLink(this.deps.identity, session.identityPort, { key: peerKey, name: event.partnerName });
        // I9: an invitation is used up by the first partner it binds (listed under its name); both
        // sides keep the pair secret to meet again without it.
        const { pairSecret } = event.identity;
        if (!this.pair && pairSecret) {
          const bond = { fingerprint: peerFingerprint, name: event.partnerName, pairSecret: base64UrlFromBytes(pairSecret), boundAt: this.deps.now().toISOString() };
          await this.deps.db.bonds.put(bond);
          if (this.view.expected === null && this.view.secret) await markInvitationUsed(this.deps.db, this.view.secret, { name: event.partnerName, fingerprint: peerFingerprint }, this.deps.now());
          // From now on a drop brings both back to the pair room, never to the used link (#12).
          this.pair = true;
          this.again = { secret: bond.pairSecret, expected: peerFingerprint, expiresAt: null };
          this.options.onBound?.(this, { fingerprint: peerFingerprint, name: event.partnerName });
        }
        this.backoff.reset();
        return this.set({ status: 'connected', bound: this.pair, partnerName: event.partnerName, partnerKey: peerKey, partnerFingerprint: peerFingerprint, error: null });
      }
      case 'consent-requested': {
        // A4: a standing rule set by a coordinator accepts psi-v2 from this partner's verified key
        // without asking, while the key still holds the rule's attestation by an attester we trust.
        const fingerprint = this.view.partnerFingerprint;
        if (fingerprint && hasStandingRule(await loadCheckSettings(this.deps.stores.settings), fingerprint, event.protocol, this.partnerAttributes())) {
          session.acceptCheck(event.checkId);
          return this.set({ checkRunning: true, progress: null, notice: `${partner} asked for a ${event.protocol} check of ${event.theirs.count} contacts; accepted by your standing rule.` });
        }
        return this.set({ consent: { checkId: event.checkId, protocol: event.protocol, theirs: event.theirs, ours: null } });
      }
      case 'consent-sized': {
        const consent = this.view.consent;
        if (consent?.checkId === event.checkId) this.set({ consent: { ...consent, ours: event.ours } });
        return;
      }
      case 'check-accepted':
        this.clearConsentTimeout();
        return this.set({ notice: `${partner} accepted. It announced ${event.theirs.count} contacts (${event.theirs.items} entries). Checking…` });
      case 'check-progress':
        // User Timing marks at the start and end of each phase: free to leave in, read by bench/psi.mjs.
        if (event.done === 0 || event.done === event.total) performance.mark(`ihyid-check:${event.phase}:${event.done === 0 ? 'start' : 'end'}`);
        return this.set({ progress: { phase: event.phase, done: event.done, total: event.total } });
      case 'check-declined':
        this.clearConsentTimeout();
        return this.set({ checkRunning: false, progress: null, notice: declinedNotice(event.reason, partner) });
      case 'check-cancelled': {
        this.clearConsentTimeout();
        const minutes = Math.max(1, Math.round(this.consentTimeoutMs / 60_000));
        const notice =
          event.by === 'local' && this.timedOut
            ? `${partner} did not answer within ${minutes} min. The request was withdrawn and nothing was sent; ask again when they can answer.`
            : event.by === 'local'
              ? 'You cancelled the check. Nothing was saved.'
              : `${partner} cancelled the check. Nothing was saved.`;
        this.timedOut = false;
        return this.set({ checkRunning: false, consent: null, progress: null, notice });
      }
      case 'check-completed': {
        performance.mark('ihyid-check:completed', { detail: this.link?.traffic() ?? null });
        await storeCompletedCheck(this.deps.stores.checks, { checkId: event.checkId, partnerName: partner, protocol: event.protocol, role: event.role, sent: event.sent, known: event.known, at: this.deps.now() });
        const theirs = ` ${partner} announced ${event.theirs.count} contacts (${event.theirs.items} entries).`;
        return this.set({ checkRunning: false, progress: null, notice: `Check complete: ${event.known.length} of ${event.sent} contacts are also known to ${partner}.${theirs}` });
      }
      case 'check-answered':
        performance.mark('ihyid-check:answered', { detail: this.link?.traffic() ?? null });
        await storeAnsweredCheck(this.deps.stores.checks, { checkId: event.checkId, partnerName: partner, protocol: event.protocol, count: event.count, known: event.known, at: this.deps.now() });
        return this.set({ checkRunning: false, progress: null, notice: `You answered ${partner}'s check: ${event.known} of their ${event.count} contacts are known to you.` });
      case 'assign-proposed':
        return this.set({ pairProposal: { pairId: event.pairId, plan: event.plan, pair: event.pair, planHash: event.planHash } });
      case 'assign-declined':
        return this.set({ checkRunning: false, progress: null, notice: `${partner} declined to share the list.` });
      case 'assign-agreed': {
        const mine = [...event.agreed.outcomes.values()].filter((o) => o.server !== event.agreed.ctx.partner).length;
        const theirs = event.agreed.outcomes.size - mine;
        return this.set({ checkRunning: false, progress: null, notice: `Agreed with ${partner}: of ${event.agreed.outcomes.size} shared people, you serve ${mine} and ${partner} serves ${theirs}.` });
      }
      case 'check-exposed': {
        const entry = { checkId: event.checkId, partnerName: partner, partnerFingerprint: this.view.partnerFingerprint, protocol: event.protocol, upTo: event.upTo, at: this.deps.now() };
        await recordExposure(this.deps.db, entry);
        return this.set({ notice: auditSentence({ ...entry, id: '', kind: 'check-exposed', at: entry.at.toISOString() }) });
      }
      case 'closed':
        this.teardown();
        const error = closedMessage(event.by, event.error, partner);
        // #12: a partner that went away (a reload, a lost network) is waited for again; an error, ours
        // or the partner's, is for the user to read first.
        if (event.by !== 'local' && (event.error === null || event.error.code === ErrorCode.PeerClosed)) return this.retry(error);
        return this.set({ status: 'closed', consent: null, pairProposal: null, checkRunning: false, progress: null, error });
    }
  }

  private teardown(): void {
    this.clearConsentTimeout();
    this.generation++;
    this.stopIdentity?.();
    this.stopIdentity = null;
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

function declinedNotice(reason: DeclineReason, partner: string): string {
  if (reason === 'busy') return `${partner} is busy with another check.`;
  if (reason === 'protocol-disabled') return `${partner} has not turned this check protocol on, so it cannot answer it. Ask for a psi-v2 check instead.`;
  return `${partner} declined the check.`;
}

const IDENTITY_CODES = new Set<string>(Object.values(IdentityErrorCode).filter((c) => c.startsWith('identity-') || c.startsWith('self-') || c === 'handshake-failed' || c === 'no-dtls-fingerprint'));

function closedMessage(by: 'local' | 'remote' | 'transport', error: ProtocolError | null, partner: string): string | null {
  if (!error) return by === 'local' ? null : ERROR_MESSAGES[ErrorCode.PeerClosed];
  // Identity failures (I6, I8) are written for both readers: the partner sends a code whose sentence fits us.
  if (by === 'remote' && !IDENTITY_CODES.has(error.code)) return `${partner} ended the session because of an error (${error.code}). Nothing half-done was saved.`;
  return `${ERROR_MESSAGES[error.code]} (${error.code})`;
}
