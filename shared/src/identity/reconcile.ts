import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '../core/hex.js';
import { ok, type Result } from '../core/result.js';
import { IdentityErrorCode, type IdentityFailure } from './errors.js';
import { toSigned, validateEvent, type LedgerEvent, type ValidationContext } from './events.js';
import { sendingOrder, type LedgerStore } from './ledger.js';
import { EVENTS_PER_FRAME, IDS_PER_FRAME, MAX_RECONCILE_EVENTS, SUMMARY_BUCKETS, type IdentityMessageOf } from './messages.js';
import { expectMessage, failWith, type IdentityPort } from './port.js';

/**
 * I3: on every connection both sides exchange what the other lacks, not everything. Ids are
 * content hashes, so they spread evenly over 256 buckets by their first byte:
 *
 * 1. each side sends `id-summary`: its event count and, per bucket, the first 8 bytes of
 *    SHA-256(the bucket's ids as raw bytes, sorted), or "" for an empty bucket;
 * 2. each side sends the ids of the buckets whose digests differ (`id-ids` frames, `id-ids-end`);
 * 3. each side sends the events the other did not list (`id-events` frames in ledger order,
 *    `id-events-end`), and validates every event it receives; nothing is stored before the end.
 *
 * Both sides run the same steps; every send precedes the matching wait, so neither blocks the other.
 */

export function bucketOf(id: string): number {
  return parseInt(id.slice(0, 2), 16);
}

export function summarize(ids: readonly string[]): { count: number; buckets: string[] } {
  const byBucket: string[][] = Array.from({ length: SUMMARY_BUCKETS }, () => []);
  for (const id of ids) byBucket[bucketOf(id)]!.push(id);
  const buckets = byBucket.map((list) => {
    if (list.length === 0) return '';
    list.sort();
    const bytes = new Uint8Array(list.length * 32);
    list.forEach((id, i) => bytes.set(hexToBytes(id), i * 32));
    return bytesToHex(sha256(bytes).subarray(0, 8));
  });
  return { count: ids.length, buckets };
}

export interface ReconcileOptions {
  store: LedgerStore;
  validation: ValidationContext;
}

export interface ReconcileOutcome {
  sent: number;
  /** Ids newly stored. */
  added: string[];
  /** Events refused only for a time beyond the allowed clock skew (an honest clock can be wrong). */
  skipped: number;
}

export async function reconcileLedger(port: IdentityPort, o: ReconcileOptions): Promise<Result<ReconcileOutcome, IdentityFailure>> {
  const mine = await o.store.ids();
  const mineSet = new Set(mine);
  const summary = summarize(mine);
  port.send({ type: 'id-summary', ...summary });

  const theirSummary = await expectMessage(port, 'id-summary');
  if (!theirSummary.ok) return theirSummary;
  const differs = new Set<number>();
  summary.buckets.forEach((digest, i) => digest !== theirSummary.value.buckets[i] && differs.add(i));

  const offered = mine.filter((id) => differs.has(bucketOf(id)));
  for (let i = 0; i < offered.length; i += IDS_PER_FRAME) port.send({ type: 'id-ids', ids: offered.slice(i, i + IDS_PER_FRAME) });
  port.send({ type: 'id-ids-end' });

  const listed = await receiveIds(port, differs, Math.min(theirSummary.value.count, MAX_RECONCILE_EVENTS));
  if (!listed.ok) return listed;

  const lacking = offered.filter((id) => !listed.value.has(id));
  const events = sendingOrder(await o.store.get(lacking));
  for (let i = 0; i < events.length; i += EVENTS_PER_FRAME) {
    port.send({ type: 'id-events', events: events.slice(i, i + EVENTS_PER_FRAME).map(toSigned) });
  }
  port.send({ type: 'id-events-end' });

  const wanted = new Set([...listed.value].filter((id) => !mineSet.has(id)));
  const received = await receiveEvents(port, wanted, o.validation);
  if (!received.ok) return received;
  const added = await o.store.add(received.value.events);
  return ok({ sent: events.length, added, skipped: received.value.skipped });
}

async function receiveIds(port: IdentityPort, differs: ReadonlySet<number>, limit: number): Promise<Result<Set<string>, IdentityFailure>> {
  const ids = new Set<string>();
  for (;;) {
    const next = await port.receive();
    if (!next.ok) return next;
    const m = next.value;
    if (m.type === 'id-ids-end') return ok(ids);
    if (m.type !== 'id-ids') return failWith(port, IdentityErrorCode.UnexpectedMessage, m.type);
    for (const id of m.ids) {
      if (!differs.has(bucketOf(id))) return failWith(port, IdentityErrorCode.UnexpectedEvent, 'id in an equal bucket');
      ids.add(id);
    }
    if (ids.size > limit) return failWith(port, IdentityErrorCode.TooManyItems);
  }
}

async function receiveEvents(
  port: IdentityPort,
  wanted: Set<string>,
  validation: ValidationContext,
): Promise<Result<{ events: LedgerEvent[]; skipped: number }, IdentityFailure>> {
  const events: LedgerEvent[] = [];
  let skipped = 0;
  for (;;) {
    const next = await port.receive();
    if (!next.ok) return next;
    const m = next.value;
    if (m.type === 'id-events-end') return ok({ events, skipped });
    if (m.type !== 'id-events') return failWith(port, IdentityErrorCode.UnexpectedMessage, m.type);
    const outcome = await takeEvents(m, wanted, validation, events);
    if (typeof outcome === 'string') return failWith(port, outcome, 'event refused');
    skipped += outcome;
  }
}

/**
 * Validates one frame's events into `into` and returns how many were skipped for their time; an
 * event that was not asked for, or that is invalid, returns the code that ends the session.
 */
async function takeEvents(
  m: IdentityMessageOf<'id-events'>,
  wanted: Set<string>,
  validation: ValidationContext,
  into: LedgerEvent[],
): Promise<number | IdentityErrorCode> {
  let skipped = 0;
  for (const raw of m.events) {
    const checked = await validateEvent(raw, validation);
    if (!checked.ok) {
      if (checked.error !== 'future-event') return IdentityErrorCode.InvalidEvent;
      skipped++;
      continue;
    }
    if (!wanted.delete(checked.value.id)) return IdentityErrorCode.UnexpectedEvent;
    into.push(checked.value);
  }
  return skipped;
}

/**
 * Gossip after reconciliation (`id-push`): new events are validated like any others. Returns the
 * ids that were new, or the code that must end the session.
 */
export async function receivePush(
  m: IdentityMessageOf<'id-push'>,
  o: ReconcileOptions,
): Promise<Result<string[], IdentityErrorCode>> {
  const valid: LedgerEvent[] = [];
  for (const raw of m.events) {
    const checked = await validateEvent(raw, o.validation);
    if (checked.ok) valid.push(checked.value);
    else if (checked.error !== 'future-event') return { ok: false, error: IdentityErrorCode.InvalidEvent };
  }
  return ok(await o.store.add(valid));
}
