import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import type { CheckId, ContactId, OrgFingerprint } from '../core/ids.js';
import { uuidV4, type RandomBytes } from '../core/random.js';
import type { CheckEvent, CheckItem } from '../check/overlap-check.js';
import type { PublicKeyHex, Signer, Verifier } from '../identity/keys.js';
import type { PeerMessage, PeerMessageOf } from '../peer/protocol.js';
import type { OwnFlags, SideStatement } from './assignment.js';
import type { ListId } from './list.js';
import { MAX_HELD_PAIRS, STATEMENT_BATCH } from './messages.js';
import { assignPair, concludePair, openPair, type AgreedPair, type AgreedPairSink, type AssignedPair, type HeldPair, type OpenPair } from './pair.js';
import { planHash, roundPairs, type RoundPair, type RoundPlan } from './round.js';

/**
 * One list negotiation at a time per session (PROTOCOL.md §7.7): propose → accept → the pair's psi-v2
 * check (over the members each side offers) → statements → signed summaries → commits. Only with the
 * partner's verified summary and its commit is the pair handed to the sink, whole; anything else ends
 * the session with a typed error and stores nothing.
 */
export interface PairSide {
  readonly listId: ListId;
  /** The members this side offers in this pair, as they take part in a check. */
  readonly items: readonly CheckItem[];
  readonly flags: OwnFlags;
  readonly capacity: number | null;
}

export type AssignEvent =
  | { type: 'assign-proposed'; pairId: string; plan: RoundPlan; pair: RoundPair; planHash: string }
  | { type: 'assign-declined'; pairId: string }
  | { type: 'assign-agreed'; pairId: string; pair: RoundPair; agreed: AgreedPair }
  /** §7.8: pairs this side had stored that the partner never stored (its last commit was lost): undone here. */
  | { type: 'assign-undone'; pairs: readonly HeldPair[] };

export interface NegotiationPort {
  send(message: PeerMessage): void;
  fail(error: ProtocolError): void;
  emit(event: AssignEvent): void;
  /** Ask the partner for a psi-v2 check over `items` (the proposing side, once accepted). */
  requestCheck(items: readonly CheckItem[]): CheckId | null;
  /** Who the session verified (I8), and who we are. */
  partner(): { key: PublicKeyHex; fingerprint: OrgFingerprint } | null;
  readonly self: OrgFingerprint;
}

export interface NegotiationDeps {
  readonly random: RandomBytes;
  readonly signer: Signer;
  readonly verify: Verifier;
  readonly sink: AgreedPairSink;
}

type Pending = { pairId: string; plan: RoundPlan; pair: RoundPair };
type State =
  | { kind: 'idle' }
  | (Pending & { kind: 'proposed'; side: PairSide })
  | (Pending & { kind: 'asked' })
  | (Pending & { kind: 'checking'; side: PairSide; checkId: CheckId | null; proposer: boolean })
  | (Pending & { kind: 'negotiating'; side: PairSide; open: OpenPair; theirs: Statements; assigned: AssignedPair | null; summary: unknown; verified: AgreedPair | null; committed: boolean });

type Statements = { links: number[][]; serving: number[]; bound: number[]; capacity: number | null | undefined; done: boolean };

export class AssignNegotiator {
  private state: State = { kind: 'idle' };
  private generation = 0;
  /** §7.8, once per session: what we named in `assign-held`, and whether each side's held/lacking came. */
  private sentHeld: HeldPair[] | null = null;
  /**
   * §7.8: the pairs we hold with this partner, read once per session (in `start`) and used both for
   * our `assign-held` and to answer the partner's. Nothing of ours changes before its `assign-held`
   * arrives: a pair is stored only after the partner's commit, which it sends after that.
   */
  private heldSnapshot: Promise<HeldPair[]> | null = null;
  private gotHeld = false;
  private gotLacking = false;

  constructor(
    private readonly port: NegotiationPort,
    private readonly deps: NegotiationDeps,
  ) {}

  get busy(): boolean {
    return this.state.kind !== 'idle';
  }

