import { ErrorCode, protocolError, type ProtocolError } from './errors.js';
import type { CheckId, ContactId } from './ids.js';
import { MAX_CHECK_ITEMS, USCADI_BATCH, type CheckProtocol, type PeerMessage, type PeerMessageOf } from './peer-protocol.js';
import type { SessionPort } from './peer-session.js';
import { newCheckId, shuffled, type RandomBytes } from './random.js';
import { err, ok, type Result } from './result.js';

/** One of our contacts offered to a seed check: its phonetic id never leaves this device (A1). */
export interface CheckItemV0 {
  contactId: ContactId;
  phoneticId: string;
  secretHex: string;
}

/** The hashing, done in workers by the app and inline by tests. */
export interface UscadiWorkV0 {
  uscadis(items: readonly { phoneticId: string; secretHex: string }[]): Promise<string[]>;
  /** The answering side's N×M search over our own phonetic ids; one boolean per received uscadi. */
  answer(secrets: readonly string[], uscadis: readonly string[]): Promise<boolean[]>;
}

export type CheckEvent =
  | { type: 'consent-requested'; checkId: CheckId; protocol: CheckProtocol; count: number }
  | { type: 'check-accepted'; checkId: CheckId }
  | { type: 'check-declined'; checkId: CheckId; reason: 'declined' | 'busy' }
  | { type: 'check-cancelled'; checkId: CheckId; by: 'local' | 'remote' }
  | { type: 'check-progress'; checkId: CheckId; phase: 'hashing' | 'sending' | 'receiving' | 'answering'; done: number; total: number }
  | { type: 'check-completed'; checkId: CheckId; protocol: CheckProtocol; sent: number; known: ContactId[] }
  | { type: 'check-answered'; checkId: CheckId; protocol: CheckProtocol; count: number; known: number };

type State =
  | { kind: 'idle' }
  | { kind: 'awaiting-consent'; checkId: CheckId; items: readonly CheckItemV0[] }
  | { kind: 'sending'; checkId: CheckId }
  | { kind: 'awaiting-answer'; checkId: CheckId; byUscadi: Map<string, ContactId>; answered: Set<string>; known: ContactId[] }
  | { kind: 'consent'; checkId: CheckId; count: number }
  | { kind: 'receiving'; checkId: CheckId; count: number; secrets: string[]; uscadis: string[] }
  | { kind: 'answering'; checkId: CheckId };

/**
 * The seed's overlap check, uscadi-v0 (A1), as two state machines in one object: the asking side
 * (request → accept → uscadi batches → known batches) and the answering side. A message that does
 * not fit the current state ends the session (A8); a completed result is emitted once, whole.
 */
export class OverlapCheckV0 {
  private state: State = { kind: 'idle' };
  /** The check that ended last, so that a cancel or decline that crossed its end is not a violation. */
  private ended: CheckId | null = null;

  constructor(
    private readonly port: SessionPort,
    private readonly random: RandomBytes,
    private readonly work: UscadiWorkV0,
  ) {}

  request(items: readonly CheckItemV0[]): Result<CheckId, ProtocolError> {
    if (!this.port.open) return err(protocolError(ErrorCode.PeerClosed));
    if (this.state.kind !== 'idle') return err(protocolError(ErrorCode.UnexpectedMessage, 'a check is already running'));
    if (items.length > MAX_CHECK_ITEMS) return err(protocolError(ErrorCode.TooManyItems, `${items.length} items`));
    const checkId = newCheckId(this.random);
    this.state = { kind: 'awaiting-consent', checkId, items };
    this.port.send({ type: 'check-request', checkId, protocol: 'uscadi-v0', count: items.length });
    return ok(checkId);
  }

  accept(checkId: CheckId): void {
    if (this.state.kind !== 'consent' || this.state.checkId !== checkId) return;
    this.state = { kind: 'receiving', checkId, count: this.state.count, secrets: [], uscadis: [] };
    this.port.send({ type: 'check-accept', checkId });
  }

  decline(checkId: CheckId): void {
    if (this.state.kind !== 'consent' || this.state.checkId !== checkId) return;
    this.toIdle();
    this.port.send({ type: 'check-decline', checkId });
  }

  cancel(): void {
    if (this.state.kind === 'idle') return;
    const { checkId } = this.state;
    this.toIdle();
    this.port.send({ type: 'cancel', checkId });
    this.port.emit({ type: 'check-cancelled', checkId, by: 'local' });
  }

  /** The session closed: whatever was under way is dropped, never stored. */
  abandon(): void {
    this.state = { kind: 'idle' };
  }

  receive(message: PeerMessage): void {
    if (message.type === 'check-request') return this.onRequest(message);
    if ('checkId' in message && message.checkId === this.ended && ['cancel', 'check-decline', 'check-accept'].includes(message.type)) return;
    if (!('checkId' in message) || this.state.kind === 'idle' || message.checkId !== this.state.checkId) {
      return this.unexpected(message);
    }
    switch (message.type) {
      case 'check-accept':
        return this.state.kind === 'awaiting-consent' ? void this.send(this.state.checkId, this.state.items) : this.unexpected(message);
      case 'check-decline':
        if (this.state.kind !== 'awaiting-consent') return this.unexpected(message);
        this.toIdle();
        return this.port.emit({ type: 'check-declined', checkId: message.checkId, reason: 'declined' });
      case 'cancel':
        this.toIdle();
        return this.port.emit({ type: 'check-cancelled', checkId: message.checkId, by: 'remote' });
      case 'uscadi-batch':
        return this.onBatch(message);
      case 'uscadi-end':
        return void this.onEnd(message.checkId);
      case 'known-batch':
        return this.onKnown(message);
      case 'known-end':
        return this.onKnownEnd(message.checkId);
      default:
        return this.unexpected(message);
    }
  }

