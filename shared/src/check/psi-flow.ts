import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import type { ContactId } from '../core/ids.js';
import type { CheckFlow, CheckItem, FlowContext, FlowFactory } from './overlap-check.js';
import type { PeerMessage } from '../peer/protocol.js';
import { firstRefused, POINT_BYTES, randomScalar, type WorkHooks } from './psi-group.js';
import { BlindedList, shuffledOrder } from './psi-own.js';
import { bytesToHex } from '../core/hex.js';
import { psiEntries, type Sizes } from './sizes.js';
import { firstDuplicate, itemKey, ItemReceiver, sendItems } from './transfer.js';
import { RoundExchange } from './psi-rounds.js';

/**
 * psi-v2 (A3, PROTOCOL.md §3.4), the same on both sides once the check is accepted:
 *   1. encode our distinct keys to curve25519, blind them with X25519 and a fresh scalar, shuffle, send (psi-blinded);
 *   2. blind the partner's points again, in the order received, and send them back in lock-step rounds
 *      (`psi-round`, A10, psi-rounds.ts), each round only after the partner's previous one;
 *   3. our points come back blinded by both scalars in our sent order: a position whose value is among
 *      the partner's doubly blinded points is a key both hold; its contacts are shared;
 *   4. `check-finish` each way; only then is the result emitted, whole (A8).
 * Each side learns its own shared contacts and the sizes the other announced, nothing else. A9: the
 * partner's blinded stream may not hold more points than it announced before consent (`size-exceeded`,
 * refused at its `transfer-begin`, before anything of ours is re-blinded), so a partner can test at
 * most that many entries of its choosing against our list.
 */
export const psiFlow: FlowFactory = (ctx, role, mine, ours) => new PsiFlow(ctx, role, mine, ours);

interface Mine {
  /** Contacts per distinct key, in the order the keys were blinded. */
  contacts: readonly ContactId[][];
  contactCount: number;
  /** sentOrder[position on the wire] = index into `contacts`. */
  sentOrder: Uint32Array;
}

class PsiFlow implements CheckFlow {
  private readonly scalar: Uint8Array;
  private mine: Mine | null = null;
  private outgoing: Promise<unknown> = Promise.resolve();
  private blindedSent = false;
  private theirs: ItemReceiver | null = null;
  /** The partner's whole blinded list has arrived (its rounds may only follow it). */
  private theirsComplete = false;
  /** What the partner announced (A9); set by `start`. */
  private announced: Sizes | null = null;
  private rounds: RoundExchange | null = null;
  private completed = false;
  private theirDouble: Set<string> | null = null;
  /** The partner's points re-blinded, chunk by chunk as they arrive (reblindChunk). */
  private again: BlindedList | null = null;
  private chunks: Promise<boolean>[] = [];
  private reblinded = 0;
  /** Both blinded lists are whole (theirs checked, ours on the wire): our rounds go as their points are re-blinded. */
  private roundsOpen = false;
  private mineDouble: Uint8Array | null = null;
  private known: ContactId[] | null = null;
  private values: Map<ContactId, string[]> = new Map();
  private finishedRemote = false;
  private finishSent = false;

  constructor(
    private readonly ctx: FlowContext,
    private readonly role: 'asker' | 'answerer',
    private readonly items: readonly CheckItem[] | null,
    private readonly ours: Sizes,
  ) {
    // A3: one fresh scalar per check, held only by this object; dropped with it.
    this.scalar = randomScalar(ctx.random);
  }


  /** Our keys, grouped and shuffled (null if the check ended first); then the blinding of them, in wire order. */
  private own: Promise<BlindedList | null> | null = null;
  private prepared: Promise<void> | null = null;

  /** Hash and blind our own keys (nothing is sent), possibly while the partner is still deciding. */
  prepare(): void {
    if (this.prepared) return;
    this.own = this.orderOwn();
    this.prepared = this.own.then((own) => (own ? this.blindOwn(own) : undefined));
    this.prepared.catch(() => undefined);
  }

  start(theirs: Sizes): void {
    this.announced = theirs;
    const { ctx } = this;
    this.rounds = new RoundExchange(this.role === 'asker', this.ours.items, theirs.items, (round, data) => ctx.port.send({ type: 'psi-round', checkId: ctx.checkId, round, data }));
    this.prepare();
    const failed = (e: unknown) => {
      if (this.ctx.current()) this.ctx.port.fail(protocolError(ErrorCode.Internal, String(e)));
    };
    // The stream starts with the first blinded batch and follows the blinding (BlindedList.ready).
    void this.own!.then((own) => {
      if (own && this.ctx.current()) this.stream(own);
    }, failed);
    this.prepared!.catch(failed);
  }

