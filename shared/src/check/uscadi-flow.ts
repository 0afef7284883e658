import { ErrorCode, protocolError } from '../core/errors.js';
import type { ContactId } from '../core/ids.js';
import type { CheckFlow, CheckItem, FlowContext, FlowFactory, UscadiProtocol } from './overlap-check.js';
import { USCADI_BATCH, type PeerMessage, type PeerMessageOf } from '../peer/protocol.js';
import { shuffled } from '../core/random.js';
import { bytesToHex } from '../core/hex.js';
import type { Sizes } from './sizes.js';

/**
 * The two uscadi protocols (A1 uscadi-v0, A2 uscadi-v1) share one message flow (PROTOCOL.md §3.2): the
 * asker sends its secrets and its uscadis, each list shuffled on its own, and the answerer replies
 * known/unknown per uscadi. They differ in what is hashed: v0 one phonetic id per contact, v1 one
 * HMAC per match key under the contact's secret.
 */
export const uscadiFlow: FlowFactory = (ctx, role, mine) => {
  const protocol = ctx.protocol as UscadiProtocol;
  if (role === 'asker') return new UscadiAsker(ctx, protocol, mine ?? []);
  return new UscadiAnswerer(ctx, protocol);
};

/** The messages one contact contributes: its phonetic id (v0) or its distinct keys (v1). */
function messagesOf(protocol: UscadiProtocol, item: CheckItem): string[] {
  return protocol === 'uscadi-v0' ? (item.phoneticIdV0 === null ? [] : [item.phoneticIdV0]) : [...new Set(item.keys)];
}

class UscadiAsker implements CheckFlow {
  private byUscadi: Map<string, ContactId> | null = null;
  /** Answers are only in order once `uscadi-end` is on the wire. */
  private sentAll = false;
  private readonly answered = new Set<string>();
  private readonly known = new Set<ContactId>();
  private theirs: Sizes = { count: 0, items: 0 };

  constructor(
    private readonly ctx: FlowContext,
    private readonly protocol: UscadiProtocol,
    private readonly items: readonly CheckItem[],
  ) {}

  start(theirs: Sizes): void {
    this.theirs = theirs;
    void this.send();
  }

  private async send(): Promise<void> {
    const { ctx, items } = this;
    // A11: a fresh secret per contact for this check only (the seed's formula, byte for byte, over a new
    // secret), so the uscadis of one check do not link to another's, nor to what another partner saw.
    const fresh = items.map(() => bytesToHex(ctx.random(32)));
    const pairs = items.flatMap((item, i) => messagesOf(this.protocol, item).map((message) => ({ message, secretHex: fresh[i]!, contactId: item.contactId })));
    ctx.port.emit({ type: 'check-progress', checkId: ctx.checkId, phase: 'hashing', done: 0, total: pairs.length });
    let uscadis: string[];
    try {
      uscadis = await ctx.work.uscadi.uscadis(this.protocol, pairs);
    } catch (e) {
      return ctx.port.fail(protocolError(ErrorCode.Internal, String(e)));
    }
    if (!ctx.current()) return;
    const byUscadi = new Map<string, ContactId>();
    pairs.forEach((pair, i) => byUscadi.set(uscadis[i]!, pair.contactId));
    // A1: the two lists are shuffled each on its own, so position links no secret to its uscadi.
    const secrets = shuffled(fresh, ctx.random);
    const order = shuffled([...byUscadi.keys()], ctx.random);
    this.byUscadi = byUscadi;
    const frames = Math.ceil(Math.max(secrets.length, order.length) / USCADI_BATCH);
    for (let f = 0; f < frames; f++) {
      await ctx.port.backpressure();
      if (!ctx.current()) return;
      const at = f * USCADI_BATCH;
      ctx.port.send({ type: 'uscadi-batch', checkId: ctx.checkId, secrets: secrets.slice(at, at + USCADI_BATCH), uscadis: order.slice(at, at + USCADI_BATCH) });
      ctx.port.emit({ type: 'check-progress', checkId: ctx.checkId, phase: 'sending', done: Math.min(order.length, at + USCADI_BATCH), total: order.length });
    }
    ctx.port.send({ type: 'uscadi-end', checkId: ctx.checkId });
    this.sentAll = true;
  }