  private onRequest(message: PeerMessageOf<'check-request'>): void {
    if (this.state.kind !== 'idle') {
      // Two requests crossed, or the partner asked while we were busy: refuse politely, keep the session.
      this.port.send({ type: 'check-decline', checkId: message.checkId });
      return;
    }
    this.state = { kind: 'consent', checkId: message.checkId, count: message.count };
    this.port.emit({ type: 'consent-requested', checkId: message.checkId, protocol: message.protocol, count: message.count });
  }

  private async send(checkId: CheckId, items: readonly CheckItemV0[]): Promise<void> {
    this.state = { kind: 'sending', checkId };
    this.port.emit({ type: 'check-accepted', checkId });
    this.port.emit({ type: 'check-progress', checkId, phase: 'hashing', done: 0, total: items.length });
    let uscadis: string[];
    try {
      uscadis = await this.work.uscadis(items);
    } catch (e) {
      return this.port.fail(protocolError(ErrorCode.Internal, String(e)));
    }
    if (!this.still(checkId, 'sending')) return;
    const byUscadi = new Map<string, ContactId>();
    items.forEach((item, i) => byUscadi.set(uscadis[i]!, item.contactId));
    // A1: the two lists are shuffled each on its own, so position links no secret to its uscadi.
    const secrets = shuffled(items.map((i) => i.secretHex), this.random);
    const order = shuffled([...byUscadi.keys()], this.random);
    for (let at = 0; at < items.length; at += USCADI_BATCH) {
      this.port.send({ type: 'uscadi-batch', checkId, secrets: secrets.slice(at, at + USCADI_BATCH), uscadis: order.slice(at, at + USCADI_BATCH) });
      this.port.emit({ type: 'check-progress', checkId, phase: 'sending', done: Math.min(items.length, at + USCADI_BATCH), total: items.length });
    }
    this.state = { kind: 'awaiting-answer', checkId, byUscadi, answered: new Set(), known: [] };
    this.port.send({ type: 'uscadi-end', checkId });
  }

  private onBatch(message: PeerMessageOf<'uscadi-batch'>): void {
    const s = this.state;
    if (s.kind !== 'receiving') return this.unexpected(message);
    s.secrets.push(...message.secrets);
    s.uscadis.push(...message.uscadis);
    if (s.secrets.length > s.count || s.uscadis.length > s.count) {
      return this.port.fail(protocolError(ErrorCode.TooManyItems, `announced ${s.count}`));
    }
    this.port.emit({ type: 'check-progress', checkId: s.checkId, phase: 'receiving', done: s.uscadis.length, total: s.count });
  }

  private async onEnd(checkId: CheckId): Promise<void> {
    const s = this.state;
    if (s.kind !== 'receiving') return this.unexpected({ type: 'uscadi-end', checkId });
    if (s.secrets.length !== s.count || s.uscadis.length !== s.count) {
      return this.port.fail(protocolError(ErrorCode.UnexpectedMessage, `announced ${s.count}, got ${s.uscadis.length}`));
    }
    this.state = { kind: 'answering', checkId };
    this.port.emit({ type: 'check-progress', checkId, phase: 'answering', done: 0, total: s.count });
    let known: boolean[];
    try {
      known = await this.work.answer(s.secrets, s.uscadis);
    } catch (e) {
      return this.port.fail(protocolError(ErrorCode.Internal, String(e)));
    }
    if (!this.still(checkId, 'answering')) return;
    const results = s.uscadis.map((uscadi, i) => ({ uscadi, known: known[i] === true }));
    for (let at = 0; at < results.length; at += USCADI_BATCH) {
      this.port.send({ type: 'known-batch', checkId, results: results.slice(at, at + USCADI_BATCH) });
    }
    this.port.send({ type: 'known-end', checkId });
    this.toIdle();
    this.port.emit({ type: 'check-answered', checkId, protocol: 'uscadi-v0', count: s.count, known: results.filter((r) => r.known).length });
  }

  private onKnown(message: PeerMessageOf<'known-batch'>): void {
    const s = this.state;
    if (s.kind !== 'awaiting-answer') return this.unexpected(message);
    for (const { uscadi, known } of message.results) {
      const contactId = s.byUscadi.get(uscadi);
      if (contactId === undefined) return this.port.fail(protocolError(ErrorCode.UnexpectedMessage, 'answer for a uscadi never sent'));
      if (s.answered.has(uscadi)) return this.port.fail(protocolError(ErrorCode.TooManyItems, 'uscadi answered twice'));
      s.answered.add(uscadi);
      if (known) s.known.push(contactId);
    }
  }

  private onKnownEnd(checkId: CheckId): void {
    const s = this.state;
    if (s.kind !== 'awaiting-answer') return this.unexpected({ type: 'known-end', checkId });
    if (s.answered.size !== s.byUscadi.size) {
      return this.port.fail(protocolError(ErrorCode.UnexpectedMessage, `${s.answered.size} of ${s.byUscadi.size} answered`));
    }
    this.toIdle();
    this.port.emit({ type: 'check-completed', checkId, protocol: 'uscadi-v0', sent: s.byUscadi.size, known: s.known });
  }

  private toIdle(): void {
    if (this.state.kind !== 'idle') this.ended = this.state.checkId;
    this.state = { kind: 'idle' };
  }

  private still(checkId: CheckId, kind: State['kind']): boolean {
    return this.port.open && this.state.kind === kind && 'checkId' in this.state && this.state.checkId === checkId;
  }

  private unexpected(message: PeerMessage): void {
    this.port.fail(protocolError(ErrorCode.UnexpectedMessage, `${message.type} in state ${this.state.kind}`));
  }
}
