import {
  ERROR_MESSAGES,
  ErrorCode,
  PeerSession,
  eligibleItems,
  type AssignRule,
  type CheckItem,
  type CheckProtocol,
  type CheckWork,
  type ListId,
  type OrgFingerprint,
  type PeerChannel,
  type PublicKeyHex,
  type RoomId,
  type SessionEvent,
} from '@ihyid/shared';
import { identifyStep, runIdentityLink } from '../../identity/session-link';
import type { IdentityService } from '../../identity/service';
import type { WebRtcLink } from '../../network/webrtc-channel';
import { auditSentence, recordExposure } from '../../storage/audit';
import { loadCheckItems, storeAnsweredCheck, storeCompletedCheck } from '../../storage/check-results';
import { addStandingRule, hasStandingRule, loadCheckSettings, trustedAttributes } from './check-settings';
import type { ConnectionView, PartnerConnectionDeps } from './connection-types';
import { acceptList, declineList, proposeList, runRoundPair, type PairHost } from './list-pair';
import { alertBook } from './alert-book';
import { cancelledNotice, closedMessage, declinedNotice } from './session-notices';

/** What a session needs from the connection that opened its channel (connection.ts). */
export interface SessionHost {
  readonly deps: PartnerConnectionDeps;
  /** The page's identity, loaded before the session starts (connection.ts). */
  readonly identity: IdentityService;
  readonly orgName: string;
  readonly consentTimeoutMs: number;
  view(): ConnectionView;
  set(patch: Partial<ConnectionView>): void;
  /** The identity step passed (I8): the partner is verified; for an invitation it is bound now (I9). */
  ready(partner: { key: PublicKeyHex; fingerprint: OrgFingerprint; name: string; pairSecret: Uint8Array | null }): Promise<void>;
  /** The session ended; `wentAway`: the partner left (a reload, a lost network), not an error to read first. */
  ended(error: string | null, wentAway: boolean): void;
}

/** The room and link secrets the identity step proves (I8, I9). */
export interface SessionRoom {
  roomId: RoomId;
  linkKey: Uint8Array;
  expected: OrgFingerprint | null;
}

/**
 * One peer session on one open data channel: the identity step, then checks (A4, A6, A9–A11) and
 * list rounds (D2, D3) until the channel closes. The connection (connection.ts) finds the partner
 * and gets the channel; this is what happens on it. Closed once, by the connection.
 */
export class ConnectedSession {
  private readonly session: PeerSession;
  private done = false;
  /** hold(): the session's own frames are dropped (development aid). */
  private held = false;
  private stopIdentity: (() => void) | null = null;
  /** #12: an asker does not wait forever for an answer that may never come. */
  private consentTimer: ReturnType<typeof setTimeout> | null = null;
  private timedOut = false;

  constructor(
    private readonly host: SessionHost,
    private readonly link: WebRtcLink,
    work: CheckWork,
    room: SessionRoom,
  ) {
    const { deps, orgName, identity } = host;
    const raw = link.channel;
    const channel: PeerChannel = {
      send: (frame) => (this.held ? undefined : raw.send(frame)),
      close: () => raw.close(),
      onMessage: (handler) => raw.onMessage(handler),
      onClose: (handler) => raw.onClose(handler),
      ...(raw.bufferedAmount && { bufferedAmount: () => raw.bufferedAmount!() }),
      ...(raw.drained && { drained: () => raw.drained!() }),
    };
    this.session = new PeerSession(channel, {
      orgName,
      random: deps.randomBytes,
      work,
      localItems: () => this.loadItems(),
      lists: {
        random: deps.randomBytes,
        signer: identity.signer,
        verify: identity.deps.verify,
        sink: deps.lists.pairSink(() => ({ self: identity.getSnapshot().fingerprint!, selfName: orgName, partnerName: host.view().partnerName ?? '', at: deps.now() })),
      },
      onEvent: (event) => void this.onEvent(event),
      identify: identifyStep(identity, { localSdp: link.localSdp, remoteSdp: link.remoteSdp, roomId: room.roomId, linkKey: room.linkKey, expectedFingerprint: room.expected }),
      alerts: alertBook(deps),
      // A11: a uscadi request is answered only when this device's admin turned that protocol on.
      answers: async (protocol) => (await loadCheckSettings(deps.stores.settings)).enabled.includes(protocol),
    });
  }

