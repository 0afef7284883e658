import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import type { PeerMessage, PeerMessageOf } from './protocol.js';
import { ALERT_HAVE_BATCH, ALERTS_BATCH } from '../witness/peer-messages.js';
import { alertHaveList, alertsLacking, MAX_HELD_ALERTS, type WitnessAlert } from '../witness/reconcile.js';
import type { AlertBook } from '../witness/session.js';

/** What alert reconciliation needs of the peer session it runs in. */
export interface AlertSyncPort {
  send(message: PeerMessage): void;
  fail(error: ProtocolError): void;
  backpressure(): Promise<void>;
  readonly open: boolean;
}

export type AlertFrame = PeerMessageOf<'alert-have'> | PeerMessageOf<'alerts'>;

/** A side with no alert book holds nothing and keeps nothing, but still answers (the exchange is symmetric). */
const EMPTY_BOOK: AlertBook = { list: async () => [], receive: async () => undefined };

/**
 * W5 over a partner session (PROTOCOL.md §3.1 step 7, "Alert reconciliation"): once the session is
 * ready, each side sends `alert-have` frames (the prefixes of the alerts it holds), then, on the other's
 * last one, `alerts` frames with exactly those the other lacks. The same functions and bounds as over a
 * witness connection (witness/session.ts); frames are handled strictly in order, each awaited, so
 * storage calls never interleave. Checks run alongside; the session stays open afterwards.
 */
export class AlertSync {
  private ourHave: readonly WitnessAlert[] | null = null;
  private theirPrefixes: string[] = [];
  private theirPrefixCount = 0;
  private theirHaveDone = false;
  private sentLast = false;
  private gotLast = false;
  private received = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly book: AlertBook;

  constructor(
    private readonly port: AlertSyncPort,
    book: AlertBook | undefined,
  ) {
    this.book = book ?? EMPTY_BOOK;
  }

  /** Called once, when the session becomes ready. */
  start(): void {
    this.enqueue(() => this.sendHave());
  }

  receive(message: AlertFrame): void {
    this.enqueue(() => this.handle(message));
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (!this.port.open) return;
      try {
        await step();
      } catch {
        // A storage failure is ours, not the partner's: say so and end the session.
        this.port.fail(protocolError(ErrorCode.Internal, 'local failure'));
      }
    });
  }

  private async sendHave(): Promise<void> {
    const held = await this.book.list();
    const prefixes = alertHaveList(held);
    for (let i = 0; i === 0 || i < prefixes.length; i += ALERT_HAVE_BATCH) {
      if (!this.port.open) return;
      this.port.send({ type: 'alert-have', prefixes: prefixes.slice(i, i + ALERT_HAVE_BATCH), last: i + ALERT_HAVE_BATCH >= prefixes.length });
      await this.port.backpressure();
    }
    this.ourHave = held;
    if (this.theirHaveDone) await this.sendLacking();
  }

  private async sendLacking(): Promise<void> {
    if (this.ourHave === null || this.sentLast) return;
    const lacking = alertsLacking(this.ourHave, this.theirPrefixes);
    this.theirPrefixes = [];
    this.sentLast = true;
    for (let i = 0; i === 0 || i < lacking.length; i += ALERTS_BATCH) {
      if (!this.port.open) return;
      this.port.send({ type: 'alerts', alerts: lacking.slice(i, i + ALERTS_BATCH), last: i + ALERTS_BATCH >= lacking.length });
      await this.port.backpressure();
    }
  }

  private async handle(message: AlertFrame): Promise<void> {
    if (message.type === 'alert-have') {
      if (this.theirHaveDone) return this.port.fail(protocolError(ErrorCode.UnexpectedMessage, 'alert-have after the last one'));
      this.theirPrefixCount += message.prefixes.length;
      if (this.theirPrefixCount > MAX_HELD_ALERTS) return this.port.fail(protocolError(ErrorCode.TooManyItems, 'alert-have'));
      this.theirPrefixes.push(...message.prefixes);
      if (message.last) {
        this.theirHaveDone = true;
        await this.sendLacking();
      }
      return;
    }
    // `alerts` answer our complete alert-have, and come after the partner's own last alert-have.
    if (this.ourHave === null || !this.theirHaveDone || this.gotLast) return this.port.fail(protocolError(ErrorCode.UnexpectedMessage, 'alerts out of order'));
    this.received += message.alerts.length;
    if (this.received > MAX_HELD_ALERTS) return this.port.fail(protocolError(ErrorCode.TooManyItems, 'alerts'));
    if (message.last) this.gotLast = true;
    if (message.alerts.length > 0) await this.book.receive(message.alerts as readonly WitnessAlert[]);
  }
}