  private async orderOwn(): Promise<BlindedList | null> {
    const { ctx } = this;
    const items = this.items ?? (await ctx.localItems());
    if (!ctx.current()) return null;
    const { keys, contacts } = psiEntries(items);
    // The same grouping produced the sizes we announced; anything else would make the partner refuse us.
    if (keys.length !== this.ours.items) throw new Error(`psi-v2: ${keys.length} keys, announced ${this.ours.items}`);
    // A3: shuffled before hashing, so that the order on the wire says nothing about the order of our list.
    const sentOrder = shuffledOrder(keys.length, ctx.random);
    this.mine = { contacts, contactCount: items.length, sentOrder };
    this.ownKeys = Array.from(sentOrder, (k) => keys[k]!);
    return new BlindedList(keys.length);
  }

  private ownKeys: readonly { json: string; kind: string }[] = [];

  private async blindOwn(own: BlindedList): Promise<void> {
    const { ctx } = this;
    const n = own.total;
    this.progress('hashing', 0, n);
    try {
      const points = await ctx.work.psi.blind(this.scalar, ctx.checkId, this.ownKeys, { ...this.hooks('hashing'), onPoints: (from, batch) => own.add(from, batch) });
      if (!ctx.current()) return;
      own.add(0, points);
      this.progress('hashing', n, n);
    } finally {
      this.ownKeys = [];
      own.end();
    }
  }

  receive(message: PeerMessage): void {
    switch (message.type) {
      case 'transfer-begin':
        return this.onBegin(message.items);
      case 'transfer-chunk': {
        const receiver = this.theirs;
        if (!receiver) return this.fail(ErrorCode.UnexpectedMessage, `${message.stream} chunk before its begin`);
        const from = receiver.received;
        const got = receiver.chunk(message.seq, message.data);
        if (!got.ok) return this.ctx.port.fail(got.error);
        this.reblindChunk(from, receiver.slice(from, got.value));
        return this.progress('receiving', got.value, receiver.items);
      }
      case 'transfer-end':
        return this.onEnd();
      case 'psi-round':
        return this.onRound(message.round, message.data);
      case 'check-finish':
        // The partner can only have its result once our last round is on the wire.
        if (!this.rounds!.done || this.finishedRemote) return this.fail(ErrorCode.UnexpectedMessage, 'check-finish out of order');
        this.finishedRemote = true;
        return this.complete();
      default:
        return this.fail(ErrorCode.UnexpectedMessage, `${message.type} during psi-v2`);
    }
  }

  private onBegin(items: number): void {
    if (this.theirs) return this.fail(ErrorCode.UnexpectedMessage, 'second psi-blinded stream');
    // A9: never more than the partner announced and we consented to; fewer would make its shown size a lie.
    const announced = this.announced!.items;
    if (items > announced) return this.fail(ErrorCode.SizeExceeded, `psi-blinded announces ${items}, consented to ${announced}`);
    if (items < announced) return this.fail(ErrorCode.UnexpectedMessage, `psi-blinded announces ${items} of ${announced}`);
    this.theirs = new ItemReceiver('psi-blinded', items, POINT_BYTES);
    this.again = new BlindedList(items);
    this.progress('blinding', 0, items);
  }

  /**
   * Each chunk of the partner's list is re-blinded as it arrives, overlapped with the rest of the
   * transfer and with our own hashing; nothing of it goes back before the whole list is in and checked
   * (onEnd), so the partner learns nothing sooner. A refused point ends the check at once. From then
   * on, each round goes back as soon as the points it carries are re-blinded (openRounds).
   */
  private reblindChunk(from: number, points: Uint8Array): void {
    const { ctx } = this;
    const total = this.theirs!.items;
    const done = ctx.work.psi.reblind(this.scalar, points, { cancelled: () => !ctx.current() }).then((again) => {
      if (!ctx.current()) return false;
      if (!again.ok) {
        // Once the whole list passed firstRefused (onEnd), no point of it is refused: the failure is ours.
        if (this.theirsComplete) this.fail(ErrorCode.Internal, `re-blinding point ${from + again.error} failed`);
        else this.fail(ErrorCode.InvalidItem, `point ${from + again.error} does not decode`);
        return false;
      }
      this.again!.add(from, again.value);
      this.reblinded += points.length / POINT_BYTES;
      this.progress('blinding', this.reblinded, total);
      if (this.roundsOpen) this.rounds!.ready(this.again!.wire, this.again!.filled);
      return true;
    });
    this.chunks.push(done);
  }

  private onEnd(): void {
    const receiver = this.theirs;
    if (!receiver || this.theirsComplete) return this.fail(ErrorCode.UnexpectedMessage, 'psi-blinded end out of order');
    const ended = receiver.end();
    if (!ended.ok) return this.ctx.port.fail(ended.error);
    const points = ended.value;
    if (firstDuplicate(points, POINT_BYTES) >= 0) return this.fail(ErrorCode.DuplicateItem, 'psi-blinded repeats a point');
    // Every point checked here, whatever of its re-blinding is still under way: once rounds go, nothing is refused.
    const refused = firstRefused(points);
    if (refused >= 0) return this.fail(ErrorCode.InvalidItem, `point ${refused} is refused (not canonical, or of small order)`);
    this.theirsComplete = true;
    this.openRounds();
    void this.reblindTheirs(points).catch((e: unknown) => this.fail(ErrorCode.Internal, String(e)));
  }