  /** The proposing side: pair `pair` of `plan`, which must be ours and name this partner. */
  propose(plan: RoundPlan, pair: number, side: PairSide): string | ProtocolError {
    const p = roundPairs(plan)[pair];
    const partner = this.port.partner();
    if (this.busy) return protocolError(ErrorCode.UnexpectedMessage, 'a list negotiation is already running');
    if (!p || !partner || p.a !== this.port.self || p.b !== partner.fingerprint) return protocolError(ErrorCode.InvalidItem, 'this pair is not ours to propose');
    const pairId = uuidV4(this.deps.random);
    this.state = { kind: 'proposed', pairId, plan, pair: p, side };
    this.port.send({ type: 'assign-propose', pairId, plan, pair });
    return pairId;
  }

  accept(pairId: string, side: PairSide): void {
    const s = this.state;
    if (s.kind !== 'asked' || s.pairId !== pairId) return;
    this.state = { ...s, kind: 'checking', side, checkId: null, proposer: false };
    this.port.send({ type: 'assign-accept', pairId });
  }

  decline(pairId: string): void {
    if (this.state.kind !== 'asked' || this.state.pairId !== pairId) return;
    this.state = { kind: 'idle' };
    this.port.send({ type: 'assign-decline', pairId });
  }

  /**
   * §7.8, when the session becomes ready: name the pairs we stored as agreed with this partner. The
   * last `assign-commit` of a pair can be lost (two generals), leaving it stored on one side only;
   * the partner answers with those it lacks, and we undo them, so both hold the same pairs again.
   */
  start(): void {
    const partner = this.port.partner();
    if (!partner) return;
    const generation = this.generation;
    // A side that cannot read its pairs (a checker's, X1) names none, and so never undoes any.
    this.ourHeld(partner.fingerprint).then(
      (pairs) => {
        if (generation !== this.generation) return;
        this.sentHeld = pairs.slice(0, MAX_HELD_PAIRS);
        this.port.send({ type: 'assign-held', pairs: this.sentHeld });
      },
      () => undefined,
    );
  }

  /** The session closed: nothing of a pair under way is kept. */
  abandon(): void {
    this.generation++;
    this.state = { kind: 'idle' };
  }

  /** The invited side answers the pair's check with the members it offers, not its whole contact list. */
  answerItems(): readonly CheckItem[] | null {
    const s = this.state;
    return s.kind === 'checking' && !s.proposer ? s.side.items : null;
  }

  /** A check request while we wait for the pair's check is that check: accepted without asking again. */
  claimsCheck(event: CheckEvent): boolean {
    const s = this.state;
    if (s.kind !== 'checking' || s.proposer) return false;
    // A9's sizes of a claimed check concern no prompt: the pair's acceptance was the consent.
    if (event.type === 'consent-sized') return event.checkId === s.checkId;
    if (event.type !== 'consent-requested' || s.checkId) return false;
    if (event.protocol !== 'psi-v2') return false;
    this.state = { ...s, checkId: event.checkId };
    return true;
  }

  onCheckEvent(event: CheckEvent): void {
    const s = this.state;
    if (s.kind !== 'checking' || event.type !== 'check-completed' || event.checkId !== s.checkId) return;
    if (!event.values) return this.port.fail(protocolError(ErrorCode.UnexpectedMessage, 'a list pair needs psi-v2'));
    const partner = this.port.partner()!;
    const ctx = { listId: s.side.listId, roundId: s.plan.roundId, checkId: s.checkId, self: this.port.self, partner: partner.fingerprint, rule: s.plan.rule };
    const open = openPair(ctx, event.values as ReadonlyMap<ContactId, readonly string[]>, s.side.flags, s.side.capacity);
    this.state = { ...s, kind: 'negotiating', open, theirs: { links: [], serving: [], bound: [], capacity: undefined, done: false }, assigned: null, summary: undefined, verified: null, committed: false };
    this.sendStatement(s.pairId, open.statement);
  }

