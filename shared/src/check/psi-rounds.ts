import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { POINT_BYTES } from './psi-group.js';
import { base64ToBytes, bytesToBase64 } from '../core/hex.js';
import { CHUNK_BYTES } from './transfer.js';

/** The most points one round carries: one transfer chunk's worth (32 KiB). */
export const ROUND_POINTS = CHUNK_BYTES / POINT_BYTES;

/** Rounds for two lists of `a` and `b` points: enough that neither list's share of a round exceeds ROUND_POINTS. */
export function roundCount(a: number, b: number): number {
  return Math.max(1, Math.ceil(Math.max(a, b) / ROUND_POINTS));
}

/** Points [from, to) of a list of `n` points that round `r` of `rounds` carries: each round an equal share. */
export function roundSlice(n: number, rounds: number, r: number): [number, number] {
  return [Math.floor((r * n) / rounds), Math.floor(((r + 1) * n) / rounds)];
}

/**
 * A10: the two re-blinded lists cross in lock-step rounds, so that neither side ever holds more than
 * one round of its result beyond the other's. Both lists are cut into the same number of rounds, each
 * round an equal share of its list (so a round tells each side the same fraction of its own overlap).
 * The leader (the asking side) sends round r once it has the follower's round r-1; the follower sends
 * round r only once it has the leader's round r. A partner that stops gains at most one round: the
 * follower's by stopping after the leader's round, and nothing at all as the leader.
 */
export class RoundExchange {
  readonly rounds: number;
  private sent = 0;
  private received = 0;
  private outgoing: Uint8Array | null = null;
  /** Points [0, upTo) of `outgoing` are re-blinded: a round goes only once all its points are. */
  private upTo = 0;
  /** Our own points, blinded by both scalars, in the order we sent them: filled round by round. */
  private readonly back: Uint8Array;
  private sentPoints = 0;

  constructor(
    private readonly leader: boolean,
    /** Points we sent in our blinded list, which come back to us in the partner's rounds. */
    private readonly mine: number,
    /** Points the partner sent, which we re-blind and send back in ours. */
    private readonly theirs: number,
    private readonly send: (round: number, data: string) => void,
  ) {
    this.rounds = roundCount(mine, theirs);
    this.back = new Uint8Array(mine * POINT_BYTES);
  }

  /** Points of the partner's list we have sent back re-blinded: what it may have learned from. */
  get exposed(): number {
    return this.sentPoints;
  }

  get done(): boolean {
    return this.sent === this.rounds && this.received === this.rounds;
  }

  /** Our points, blinded by both sides, once every round arrived. */
  get result(): Uint8Array | null {
    return this.received === this.rounds ? this.back : null;
  }

  /**
   * The partner's list, re-blinded by us up to point `upTo` (all of it by default), may go back: send
   * whatever the lock-step allows of the rounds whose points are all re-blinded. Called again as more is.
   */
  ready(reblinded: Uint8Array, upTo = this.theirs): void {
    if (reblinded.length !== this.theirs * POINT_BYTES) throw new RangeError('re-blinded list of the wrong size');
    this.outgoing = reblinded;
    this.upTo = Math.max(this.upTo, Math.min(upTo, this.theirs));
    this.pump();
  }

  /** Round `round` of the partner's; `Ok(true)` once every round has arrived. */
  receive(round: number, data: string): Result<boolean, ProtocolError> {
    if (round !== this.received || round >= this.rounds) return err(protocolError(ErrorCode.UnexpectedMessage, `round ${round}, expected ${this.received} of ${this.rounds}`));
    // The leader's rounds may run one ahead of ours, never two; the follower's never ahead of ours.
    const allowed = this.leader ? round < this.sent : round <= this.sent;
    if (!allowed) return err(protocolError(ErrorCode.UnexpectedMessage, `round ${round} before our round ${this.leader ? round : round - 1}`));
    const bytes = base64ToBytes(data);
    if (!bytes || bytes.length % POINT_BYTES !== 0) return err(protocolError(ErrorCode.MalformedMessage, `round ${round} is not whole points`));
    const [from, to] = roundSlice(this.mine, this.rounds, round);
    const points = bytes.length / POINT_BYTES;
    if (points > to - from) return err(protocolError(ErrorCode.SizeExceeded, `round ${round}: ${points} points, ${to - from} due`));
    if (points < to - from) return err(protocolError(ErrorCode.UnexpectedMessage, `round ${round}: ${points} points, ${to - from} due`));
    this.back.set(bytes, from * POINT_BYTES);
    this.received++;
    this.pump();
    return ok(this.received === this.rounds);
  }

  private pump(): void {
    const out = this.outgoing;
    if (!out) return;
    while (this.sent < this.rounds && (this.leader ? this.received >= this.sent : this.received > this.sent)) {
      const [from, to] = roundSlice(this.theirs, this.rounds, this.sent);
      if (to > this.upTo) return;
      this.send(this.sent, bytesToBase64(out.subarray(from * POINT_BYTES, to * POINT_BYTES)));
      this.sentPoints += to - from;
      this.sent++;
    }
  }
}