  receive(message: PeerMessage): void {
    const byUscadi = this.byUscadi;
    if (!byUscadi || !this.sentAll || (message.type !== 'known-batch' && message.type !== 'known-end')) return this.unexpected(message.type);
    if (message.type === 'known-batch') {
      for (const { uscadi, known } of message.results) {
        const contactId = byUscadi.get(uscadi);
        if (contactId === undefined) return this.ctx.port.fail(protocolError(ErrorCode.UnexpectedMessage, 'answer for a uscadi never sent'));
        if (this.answered.has(uscadi)) return this.ctx.port.fail(protocolError(ErrorCode.TooManyItems, 'uscadi answered twice'));
        this.answered.add(uscadi);
        if (known) this.known.add(contactId);
      }
      return;
    }
    if (this.answered.size !== byUscadi.size) {
      return this.ctx.port.fail(protocolError(ErrorCode.UnexpectedMessage, `${this.answered.size} of ${byUscadi.size} answered`));
    }
    this.ctx.finish();
    this.ctx.port.emit({ type: 'check-completed', checkId: this.ctx.checkId, protocol: this.protocol, role: 'asked', sent: this.items.length, theirs: this.theirs, known: [...this.known] });
  }

  private unexpected(type: string): void {
    this.ctx.port.fail(protocolError(ErrorCode.UnexpectedMessage, `${type} while sending uscadis`));
  }
}

class UscadiAnswerer implements CheckFlow {
  private readonly secrets: string[] = [];
  private readonly uscadis: string[] = [];
  private answering = false;
  /** A10: `known` answers already on the wire while unfinished: what the asker may have learned. */
  private knownSent = 0;
  private finished = false;
  /** A9: what the asker announced and we consented to: its secrets (contacts) and its uscadis. */
  private count = 0;
  private items = 0;

  constructor(
    private readonly ctx: FlowContext,
    private readonly protocol: UscadiProtocol,
  ) {}

  start(theirs: Sizes): void {
    this.count = theirs.count;
    this.items = theirs.items;
  }

  exposure(): number {
    return this.finished ? 0 : this.knownSent;
  }

  receive(message: PeerMessage): void {
    if (this.answering) return this.ctx.port.fail(protocolError(ErrorCode.UnexpectedMessage, `${message.type} while answering`));
    if (message.type === 'uscadi-batch') return this.onBatch(message);
    if (message.type === 'uscadi-end') return void this.onEnd();
    this.ctx.port.fail(protocolError(ErrorCode.UnexpectedMessage, `${message.type} while receiving uscadis`));
  }

  private onBatch(message: PeerMessageOf<'uscadi-batch'>): void {
    this.secrets.push(...message.secrets);
    this.uscadis.push(...message.uscadis);
    if (this.secrets.length > this.count || this.uscadis.length > this.items) {
      return this.ctx.port.fail(protocolError(ErrorCode.SizeExceeded, `announced ${this.count} secrets and ${this.items} uscadis`));
    }
    this.ctx.port.emit({ type: 'check-progress', checkId: this.ctx.checkId, phase: 'receiving', done: this.uscadis.length, total: this.items });
  }

  private async onEnd(): Promise<void> {
    const { ctx, secrets, uscadis } = this;
    if (secrets.length !== this.count || uscadis.length !== this.items) {
      return ctx.port.fail(protocolError(ErrorCode.UnexpectedMessage, `announced ${this.count}/${this.items}, got ${secrets.length}/${uscadis.length}`));
    }
    if (new Set(uscadis).size !== uscadis.length) return ctx.port.fail(protocolError(ErrorCode.DuplicateItem, 'a uscadi sent twice'));
    this.answering = true;
    ctx.port.emit({ type: 'check-progress', checkId: ctx.checkId, phase: 'answering', done: 0, total: secrets.length });
    let known: boolean[];
    try {
      const local = [...new Set((await ctx.localItems()).flatMap((i) => messagesOf(this.protocol, i)))];
      if (!ctx.current()) return;
      known = await ctx.work.uscadi.answer(this.protocol, local, secrets, uscadis, {
        cancelled: () => !ctx.current(),
        onProgress: (done, total) => ctx.port.emit({ type: 'check-progress', checkId: ctx.checkId, phase: 'answering', done, total }),
      });
    } catch (e) {
      return ctx.port.fail(protocolError(ErrorCode.Internal, String(e)));
    }
    if (!ctx.current()) return;
    const results = uscadis.map((uscadi, i) => ({ uscadi, known: known[i] === true }));
    for (let at = 0; at < results.length; at += USCADI_BATCH) {
      await ctx.port.backpressure();
      if (!ctx.current()) return;
      const batch = results.slice(at, at + USCADI_BATCH);
      ctx.port.send({ type: 'known-batch', checkId: ctx.checkId, results: batch });
      this.knownSent += batch.filter((r) => r.known).length;
    }
    ctx.port.send({ type: 'known-end', checkId: ctx.checkId });
    this.finished = true;
    ctx.finish();
    ctx.port.emit({ type: 'check-answered', checkId: ctx.checkId, protocol: this.protocol, count: this.count, known: results.filter((r) => r.known).length });
  }
}
