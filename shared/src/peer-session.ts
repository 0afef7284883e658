import type { PeerChannel } from './channel.js';
import { ErrorCode, protocolError, type ProtocolError } from './errors.js';
import type { CheckId } from './ids.js';
import { OverlapCheckV0, type CheckItemV0, type CheckEvent, type UscadiWorkV0 } from './overlap-v0.js';
import {
  encodePeerMessage,
  negotiateVersion,
  parsePeerFrame,
  PEER_PROTOCOL,
  PEER_PROTOCOL_VERSIONS,
  type PeerMessage,
} from './peer-protocol.js';
import type { RandomBytes } from './random.js';
import type { Result } from './result.js';

export type SessionEvent =
  | { type: 'ready'; partnerName: string; version: number }
  | CheckEvent
  | { type: 'closed'; by: 'local' | 'remote' | 'transport'; error: ProtocolError | null };

export interface PeerSessionOptions {
  orgName: string;
  random: RandomBytes;
  work: UscadiWorkV0;
  onEvent(event: SessionEvent): void;
  /** Offered versions; tests override it to check negotiation. */
  versions?: readonly number[];
}

/** What a check flow may do to the session it runs in. */
export interface SessionPort {
  send(message: PeerMessage): void;
  fail(error: ProtocolError): void;
  emit(event: CheckEvent): void;
  readonly open: boolean;
}

/**
 * One connection to one partner organisation (PROTOCOL.md, "Peer session"): a `hello` each way picks
 * the version; then checks run one at a time. Any malformed, oversized or out-of-order frame ends the
 * session with a typed `error` frame to the partner and a `closed` event here (A8). The handshake is
 * its own step so that signed identities (I8, full form) can slot in before `ready`.
 */
export class PeerSession {
  private phase: 'new' | 'handshaking' | 'ready' | 'closed' = 'new';
  private partner: string | null = null;
  private readonly check: OverlapCheckV0;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly channel: PeerChannel,
    private readonly options: PeerSessionOptions,
  ) {
    const session = this;
    const port: SessionPort = {
      send: (m) => session.send(m),
      fail: (e) => session.fail(e),
      emit: (e) => session.options.onEvent(e),
      get open() {
        return session.phase === 'ready';
      },
    };
    this.check = new OverlapCheckV0(port, options.random, options.work);
    this.unsubscribe.push(channel.onMessage((frame) => this.receive(frame)));
    this.unsubscribe.push(channel.onClose(() => this.end('transport', protocolError(ErrorCode.PeerClosed))));
  }

  get partnerName(): string | null {
    return this.partner;
  }

  get isOpen(): boolean {
    return this.phase !== 'closed';
  }

  start(): void {
    if (this.phase !== 'new') return;
    this.phase = 'handshaking';
    this.send({ type: 'hello', protocol: PEER_PROTOCOL, versions: [...(this.options.versions ?? PEER_PROTOCOL_VERSIONS)], orgName: this.options.orgName });
  }

  requestCheck(items: readonly CheckItemV0[]): Result<CheckId, ProtocolError> {
    return this.check.request(items);
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

  private send(message: PeerMessage): void {
    if (this.phase === 'closed') return;
    try {
      this.channel.send(encodePeerMessage(message));
    } catch {
      this.end('transport', protocolError(ErrorCode.PeerClosed, 'send failed'));
    }
  }

  private receive(frame: unknown): void {
    if (this.phase === 'closed') return;
    const parsed = parsePeerFrame(frame);
    if (!parsed.ok) return this.fail(parsed.error);
    const message = parsed.value;
    if (message.type === 'error') return this.end('remote', protocolError(message.code));
    if (message.type === 'hello') return this.receiveHello(message);
    if (this.phase !== 'ready') return this.fail(protocolError(ErrorCode.UnexpectedMessage, `${message.type} before hello`));
    this.check.receive(message);
  }

  private receiveHello(hello: Extract<PeerMessage, { type: 'hello' }>): void {
    if (this.phase !== 'handshaking') return this.fail(protocolError(ErrorCode.UnexpectedMessage, 'second hello'));
    const version = negotiateVersion(this.options.versions ?? PEER_PROTOCOL_VERSIONS, hello.versions);
    if (version === null) return this.fail(protocolError(ErrorCode.IncompatibleVersion, `they offer ${hello.versions.join(',')}`));
    this.phase = 'ready';
    this.partner = hello.orgName;
    this.options.onEvent({ type: 'ready', partnerName: hello.orgName, version });
  }

  private end(by: 'local' | 'remote' | 'transport', error: ProtocolError | null): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.check.abandon();
    for (const off of this.unsubscribe) off();
    this.channel.close();
    this.options.onEvent({ type: 'closed', by, error });
  }
}
