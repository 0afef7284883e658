import { SEND_HIGH_WATER, type PeerChannel } from './channel.js';
import { AlertSync } from './alerts.js';
import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import type { CheckId, OrgFingerprint } from '../core/ids.js';
import { serializeIdentityMessage, type IdentityMessage } from '../identity/messages.js';
import { isIdentityErrorCode, type IdentityErrorCode, type IdentityFailure } from '../identity/errors.js';
import { fingerprintOf, type PublicKeyHex } from '../identity/keys.js';
import type { IdentityPort } from '../identity/port.js';
import { CheckCoordinator, type CheckEvent, type CheckItem, type CheckWork, type SessionPort } from '../check/overlap-check.js';
import { psiFlow } from '../check/psi-flow.js';
import { uscadiFlow } from '../check/uscadi-flow.js';
import {
  encodePeerMessage,
  negotiateVersion,
  parseSessionFrame,
  PEER_PROTOCOL,
  PEER_PROTOCOL_VERSIONS,
  type CheckProtocol,
  type PeerMessage,
} from './protocol.js';
import type { RandomBytes } from '../core/random.js';
import { err, type Result } from '../core/result.js';
import type { AlertBook } from '../witness/session.js';
import { isSyncFrameType, type SyncMessage } from '../sync/messages.js';
import { SessionSyncLink, syncNotEnabled, type SessionSyncOptions } from './sync-link.js';
import { AssignNegotiator, type AssignEvent, type NegotiationDeps, type PairSide } from '../lists/negotiation.js';
import type { RoundPlan } from '../lists/round.js';

/** Who the partner proved to be in the identity step (I8). */
export interface PeerIdentity {
  peerKey: PublicKeyHex;
  peerFingerprint: OrgFingerprint;
  /** I9: the secret both sides now keep to meet again without the link (identity/handshake.ts). */
  pairSecret?: Uint8Array;
}

/** An identity step that failed or refused: this side reads `code`, the partner is sent `peerCode ?? code` (I6). */
export interface IdentifyFailure extends ProtocolError {
  readonly peerCode?: ErrorCode;
}

export type SessionEvent =
  | { type: 'ready'; partnerName: string; version: number; identity: PeerIdentity }
  | CheckEvent
  | AssignEvent
  | { type: 'closed'; by: 'local' | 'remote' | 'transport'; error: ProtocolError | null };

export interface PeerSessionOptions {
  orgName: string;
  random: RandomBytes;
  work: CheckWork;
  /** Our contacts as they take part in a check, read when we answer one (the asker passes its own). */
  localItems(): Promise<readonly CheckItem[]>;
  onEvent(event: SessionEvent): void;
  /**
   * The identity step (I8 handshake, I3 reconciliation, I6 gate), run after both hellos and before
   * `ready`, over the session's `id-*` frames. The same port keeps receiving `id-*` frames once the
   * session is ready (gossip, attestations): the caller reads them on. Injected, so that shared/
   * holds no key store and tests run the session with an in-memory step.
   */
  identify(port: IdentityPort, partnerName: string): Promise<Result<PeerIdentity, IdentifyFailure>>;
  /**
   * W5: the alerts this device holds and keeps. Once ready, both sides reconcile them (peer-alerts.ts).
   * Injected, so that shared/ holds no storage; without it this side holds nothing and keeps nothing.
   */
  alerts?: AlertBook;
  /**
   * X4: set only when the partner is a device of our own organisation; both devices then sync once
   * ready (peer/sync-link.ts). Without it a `sync-*` frame ends the session.
   */
  sync?: SessionSyncOptions;
  /**
   * D3, D4: what a list negotiation needs (our key to sign summaries, a verifier, where an agreed pair
   * is stored). Without it this side declines every proposed pair.
   */
  lists?: NegotiationDeps;
  /**
   * A11: whether this side's admin turned a check protocol on. A partner's request for any other is
   * declined with `protocol-disabled` before anyone is asked. Without it, only psi-v2 is answered.
   */
  answers?(protocol: CheckProtocol): boolean | Promise<boolean>;
  /** Offered versions; tests override it to check negotiation. */
  versions?: readonly number[];
}