  start(): void {
    this.session.start();
  }

  /** Ends the session; its later events are not ours to show. */
  close(): void {
    this.done = true;
    this.clearConsentTimeout();
    this.stopIdentity?.();
    this.stopIdentity = null;
    this.session.close();
  }

  /** Development aid (connection.holdFrames): from now on this session sends nothing. */
  hold(): void {
    this.held = true;
  }

  /** psi-v2 unless the user picked a uscadi protocol that an admin turned on here (A6). */
  async requestCheck(protocol: CheckProtocol = 'psi-v2'): Promise<void> {
    const settings = await loadCheckSettings(this.host.deps.stores.settings);
    if (!settings.enabled.includes(protocol)) return this.host.set({ notice: ERROR_MESSAGES[ErrorCode.ProtocolDisabled] });
    const all = await this.loadItems();
    const items = eligibleItems(protocol, all);
    const started = this.session.requestCheck(protocol, items);
    if (!started.ok) return this.host.set({ notice: ERROR_MESSAGES[started.error.code] });
    const excluded = all.length - items.length;
    const skipped = excluded ? ` ${excluded} contact(s) without both parents' names cannot take part in this check.` : '';
    this.host.set({ checkRunning: true, progress: null, notice: `Waiting for ${this.host.view().partnerName} to accept the ${protocol} check of ${items.length} contacts.${skipped}` });
    this.armConsentTimeout();
  }

  /**
   * A4: accept the pending request; `always` also records a standing rule for this partner (psi-v2
   * only), tied to the attribute the prompt showed, which the partner holds by a trusted attester.
   */
  accept(always: boolean, attribute?: string): void {
    const { consent, partnerFingerprint, partnerName } = this.host.view();
    if (!consent) return;
    const { deps } = this.host;
    // The attribute the prompt showed, if the partner still holds it now.
    if (always && consent.protocol === 'psi-v2' && partnerFingerprint && attribute !== undefined && this.partnerAttributes().has(attribute)) {
      void addStandingRule(deps.stores.settings, { fingerprint: partnerFingerprint, partnerName: partnerName ?? partnerFingerprint, attribute }, deps.now());
    }
    performance.mark('ihyid-check:prompt:end');
    this.session.acceptCheck(consent.checkId);
    this.host.set({ consent: null, checkRunning: true, progress: null, notice: null });
  }

  decline(): void {
    const { consent, partnerName } = this.host.view();
    if (!consent) return;
    this.session.declineCheck(consent.checkId);
    this.host.set({ consent: null, notice: `You declined the check from ${partnerName}.` });
  }

  cancel(): void {
    this.session.cancelCheck();
  }

  /** D2–D4: list pairs with this partner (list-pair.ts), through what this session holds. */
  private get pairHost(): PairHost {
    return {
      lists: this.host.deps.lists,
      identity: this.host.identity,
      orgName: this.host.orgName,
      session: () => this.session,
      partner: () => ({ fingerprint: this.host.view().partnerFingerprint, name: this.host.view().partnerName }),
      proposal: () => this.host.view().pairProposal,
      update: (patch) => this.host.set(patch),
      loadItems: () => this.loadItems(),
    };
  }

  /** D3: propose to settle who serves whom between our list `listId` and one of the partner's. */
  proposeList(listId: ListId, rule: AssignRule): Promise<void> {
    return proposeList(this.pairHost, listId, rule);
  }

