import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import type { CheckId, ContactId } from '../core/ids.js';
import type { CheckProtocol, DeclineReason, PeerMessage, PeerMessageOf } from '../peer/protocol.js';
import { MAX_CHECK_ITEMS } from '../peer/protocol.js';
import type { PsiWork, WorkHooks } from './psi-group.js';
import { newCheckId, type RandomBytes } from '../core/random.js';
import { err, ok, type Result } from '../core/result.js';
import { announcedSizes, type Sizes } from './sizes.js';

/**
 * One of our contacts as it may take part in a check. Its phonetic id and keys never leave this
 * device in clear: uscadi-v0 hashes the phonetic id (A1), uscadi-v1 and psi-v2 the match keys (A2, A3).
 * The contact's stored secret is not part of it: a uscadi check draws fresh secrets (A11).
 */
export interface CheckItem {
  contactId: ContactId;
  phoneticIdV0: string | null;
  /** Canonical JSON match keys (`{"kind":…,"v":…,…}`); several keys of one contact count as one contact. */
  keys: readonly string[];
}

export type UscadiProtocol = Exclude<CheckProtocol, 'psi-v2'>;

/** The hashing of both uscadi protocols, done by a pool of workers in the app and inline in tests. */
export interface UscadiWork {
  /** One uscadi per (message, secret) pair: the phonetic id for v0, a key's canonical JSON for v1. */
  uscadis(protocol: UscadiProtocol, pairs: readonly { message: string; secretHex: string }[]): Promise<string[]>;
  /** The answering side's N×M search over our own messages; one boolean per received uscadi. */
  answer(protocol: UscadiProtocol, local: readonly string[], secrets: readonly string[], uscadis: readonly string[], hooks?: WorkHooks): Promise<boolean[]>;
}

export interface CheckWork {
  uscadi: UscadiWork;
  psi: PsiWork;
}

export type CheckPhase = 'hashing' | 'sending' | 'receiving' | 'answering' | 'blinding' | 'matching';

export type CheckEvent =
  /** A4, A9: the partner asks; `theirs` is what it announced, the most it can test against our list. */
  | { type: 'consent-requested'; checkId: CheckId; protocol: CheckProtocol; theirs: Sizes }
  /** A9: our own sizes for the pending request, once our contacts are read (shown in the prompt too). */
  | { type: 'consent-sized'; checkId: CheckId; ours: Sizes }
  | { type: 'check-accepted'; checkId: CheckId; theirs: Sizes }
  | { type: 'check-declined'; checkId: CheckId; reason: DeclineReason }
  | { type: 'check-cancelled'; checkId: CheckId; by: 'local' | 'remote' }
  | { type: 'check-progress'; checkId: CheckId; phase: CheckPhase; done: number; total: number }
  /** Whole per-contact results, emitted once: to the asker of any protocol, and to both sides of psi-v2. `theirs`: the partner's announced sizes (A9). */
  | {
      type: 'check-completed';
      checkId: CheckId;
      protocol: CheckProtocol;
      role: 'asked' | 'answered';
      sent: number;
      theirs: Sizes;
      known: ContactId[];
      /** psi-v2 only: per shared contact, the doubly blinded values (hex) of its shared keys, for a list negotiation (D3); memory only. */
      values?: ReadonlyMap<ContactId, readonly string[]>;
    }
  /** The answering side of a uscadi check learns only a count. */
  | { type: 'check-answered'; checkId: CheckId; protocol: CheckProtocol; count: number; known: number }
  /**
   * A10: the check ended unfinished after we had sent the partner something it can learn from: it may
   * know whether we hold up to `upTo` of its entries. No partner data: an audit entry for the user.
   */
  | { type: 'check-exposed'; checkId: CheckId; protocol: CheckProtocol; upTo: number };

/** What a check may do to the session it runs in. */
export interface SessionPort {
  send(message: PeerMessage): void;
  fail(error: ProtocolError): void;
  emit(event: CheckEvent): void;
  /** Resolves once the channel's send buffer is below its low-water mark (A7). */
  backpressure(): Promise<void>;
  readonly open: boolean;
}

/** What a running protocol flow gets from the coordinator. */
export interface FlowContext {
  readonly checkId: CheckId;
  readonly protocol: CheckProtocol;
  readonly port: SessionPort;
  readonly random: RandomBytes;
  readonly work: CheckWork;
  localItems(): Promise<readonly CheckItem[]>;
  /** True while this check is the one running and the session is open; checked after every await. */
  current(): boolean;
  /** The check is over (completed or answered): the coordinator goes back to idle. */
  finish(): void;
}