/**
 * One connection to one partner organisation (PROTOCOL.md, "Peer session"): a `hello` each way picks
 * the version; the identity step runs over `id-*` frames; a `ready` each way opens the session; then
 * both sides reconcile exposure alerts (W5) and checks run one at a time. Any malformed, oversized or out-of-order frame ends the session with a
 * typed `error` frame to the partner and a `closed` event here (A8).
 */
export class PeerSession {
  private phase: 'new' | 'handshaking' | 'identifying' | 'ready' | 'closed' = 'new';
  private partner: string | null = null;
  private identity: PeerIdentity | null = null;
  private partnerReady = false;
  private negotiated = 0;
  private readonly port: SessionIdentityPort;
  private readonly check: CheckCoordinator;
  private readonly alertSync: AlertSync;
  private readonly syncLink: SessionSyncLink | null;
  private readonly lists: AssignNegotiator | null;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly channel: PeerChannel,
    private readonly options: PeerSessionOptions,
  ) {
    const session = this;
    const port: SessionPort = {
      send: (m) => session.send(m),
      fail: (e) => session.fail(e),
      emit: (e) => session.checkEvent(e),
      backpressure: () => session.backpressure(),
      get open() {
        return session.phase === 'ready';
      },
    };
    // A list pair's check is answered with the members offered in that pair, not the whole contact list.
    const localItems = () => this.lists?.answerItems() ?? options.localItems();
    this.check = new CheckCoordinator(port, options.random, options.work, () => Promise.resolve(localItems()), { 'psi-v2': psiFlow, 'uscadi-v0': uscadiFlow, 'uscadi-v1': uscadiFlow }, options.answers?.bind(options));
    this.alertSync = new AlertSync(port, options.alerts);
    this.syncLink = options.sync ? new SessionSyncLink(port) : null;
    this.lists = options.lists
      ? new AssignNegotiator(
          {
            send: (m) => session.send(m),
            fail: (e) => session.fail(e),
            emit: (e) => session.options.onEvent(e),
            requestCheck: (items) => {
              const r = session.check.request('psi-v2', items);
              return r.ok ? r.value : null;
            },
            partner: () => (session.identity ? { key: session.identity.peerKey, fingerprint: session.identity.peerFingerprint } : null),
            self: fingerprintOf(options.lists.signer.publicKey),
          },
          options.lists,
        )
      : null;
    this.port = new SessionIdentityPort(
      (m) => this.sendFrame(serializeIdentityMessage(m)),
      // A sided refusal (I10) goes as I6's does: the partner is sent its own code, we read ours.
      (code, peerCode) => (peerCode ? this.refuse({ code, peerCode }) : this.fail(protocolError(code))),
    );
    this.unsubscribe.push(channel.onMessage((frame) => this.receive(frame)));
    this.unsubscribe.push(channel.onClose(() => this.end('transport', protocolError(ErrorCode.PeerClosed))));
  }

  get partnerName(): string | null {
    return this.partner;
  }

  /** The partner's verified identity, once the identity step passed. */
  get partnerIdentity(): PeerIdentity | null {
    return this.identity;
  }

  /** The identity port, for `id-*` messages after `ready` (gossip, attestations). */
  get identityPort(): IdentityPort {
    return this.port;
  }

  get isOpen(): boolean {
    return this.phase !== 'closed';
  }

  start(): void {
    if (this.phase !== 'new') return;
    this.phase = 'handshaking';
    this.send({ type: 'hello', protocol: PEER_PROTOCOL, versions: [...(this.options.versions ?? PEER_PROTOCOL_VERSIONS)], orgName: this.options.orgName });
  }

  /** Ask the partner for a check of `protocol` over our `items` (those that cannot take part are left out). */
  requestCheck(protocol: CheckProtocol, items: readonly CheckItem[]): Result<CheckId, ProtocolError> {
    return this.check.request(protocol, items);
  }

  acceptCheck(checkId: CheckId): void {
    this.check.accept(checkId);
  }

  declineCheck(checkId: CheckId): void {
    this.check.decline(checkId);
  }

  cancelCheck(): void {
    this.check.cancel();
  }

  /** D4: propose pair `pair` of `plan` to this partner (we are its first participant). Returns the pair id. */
  proposePair(plan: RoundPlan, pair: number, side: PairSide): Result<string, ProtocolError> {
    if (this.phase !== 'ready') return err(protocolError(ErrorCode.PeerClosed));
    if (!this.lists) return err(protocolError(ErrorCode.Internal, 'no list negotiation on this session'));
    const out = this.lists.propose(plan, pair, side);
    return typeof out === 'string' ? { ok: true, value: out } : err(out);
  }

  acceptPair(pairId: string, side: PairSide): void {
    this.lists?.accept(pairId, side);
  }

  declinePair(pairId: string): void {
    this.lists?.decline(pairId);
  }

  /** Check events go to the app, except the consent of a list pair's own check, which the pair's acceptance covers. */
  private checkEvent(event: CheckEvent): void {
    if (this.lists?.claimsCheck(event)) return event.type === 'consent-requested' ? this.check.accept(event.checkId) : undefined;
    this.options.onEvent(event);
    this.lists?.onCheckEvent(event);
  }

  /** Close without blame, as when the user leaves. */
  close(): void {
    this.end('local', null);
  }

  /** Refuse the partner's behaviour: tell it why, then close (A8). */
  fail(error: ProtocolError): void {
    if (this.phase === 'closed') return;
    try {
      this.channel.send(encodePeerMessage({ type: 'error', code: error.code }));
    } catch {
      // The channel may already be gone; the local user still reads the error.
    }
    this.end('local', error);
  }

  /** A7: wait while the transport holds more than SEND_HIGH_WATER bytes, so big lists never flood it. */
  private async backpressure(): Promise<void> {
    const { channel } = this;
    while (this.phase !== 'closed' && channel.bufferedAmount && channel.drained && channel.bufferedAmount() > SEND_HIGH_WATER) {
      await channel.drained();
    }
  }

  private send(message: PeerMessage): void {
    this.sendFrame(encodePeerMessage(message));
  }

  private sendFrame(frame: string): void {
    if (this.phase === 'closed') return;
    try {
      this.channel.send(frame);
    } catch {
      this.end('transport', protocolError(ErrorCode.PeerClosed, 'send failed'));
    }
  }

  private receive(frame: unknown): void {
    if (this.phase === 'closed') return;
    const parsed = parseSessionFrame(frame);
    if (!parsed.ok) return this.fail(parsed.error);
    if (parsed.value.kind === 'identity') return this.receiveIdentity(parsed.value.message);
    const message = parsed.value.message;
    if (message.type === 'error') return this.end('remote', protocolError(message.code));
    if (message.type === 'hello') return this.receiveHello(message);
    if (message.type === 'ready') {
      if (this.phase !== 'identifying' || this.partnerReady) return this.fail(protocolError(ErrorCode.UnexpectedMessage, 'ready out of order'));
      this.partnerReady = true;
      return this.maybeReady();
    }
    if (this.phase !== 'ready') return this.fail(protocolError(ErrorCode.UnexpectedMessage, `${message.type} before ready`));
    if (message.type === 'alert-have' || message.type === 'alerts') return this.alertSync.receive(message);
    if (isSyncFrameType(message.type)) return this.syncLink ? this.syncLink.deliver(message as SyncMessage) : this.fail(syncNotEnabled(message.type));
    if (message.type.startsWith('assign-')) {
      if (this.lists) return this.lists.receive(message);
      if (message.type === 'assign-propose') return this.send({ type: 'assign-decline', pairId: message.pairId });
      // No lists on this session: it cannot say which pairs this organisation holds, so it says nothing (§7.8).
      if (message.type === 'assign-held') return;
      return this.fail(protocolError(ErrorCode.UnexpectedMessage, message.type));
    }
    this.check.receive(message);
  }

  private receiveIdentity(message: IdentityMessage): void {
    if (message.type === 'id-error') return this.end('remote', protocolError(message.code));
    // Identity frames belong to the identity step and, once ready, to gossip and attestations; a
    // partner that sends them before hello, or after its own ready but before ours, is out of order.
    if (this.phase !== 'identifying' && this.phase !== 'ready') return this.fail(protocolError(ErrorCode.UnexpectedMessage, `${message.type} before hello`));
    if (this.phase === 'identifying' && this.partnerReady) return this.fail(protocolError(ErrorCode.UnexpectedMessage, `${message.type} after ready`));
    this.port.deliver(message);
  }

  private receiveHello(hello: Extract<PeerMessage, { type: 'hello' }>): void {
    if (this.phase !== 'handshaking') return this.fail(protocolError(ErrorCode.UnexpectedMessage, 'second hello'));
    const version = negotiateVersion(this.options.versions ?? PEER_PROTOCOL_VERSIONS, hello.versions);
    if (version === null) return this.fail(protocolError(ErrorCode.IncompatibleVersion, `they offer ${hello.versions.join(',')}`));
    this.phase = 'identifying';
    this.partner = hello.orgName;
    this.negotiated = version;
    void this.runIdentify(hello.orgName);
  }

  private async runIdentify(partnerName: string): Promise<void> {
    let outcome: Result<PeerIdentity, IdentifyFailure>;
    try {
      outcome = await this.options.identify(this.port, partnerName);
    } catch (e) {
      outcome = err(protocolError(ErrorCode.Internal, e instanceof Error ? e.message : String(e)));
    }
    if (this.phase !== 'identifying') return;
    if (!outcome.ok) return this.refuse(outcome.error);
    this.identity = outcome.value;
    this.send({ type: 'ready' });
    this.maybeReady();
  }

  private maybeReady(): void {
    if (this.phase !== 'identifying' || !this.identity || !this.partnerReady) return;
    this.phase = 'ready';
    this.options.onEvent({ type: 'ready', partnerName: this.partner!, version: this.negotiated, identity: this.identity });
    this.alertSync.start();
    this.lists?.start();
    if (this.syncLink && this.options.sync) this.syncLink.start(this.options.sync);
  }

  /** I6: we read our sentence, the partner reads its own (`peerCode`), and the session ends. */
  private refuse(failure: IdentifyFailure): void {
    if (this.phase === 'closed') return;
    try {
      this.channel.send(encodePeerMessage({ type: 'error', code: failure.peerCode ?? failure.code }));
    } catch {
      // The channel may already be gone; the local user still reads the error.
    }
    const { peerCode: _sent, ...local } = failure;
    this.end('local', local);
  }

  private end(by: 'local' | 'remote' | 'transport', error: ProtocolError | null): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.check.abandon();
    this.syncLink?.close();
    this.lists?.abandon();
    this.port.end(error ?? protocolError(ErrorCode.PeerClosed));
    for (const off of this.unsubscribe) off();
    this.channel.close();
    this.options.onEvent({ type: 'closed', by, error });
  }
}

