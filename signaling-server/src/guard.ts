/**
 * S3: one connection's state beyond its seats: its budgets, its joins in flight, and how it is told
 * about a dropped message.
 *
 * Every drop is answered with a typed `error-message` (or through the join acknowledgement), counted in
 * the metrics, and logged by code only. Drops that an honest app never causes are offences; a
 * connection that commits more than MAX_OFFENCES_PER_MINUTE of them is disconnected. Being over the
 * message rate counts as one offence per second, not one per message, so a short burst over the rate
 * is forgiven while a sustained flood is cut off.
 *
 * One instance per connection, with its methods on the prototype: at 10,000 connections, closures per
 * connection would cost megabytes.
 */
import { SignalingErrorCode, SignalingEvent, type CloseRoomReply, type JoinReply, type RoomId, type SignalingClientEvent } from '@ihyid/shared';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import { createOffenceBudget, createRateLimiter, TokenBucket } from './rate.js';
import type { SignalingSocket } from './socket.js';

export type EventLabel = SignalingClientEvent | 'unknown';
export type Ack = (reply: JoinReply) => void;
export type CloseAck = (reply: CloseRoomReply) => void;

/** Codes that only a broken or hostile client causes. Races (peer-not-found, room-full...) are not offences. */
const OFFENCES: ReadonlySet<SignalingErrorCode> = new Set([
  SignalingErrorCode.MalformedMessage,
  SignalingErrorCode.OversizedMessage,
  SignalingErrorCode.UnexpectedMessage,
  SignalingErrorCode.RateLimited,
  SignalingErrorCode.BadProof,
]);

export interface GuardDeps {
  readonly maxMessagesPerSecond: number;
  readonly maxOffencesPerMinute: number;
  /** I9: `close-room` requests per minute (closed-rooms.ts): an app sends a few, a flood would push real entries out. */
  readonly maxClosesPerMinute: number;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly now: () => number;
}

export class Guard {
  private readonly rate: TokenBucket;
  private readonly offences: TokenBucket;
  /** Made on the first `close-room`: most connections never send one. */
  private closes: TokenBucket | undefined;
  /** One rate-limit notice (and one offence) per second at most, so a flood is not answered by a flood. */
  private lastRateNotice = Number.NEGATIVE_INFINITY;
  /**
   * Joins waiting for their seat, by room (made on first use). They count against
   * MAX_ROOMS_PER_CONNECTION, and a repeated join or a leave of the same room waits for them.
   */
  pending: Map<RoomId, Promise<unknown>> | undefined;

  constructor(
    readonly socket: SignalingSocket,
    private readonly deps: GuardDeps,
  ) {
    this.rate = createRateLimiter(deps.maxMessagesPerSecond, deps.now);
    this.offences = createOffenceBudget(deps.maxOffencesPerMinute, deps.now);
  }

  /** Takes one message from the rate budget; false when over it (the caller then calls `overRate`). */
  withinRate(): boolean {
    return this.rate.take();
  }

  /** Takes one `close-room` from its own budget (on top of the message rate). */
  withinCloseBudget(): boolean {
    const { maxClosesPerMinute, now } = this.deps;
    this.closes ??= new TokenBucket(maxClosesPerMinute, maxClosesPerMinute / 60, now);
    return this.closes.take();
  }

  overRate(event: EventLabel, ack: unknown): void {
    const { metrics, now } = this.deps;
    metrics.drop(event, SignalingErrorCode.RateLimited);
    const noticeDue = now() - this.lastRateNotice >= 1000;
    if (noticeDue) this.lastRateNotice = now();
    if ((event === SignalingEvent.Join || event === SignalingEvent.CloseRoom) && typeof ack === 'function') {
      (ack as Ack)({ ok: false, code: SignalingErrorCode.RateLimited });
    } else if (noticeDue) {
      this.notify(event, SignalingErrorCode.RateLimited);
    }
    if (noticeDue) this.offend(SignalingErrorCode.RateLimited);
  }

  /** Drops a message, answering with `error-message {code, event}`. */
  drop(event: EventLabel, code: SignalingErrorCode): void {
    this.deps.metrics.drop(event, code);
    this.deps.log.debug('dropped', { on: event, code });
    this.notify(event, code);
    this.offend(code);
  }

  /** Refuses a join (or a close-room) through its acknowledgement. */
  refuse(ack: (reply: { ok: false; code: SignalingErrorCode }) => void, code: SignalingErrorCode, event: typeof SignalingEvent.Join | typeof SignalingEvent.CloseRoom = SignalingEvent.Join): void {
    this.deps.metrics.drop(event, code);
    this.deps.log.debug(event === SignalingEvent.Join ? 'join-refused' : 'close-refused', { code });
    ack({ ok: false, code });
    this.offend(code);
  }

  pendingCount(): number {
    return this.pending?.size ?? 0;
  }

  private notify(event: EventLabel, code: SignalingErrorCode): void {
    try {
      this.socket.emit(SignalingEvent.ErrorMessage, { code, event });
    } catch {
      // The socket is already gone; nothing more to do.
    }
  }

  private offend(code: SignalingErrorCode): void {
    if (!OFFENCES.has(code) || this.offences.take() || this.socket.disconnected) return;
    this.deps.metrics.disconnected('offences');
    this.deps.log.info('disconnected-offender', { code });
    // The error-message emitted just before is flushed ahead of the close.
    this.socket.disconnect(true);
  }
}