  receive(message: PeerMessage): void {
    if (message.type === 'assign-propose') return this.onPropose(message);
    if (message.type === 'assign-held') return void this.onHeld(message.pairs);
    if (message.type === 'assign-lacking') return void this.onLacking(message.pairs);
    if (!message.type.startsWith('assign-')) return;
    const s = this.state;
    const pairId = (message as { pairId: string }).pairId;
    if (s.kind === 'idle' || pairId !== s.pairId) return this.unexpected(message.type);
    switch (message.type) {
      case 'assign-accept':
      case 'assign-decline':
        if (s.kind !== 'proposed') return this.unexpected(message.type);
        if (message.type === 'assign-decline') {
          this.state = { kind: 'idle' };
          return this.port.emit({ type: 'assign-declined', pairId });
        }
        this.state = { ...s, kind: 'checking', checkId: null, proposer: true };
        {
          const checkId = this.port.requestCheck(s.side.items);
          if (!checkId) return this.port.fail(protocolError(ErrorCode.Internal, 'the pair check could not start'));
          if (this.state.kind === 'checking') this.state = { ...this.state, checkId };
        }
        return;
      case 'assign-statement':
        if (s.kind === 'checking') return this.unexpected('statement before our check completed') ;
        if (s.kind !== 'negotiating' || s.theirs.done) return this.unexpected(message.type);
        if (s.theirs.capacity !== undefined && s.theirs.capacity !== message.capacity) return this.port.fail(protocolError(ErrorCode.InvalidItem, 'capacity changed between frames'));
        s.theirs.links.push(...message.links);
        s.theirs.serving.push(...message.serving);
        s.theirs.bound.push(...message.bound);
        s.theirs.capacity = message.capacity;
        s.theirs.done = message.last;
        if (message.last) void this.assign(s);
        return;
      case 'assign-summary':
        if (s.kind !== 'negotiating' || !s.theirs.done || s.summary !== undefined) return this.unexpected(message.type);
        s.summary = message.signed;
        return void this.verify(s);
      case 'assign-commit':
        if (s.kind !== 'negotiating' || !s.assigned || s.committed) return this.unexpected(message.type);
        s.committed = true;
        return void this.store(s);
      default:
        return this.unexpected(message.type);
    }
  }

  /** The partner's pairs agreed with us: answer with those we do not hold (an empty answer too, so it knows). */
  private async onHeld(theirs: readonly HeldPair[]): Promise<void> {
    if (this.gotHeld) return this.unexpected('a second assign-held');
    this.gotHeld = true;
    const partner = this.port.partner();
    const generation = this.generation;
    // Only a side that can read its own pairs answers: "lacking" from one that cannot would undo good pairs.
    if (!partner) return;
    let ours: HeldPair[];
    try {
      ours = await this.ourHeld(partner.fingerprint);
    } catch {
      return;
    }
    if (generation !== this.generation) return;
    const held = new Set(ours.map(heldKey));
    this.port.send({ type: 'assign-lacking', pairs: theirs.filter((p) => !held.has(heldKey(p))) });
  }

  /** The session's one read of the pairs we hold with `partner` (see `heldSnapshot`). */
  private ourHeld(partner: OrgFingerprint): Promise<HeldPair[]> {
    return (this.heldSnapshot ??= this.deps.sink.heldWith(partner));
  }

  /** The partner lacks these of the pairs we named: undo them here, whole (never a pair we did not name). */
  private async onLacking(pairs: readonly HeldPair[]): Promise<void> {
    const sent = this.sentHeld;
    if (!sent || this.gotLacking) return this.unexpected('assign-lacking before our assign-held');
    this.gotLacking = true;
    const named = new Set(sent.map(heldKey));
    if (pairs.some((p) => !named.has(heldKey(p)))) return this.port.fail(protocolError(ErrorCode.InvalidItem, 'assign-lacking names a pair we did not name'));
    const partner = this.port.partner();
    if (pairs.length === 0 || !partner) return;
    const generation = this.generation;
    try {
      await this.deps.sink.undoPairs(partner.fingerprint, pairs);
    } catch (e) {
      if (generation === this.generation) this.port.fail(protocolError(ErrorCode.Internal, e instanceof Error ? e.message : String(e)));
      return;
    }
    this.port.emit({ type: 'assign-undone', pairs });
  }