  /** D4: our next pair of round `roundId`, with this partner. */
  runRoundPair(roundId: string): Promise<void> {
    return runRoundPair(this.pairHost, roundId);
  }

  acceptList(listId: ListId): Promise<void> {
    return acceptList(this.pairHost, listId);
  }

  declineList(): void {
    declineList(this.pairHost);
  }

  /** No answer in time: the request is withdrawn (the partner's prompt closes) and the asker told why. */
  private armConsentTimeout(): void {
    this.clearConsentTimeout();
    this.timedOut = false;
    this.consentTimer = setTimeout(() => {
      this.consentTimer = null;
      if (this.done || !this.host.view().checkRunning) return;
      this.timedOut = true;
      this.session.cancelCheck();
    }, this.host.consentTimeoutMs);
  }

  private clearConsentTimeout(): void {
    if (this.consentTimer !== null) clearTimeout(this.consentTimer);
    this.consentTimer = null;
  }

  /** I7: what the connected partner's verified key holds now by attesters this device trusts. */
  private partnerAttributes(): Set<string> {
    const { deps } = this.host;
    const key = this.host.view().partnerKey;
    const partner = key ? this.host.identity.getSnapshot().partners.find((p) => p.key === key) : undefined;
    return trustedAttributes(partner?.badges ?? [], deps.now().getTime());
  }

  /**
   * Our contacts as check items, read page by page in the check pool (R9: never on this thread). The
   * pool starts with the first session and serves every later one: its workers keep nothing between
   * calls (a check's scalar and the items they read are dropped after each batch).
   */
  private async loadItems(): Promise<CheckItem[]> {
    // User Timing marks around the read, as around each phase (bench/psi.mjs reads them).
    performance.mark('ihyid-check:reading:start');
    const pool = await this.host.deps.checkPool();
    const items = await loadCheckItems((after, upTo) => pool.itemsPage(after, upTo));
    performance.mark('ihyid-check:reading:end');
    return items;
  }