export interface CheckFlow {
  /** Optional work that sends nothing and may begin before consent (the asker's own hashing). */
  prepare?(): void;
  /** The check was accepted: from here on the flow may send. `theirs`: the partner's announced sizes (A9). */
  start(theirs: Sizes): void;
  receive(message: PeerMessage): void;
  /** A10: entries of the partner's whose membership in our list we have revealed, while unfinished; 0 once done. */
  exposure?(): number;
}

/** `mine`: the asker's own eligible items (the answerer reads them through `ctx.localItems`); `ours`: the sizes we announced (A9). */
export type FlowFactory = (ctx: FlowContext, role: 'asker' | 'answerer', mine: readonly CheckItem[] | null, ours: Sizes) => CheckFlow | ProtocolError;

/** Which of our contacts can take part in a check of this protocol. */
export function eligibleItems(protocol: CheckProtocol, items: readonly CheckItem[]): CheckItem[] {
  return protocol === 'uscadi-v0' ? items.filter((i) => i.phoneticIdV0 !== null) : items.filter((i) => i.keys.length > 0);
}

type State =
  | { kind: 'idle' }
  | { kind: 'awaiting-consent'; checkId: CheckId; protocol: CheckProtocol; flow: CheckFlow }
  | { kind: 'consent'; checkId: CheckId; protocol: CheckProtocol; theirs: Sizes; local: Promise<readonly CheckItem[]>; accepting: boolean }
  | { kind: 'running'; checkId: CheckId; protocol: CheckProtocol; flow: CheckFlow };

/**
 * One check at a time per session, whatever the protocol: request → consent (A4) → the protocol's own
 * flow. A message that does not fit the current state ends the session (A8); frames of a check we
 * cancelled that were already on the wire are dropped, not held against the partner.
 */
export class CheckCoordinator {
  private state: State = { kind: 'idle' };
  private ended: { checkId: CheckId; cancelled: boolean } | null = null;
  private generation = 0;

  constructor(
    private readonly port: SessionPort,
    private readonly random: RandomBytes,
    private readonly work: CheckWork,
    private readonly localItems: () => Promise<readonly CheckItem[]>,
    private readonly flows: Record<CheckProtocol, FlowFactory>,
    /** A11: whether this side's admin turned `protocol` on; a request for any other is declined as `protocol-disabled`. */
    private readonly answers: (protocol: CheckProtocol) => boolean | Promise<boolean> = (protocol) => protocol === 'psi-v2',
  ) {}

  request(protocol: CheckProtocol, all: readonly CheckItem[]): Result<CheckId, ProtocolError> {
    if (!this.port.open) return err(protocolError(ErrorCode.PeerClosed));
    if (this.state.kind !== 'idle') return err(protocolError(ErrorCode.UnexpectedMessage, 'a check is already running'));
    const items = eligibleItems(protocol, all);
    if (items.length > MAX_CHECK_ITEMS) return err(protocolError(ErrorCode.TooManyItems, `${items.length} items`));
    const checkId = newCheckId(this.random);
    const ours = announcedSizes(protocol, items);
    const flow = this.flow(checkId, protocol, 'asker', items, ours, Promise.resolve(items));
    if ('code' in flow) return err(flow);
    this.state = { kind: 'awaiting-consent', checkId, protocol, flow };
    // Our own hashing sends nothing, so it starts while the partner decides: consent time is not lost.
    flow.prepare?.();
    this.port.send({ type: 'check-request', checkId, protocol, ...ours });
    return ok(checkId);
  }

  /** A9: our sizes go out with the accept, so the answerer first reads its own contacts (already under way). */
  accept(checkId: CheckId): void {
    const s = this.state;
    if (s.kind !== 'consent' || s.checkId !== checkId || s.accepting) return;
    s.accepting = true;
    s.local.then(
      (items) => {
        if (this.state !== s) return;
        const ours = announcedSizes(s.protocol, items);
        this.port.send({ type: 'check-accept', checkId, ...ours });
        const flow = this.flow(checkId, s.protocol, 'answerer', null, ours, s.local);
        if ('code' in flow) return this.port.fail(flow);
        this.state = { kind: 'running', checkId, protocol: s.protocol, flow };
        flow.start(s.theirs);
      },
      (e: unknown) => {
        if (this.state === s) this.port.fail(protocolError(ErrorCode.Internal, String(e)));
      },
    );
  }

  decline(checkId: CheckId): void {
    if (this.state.kind !== 'consent' || this.state.checkId !== checkId) return;
    this.toIdle(false);
    this.port.send({ type: 'check-decline', checkId, reason: 'declined' });
  }

