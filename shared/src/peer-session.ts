import { SEND_HIGH_WATER, type PeerChannel } from './channel.js';
import { ErrorCode, protocolError, type ProtocolError } from './errors.js';
import type { CheckId } from './ids.js';
import { CheckCoordinator, type CheckEvent, type CheckItem, type CheckWork, type SessionPort } from './overlap-check.js';
import { psiFlow } from './overlap-psi.js';
import { uscadiFlow } from './overlap-uscadi.js';
import {
  encodePeerMessage,
  negotiateVersion,
  parsePeerFrame,
  PEER_PROTOCOL,
  PEER_PROTOCOL_VERSIONS,
  type CheckProtocol,
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
  work: CheckWork;
  /** Our contacts as they take part in a check, read when we answer one (the asker passes its own). */
  localItems(): Promise<readonly CheckItem[]>;
  onEvent(event: SessionEvent): void;
  /** Offered versions; tests override it to check negotiation. */
  versions?: readonly number[];
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
  private readonly check: CheckCoordinator;
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
      backpressure: () => session.backpressure(),
      get open() {
        return session.phase === 'ready';
      },
    };
    this.check = new CheckCoordinator(port, options.random, options.work, options.localItems, { 'psi-v1': psiFlow, 'uscadi-v0': uscadiFlow, 'uscadi-v1': uscadiFlow });
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