  /**
   * A10: our rounds may start once the partner's list is whole and checked and ours is all on the wire
   * (the partner refuses a round before that); each then goes as soon as its points are re-blinded
   * and the lock-step allows, overlapping the rounds with the rest of the re-blinding.
   */
  private openRounds(): void {
    if (this.roundsOpen || !this.theirsComplete || !this.blindedSent || !this.ctx.current()) return;
    this.roundsOpen = true;
    this.rounds!.ready(this.again!.wire, this.again!.filled);
  }

  private onRound(round: number, data: string): void {
    const rounds = this.rounds!;
    // Rounds follow both blinded lists: the partner had ours whole, and we must have had its own.
    if (!this.theirsComplete || !this.blindedSent) return this.fail(ErrorCode.UnexpectedMessage, 'psi-round before the blinded lists');
    const got = rounds.receive(round, data);
    if (!got.ok) return this.ctx.port.fail(got.error);
    this.progress('receiving', round + 1, rounds.rounds);
    if (!got.value) return;
    const points = rounds.result!;
    if (firstDuplicate(points, POINT_BYTES) >= 0) return this.fail(ErrorCode.DuplicateItem, 'psi-round repeats a point');
    this.mineDouble = points;
    this.match();
  }

  /** A10: how many shared entries the partner may have learned from our rounds, if the check ends now unfinished. */
  exposure(): number {
    return this.completed || !this.rounds ? 0 : Math.min(this.rounds.exposed, this.ours.items);
  }

  private async reblindTheirs(points: Uint8Array): Promise<void> {
    const { ctx } = this;
    const whole = (await Promise.all(this.chunks)).every(Boolean);
    if (!whole || !ctx.current()) return;
    const again = this.again!.wire;
    const double = new Set<string>();
    for (let i = 0; i < points.length / POINT_BYTES; i++) double.add(itemKey(again, i, POINT_BYTES));
    this.theirDouble = double;
    this.match();
  }

  private match(): void {
    const { mine, theirDouble, mineDouble } = this;
    if (!mine || !theirDouble || !mineDouble || this.known) return;
    const known = new Set<ContactId>();
    // D3: the doubly blinded values each shared contact holds, which a list negotiation decides on.
    const values = new Map<ContactId, string[]>();
    for (let i = 0; i < mine.sentOrder.length; i++) {
      if (!theirDouble.has(itemKey(mineDouble, i, POINT_BYTES))) continue;
      const value = bytesToHex(mineDouble.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES));
      for (const id of mine.contacts[mine.sentOrder[i]!]!) {
        known.add(id);
        values.set(id, [...(values.get(id) ?? []), value]);
      }
    }
    this.known = [...known];
    this.values = values;
    this.outgoing = this.outgoing.then(() => {
      if (!this.ctx.current()) return;
      this.ctx.port.send({ type: 'check-finish', checkId: this.ctx.checkId });
      this.finishSent = true;
      this.complete();
    });
  }

  /** Emitted once both sides hold their whole result: nothing is stored from a check the partner did not finish. */
  private complete(): void {
    const { ctx, known, mine, announced } = this;
    if (!known || !mine || !announced || !this.finishedRemote || !this.finishSent || !ctx.current()) return;
    this.completed = true;
    ctx.finish();
    ctx.port.emit({ type: 'check-completed', checkId: ctx.checkId, protocol: 'psi-v2', role: this.role === 'asker' ? 'asked' : 'answered', sent: mine.contactCount, theirs: announced, known, values: this.values });
  }

  /** Our blinded list goes out first, chunk by chunk as it is blinded; the rounds follow it (openRounds). */
  private stream(own: BlindedList): void {
    const { ctx } = this;
    this.outgoing = this.outgoing.then(async () => {
      const total = own.total;
      this.progress('sending', 0, total);
      await sendItems(ctx.port, ctx.checkId, 'psi-blinded', own.wire, POINT_BYTES, {
        current: ctx.current,
        ready: (items) => own.ready(items),
        onProgress: (done) => this.progress('sending', done, total),
        onSent: () => {
          this.blindedSent = true;
          this.openRounds();
        },
      });
    });
  }

  private hooks(phase: 'hashing' | 'blinding'): WorkHooks {
    return { cancelled: () => !this.ctx.current(), onProgress: (done, total) => this.progress(phase, done, total) };
  }

  private progress(phase: 'hashing' | 'blinding' | 'sending' | 'receiving', done: number, total: number): void {
    if (this.ctx.current()) this.ctx.port.emit({ type: 'check-progress', checkId: this.ctx.checkId, phase, done, total });
  }

  private fail(code: ProtocolError['code'], detail: string): void {
    this.ctx.port.fail(protocolError(code, detail));
  }
}