  cancel(): void {
    if (this.state.kind === 'idle') return;
    const { checkId } = this.state;
    this.audit();
    this.toIdle(true);
    this.port.send({ type: 'cancel', checkId });
    this.port.emit({ type: 'check-cancelled', checkId, by: 'local' });
  }

  /** The session closed: whatever was under way is dropped, never stored. */
  abandon(): void {
    this.audit();
    this.generation++;
    this.state = { kind: 'idle' };
  }

  receive(message: PeerMessage): void {
    if (message.type === 'check-request') return this.onRequest(message);
    if (!('checkId' in message)) return this.unexpected(message);
    if (this.ended && message.checkId === this.ended.checkId && (this.ended.cancelled || ['cancel', 'check-decline', 'check-accept'].includes(message.type))) return;
    const s = this.state;
    if (s.kind === 'idle' || message.checkId !== s.checkId) return this.unexpected(message);
    switch (message.type) {
      case 'check-accept':
        if (s.kind !== 'awaiting-consent') return this.unexpected(message);
        this.port.emit({ type: 'check-accepted', checkId: s.checkId, theirs: sizesOf(message) });
        this.state = { kind: 'running', checkId: s.checkId, protocol: s.protocol, flow: s.flow };
        return s.flow.start(sizesOf(message));
      case 'check-decline':
        if (s.kind !== 'awaiting-consent') return this.unexpected(message);
        this.toIdle(false);
        return this.port.emit({ type: 'check-declined', checkId: message.checkId, reason: message.reason });
      case 'cancel':
        this.audit();
        this.toIdle(true);
        return this.port.emit({ type: 'check-cancelled', checkId: message.checkId, by: 'remote' });
      default:
        return s.kind === 'running' ? s.flow.receive(message) : this.unexpected(message);
    }
  }

  private onRequest(message: PeerMessageOf<'check-request'>): void {
    if (this.state.kind !== 'idle') {
      // Two requests crossed, or the partner asked while we were busy: refuse politely, keep the session.
      this.port.send({ type: 'check-decline', checkId: message.checkId, reason: 'busy' });
      return;
    }
    const { checkId, protocol } = message;
    // Reading our own contacts sends nothing; doing it while the user decides saves seconds at 100,000.
    const local = this.localItems().then((all) => eligibleItems(protocol, all));
    local.catch(() => undefined);
    const state: State = { kind: 'consent', checkId, protocol, theirs: sizesOf(message), local, accepting: false };
    this.state = state;
    // A11: nothing is asked of the user, and nothing answered, for a protocol this side's admin did not turn on.
    void Promise.resolve()
      .then(() => this.answers(protocol))
      .catch(() => false)
      .then((allowed) => {
        if (this.state !== state) return;
        if (!allowed) {
          this.toIdle(false);
          return this.port.send({ type: 'check-decline', checkId, reason: 'protocol-disabled' });
        }
        this.port.emit({ type: 'consent-requested', checkId, protocol, theirs: sizesOf(message) });
        void local.then((items) => {
          if (this.state === state) this.port.emit({ type: 'consent-sized', checkId, ours: announcedSizes(protocol, items) });
        }, () => undefined);
      });
  }

  private flow(checkId: CheckId, protocol: CheckProtocol, role: 'asker' | 'answerer', mine: readonly CheckItem[] | null, ours: Sizes, local: Promise<readonly CheckItem[]>): CheckFlow | ProtocolError {
    const generation = ++this.generation;
    const ctx: FlowContext = {
      checkId,
      protocol,
      port: this.port,
      random: this.random,
      work: this.work,
      localItems: () => local,
      current: () => this.port.open && this.generation === generation && this.state.kind !== 'idle' && this.state.kind !== 'consent' && this.state.checkId === checkId,
      finish: () => {
        if (this.generation === generation) this.toIdle(false);
      },
    };
    return this.flows[protocol](ctx, role, mine, ours);
  }

  /** A10: a running check that ends unfinished leaves an audit event when the partner may have learned something. */
  private audit(): void {
    const s = this.state;
    if (s.kind !== 'running') return;
    const upTo = s.flow.exposure?.() ?? 0;
    if (upTo > 0) this.port.emit({ type: 'check-exposed', checkId: s.checkId, protocol: s.protocol, upTo });
  }

  private toIdle(cancelled: boolean): void {
    if (this.state.kind !== 'idle') this.ended = { checkId: this.state.checkId, cancelled };
    this.generation++;
    this.state = { kind: 'idle' };
  }

  private unexpected(message: PeerMessage): void {
    this.port.fail(protocolError(ErrorCode.UnexpectedMessage, `${message.type} in state ${this.state.kind}`));
  }
}

const sizesOf = (m: { count: number; items: number }): Sizes => ({ count: m.count, items: m.items });