  private onPropose(message: PeerMessageOf<'assign-propose'>): void {
    const partner = this.port.partner();
    const pair = roundPairs(message.plan)[message.pair];
    if (this.busy) return this.port.send({ type: 'assign-decline', pairId: message.pairId });
    if (!partner || !pair || pair.a !== partner.fingerprint || pair.b !== this.port.self) {
      return this.port.fail(protocolError(ErrorCode.InvalidItem, 'a proposed pair that is not between us'));
    }
    this.state = { kind: 'asked', pairId: message.pairId, plan: message.plan, pair };
    this.port.emit({ type: 'assign-proposed', pairId: message.pairId, plan: message.plan, pair, planHash: planHash(message.plan) });
  }

  private sendStatement(pairId: string, st: SideStatement): void {
    // Split so that each frame carries at most STATEMENT_BATCH positions, arrays in order.
    const frames: { links: number[][]; serving: number[]; bound: number[] }[] = [{ links: [], serving: [], bound: [] }];
    let room = STATEMENT_BATCH;
    const next = (need: number) => {
      if (need > room) {
        frames.push({ links: [], serving: [], bound: [] });
        room = STATEMENT_BATCH;
      }
      room -= need;
      return frames[frames.length - 1]!;
    };
    for (const link of st.links) next(link.length).links.push([...link]);
    for (const x of st.serving) next(1).serving.push(x);
    for (const x of st.bound) next(1).bound.push(x);
    frames.forEach((f, i) => this.port.send({ type: 'assign-statement', pairId, ...f, capacity: st.capacity, last: i === frames.length - 1 }));
  }

  private async assign(s: Extract<State, { kind: 'negotiating' }>): Promise<void> {
    const generation = this.generation;
    const { links, serving, bound, capacity } = s.theirs;
    const assigned = await assignPair(s.open, { links, serving, bound, capacity: capacity ?? null }, this.deps.signer);
    if (generation !== this.generation || this.state !== s) return;
    if (!assigned.ok) return this.port.fail(assigned.error);
    s.assigned = assigned.value;
    this.port.send({ type: 'assign-summary', pairId: s.pairId, signed: assigned.value.ours });
    if (s.summary !== undefined) await this.verify(s);
  }

  /** Verify the partner's summary against ours (we may still be computing ours: then later). */
  private async verify(s: Extract<State, { kind: 'negotiating' }>): Promise<void> {
    if (!s.assigned || s.verified) return;
    const generation = this.generation;
    const partner = this.port.partner()!;
    // A sink that keeps the pair until the partner's commit arrives: storing waits for both.
    let held: AgreedPair | null = null;
    const verified = await concludePair(s.assigned, s.summary, partner.key, this.deps.verify, { savePair: async (p) => void (held = p) });
    if (generation !== this.generation || this.state !== s) return;
    if (!verified.ok) return this.port.fail(verified.error);
    s.verified = held;
    this.port.send({ type: 'assign-commit', pairId: s.pairId });
    await this.store(s);
  }

  private async store(s: Extract<State, { kind: 'negotiating' }>): Promise<void> {
    if (!s.verified || !s.committed || this.state !== s) return;
    const generation = this.generation;
    const agreed = s.verified;
    this.state = { kind: 'idle' };
    try {
      await this.deps.sink.savePair(agreed);
    } catch (e) {
      if (generation === this.generation) this.port.fail(protocolError(ErrorCode.Internal, e instanceof Error ? e.message : String(e)));
      return;
    }
    this.port.emit({ type: 'assign-agreed', pairId: s.pairId, pair: s.pair, agreed });
  }

  private unexpected(what: string): void {
    this.port.fail(protocolError(ErrorCode.UnexpectedMessage, `${what} during a list negotiation`));
  }
}

const heldKey = (p: HeldPair): string => `${p.roundId}|${p.checkId}`;