/**
 * The session's side of the identity protocol: `id-*` frames are queued for `receive()`; `fail`
 * ends the whole session with the identity code (A8); once the session ends, receivers get an error.
 */
class SessionIdentityPort implements IdentityPort {
  private readonly inbox: IdentityMessage[] = [];
  private readonly waiting: ((r: Result<IdentityMessage, IdentityFailure>) => void)[] = [];
  private ended: IdentityFailure | null = null;

  constructor(
    private readonly sendFrame: (m: IdentityMessage) => void,
    private readonly failSession: (code: IdentityErrorCode, peerCode?: IdentityErrorCode) => void,
  ) {}

  send(message: IdentityMessage): void {
    if (!this.ended) this.sendFrame(message);
  }

  receive(): Promise<Result<IdentityMessage, IdentityFailure>> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve({ ok: true, value: queued });
    if (this.ended) return Promise.resolve(err(this.ended));
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  fail(code: IdentityErrorCode, peerCode?: IdentityErrorCode): void {
    if (!this.ended) this.failSession(code, peerCode);
  }

  deliver(message: IdentityMessage): void {
    const w = this.waiting.shift();
    if (w) w({ ok: true, value: message });
    else this.inbox.push(message);
  }

  /** The session ended: a partner's error reads as peer-error with its code, anything else as peer-closed. */
  end(error: ProtocolError): void {
    if (this.ended) return;
    const identityCode = (code: ErrorCode): IdentityErrorCode | null => (isIdentityCode(code) ? code : null);
    const peerCode = identityCode(error.code);
    this.ended = peerCode && peerCode !== 'peer-closed' ? { code: 'peer-error', peerCode } : { code: 'peer-closed' };
    for (const w of this.waiting.splice(0)) w(err(this.ended));
  }
}

function isIdentityCode(code: ErrorCode): code is ErrorCode & IdentityErrorCode {
  return isIdentityErrorCode(code);
}