  private async onEvent(event: SessionEvent): Promise<void> {
    if (this.done) return;
    const { deps } = this.host;
    const set = (patch: Partial<ConnectionView>) => this.host.set(patch);
    const partner = this.session.partnerName ?? 'The partner';
    switch (event.type) {
      case 'ready': {
        const { peerKey, peerFingerprint, pairSecret } = event.identity;
        this.stopIdentity = runIdentityLink(this.host.identity, this.session.identityPort, { key: peerKey, name: event.partnerName });
        return this.host.ready({ key: peerKey, fingerprint: peerFingerprint, name: event.partnerName, pairSecret: pairSecret ?? null });
      }
      case 'consent-requested': {
        // A4: a standing rule set by a coordinator accepts psi-v2 from this partner's verified key
        // without asking, while the key still holds the rule's attestation by an attester we trust.
        const fingerprint = this.host.view().partnerFingerprint;
        if (fingerprint && hasStandingRule(await loadCheckSettings(deps.stores.settings), fingerprint, event.protocol, this.partnerAttributes())) {
          this.session.acceptCheck(event.checkId);
          return set({ checkRunning: true, progress: null, notice: `${partner} asked for a ${event.protocol} check of ${event.theirs.count} contacts; accepted by your standing rule.` });
        }
        performance.mark('ihyid-check:prompt:start');
        return set({ consent: { checkId: event.checkId, protocol: event.protocol, theirs: event.theirs, ours: null } });
      }
      case 'consent-sized': {
        const consent = this.host.view().consent;
        if (consent?.checkId === event.checkId) set({ consent: { ...consent, ours: event.ours } });
        return;
      }
      case 'check-accepted':
        this.clearConsentTimeout();
        return set({ notice: `${partner} accepted. It announced ${event.theirs.count} contacts (${event.theirs.items} entries). Checking…` });
      case 'check-progress':
        // User Timing marks at the start and end of each phase: free to leave in, read by bench/psi.mjs.
        if (event.done === 0 || event.done === event.total) performance.mark(`ihyid-check:${event.phase}:${event.done === 0 ? 'start' : 'end'}`);
        // The panel redraws when the shown percentage moves, not on each of a 100,000 check's thousands of batches.
        if (sameStep(this.host.view().progress, event)) return;
        return set({ progress: { phase: event.phase, done: event.done, total: event.total } });
      case 'check-declined':
        this.clearConsentTimeout();
        return set({ checkRunning: false, progress: null, notice: declinedNotice(event.reason, partner) });
      case 'check-cancelled': {
        this.clearConsentTimeout();
        const notice = cancelledNotice(event.by, this.timedOut, this.host.consentTimeoutMs, partner);
        this.timedOut = false;
        return set({ checkRunning: false, consent: null, progress: null, notice });
      }
      case 'check-completed': {
        performance.mark('ihyid-check:completed', { detail: this.link.traffic() });
        await storeCompletedCheck(deps.stores.checks, { checkId: event.checkId, partnerName: partner, protocol: event.protocol, role: event.role, sent: event.sent, known: event.known, at: deps.now() });
        performance.mark('ihyid-check:stored');
        const theirs = ` ${partner} announced ${event.theirs.count} contacts (${event.theirs.items} entries).`;
        return set({ checkRunning: false, progress: null, notice: `Check complete: ${event.known.length} of ${event.sent} contacts are also known to ${partner}.${theirs}` });
      }
      case 'check-answered':
        performance.mark('ihyid-check:answered', { detail: this.link.traffic() });
        await storeAnsweredCheck(deps.stores.checks, { checkId: event.checkId, partnerName: partner, protocol: event.protocol, count: event.count, known: event.known, at: deps.now() });
        performance.mark('ihyid-check:stored');
        return set({ checkRunning: false, progress: null, notice: `You answered ${partner}'s check: ${event.known} of their ${event.count} contacts are known to you.` });
      case 'assign-proposed':
        return set({ pairProposal: { pairId: event.pairId, plan: event.plan, pair: event.pair, planHash: event.planHash } });
      case 'assign-declined':
        return set({ checkRunning: false, progress: null, notice: `${partner} declined to share the list.` });
      case 'assign-agreed': {
        const mine = [...event.agreed.outcomes.values()].filter((o) => o.server !== event.agreed.ctx.partner).length;
        const theirs = event.agreed.outcomes.size - mine;
        return set({ checkRunning: false, progress: null, notice: `Agreed with ${partner}: of ${event.agreed.outcomes.size} shared people, you serve ${mine} and ${partner} serves ${theirs}.` });
      }
      case 'assign-undone':
        return set({ notice: `${partner} never received the confirmation of ${event.pairs.length} list agreement(s) with you, so they were undone here. Run those pairs again.` });
      case 'check-exposed': {
        const entry = { checkId: event.checkId, partnerName: partner, partnerFingerprint: this.host.view().partnerFingerprint, protocol: event.protocol, upTo: event.upTo, at: deps.now() };
        await recordExposure(deps.stores.checks, entry);
        return set({ notice: auditSentence({ ...entry, id: '', kind: 'check-exposed', at: entry.at.toISOString() }) });
      }
      case 'closed':
        // #12: a partner that went away (a reload, a lost network) is waited for again; an error, ours
        // or the partner's, is for the user to read first.
        return this.host.ended(closedMessage(event.by, event.error, partner), event.by !== 'local' && (event.error === null || event.error.code === ErrorCode.PeerClosed));
    }
  }
}

/** Whether a progress event would show what is already shown: the same phase and whole percentage. */
function sameStep(shown: ConnectionView['progress'], next: { phase: string; done: number; total: number }): boolean {
  const percent = (p: { done: number; total: number }) => (p.total > 0 ? Math.floor((p.done * 100) / p.total) : 0);
  return shown !== null && shown.phase === next.phase && shown.total === next.total && percent(shown) === percent(next) && next.done !== next.total;
}
