import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { ReconcileIndex } from './fingerprint.js';
import { SYNC_FRAME_CHARS, SYNC_IDS_PER_FRAME, SYNC_RANGES_PER_FRAME, SYNC_VERSIONS_PER_FRAME, type SyncMessage } from './messages.js';
import { answerRound, openingRound, type Range } from './reconcile.js';
import type { SyncStore } from './store.js';
import type { SyncTransport } from './transport.js';
import { parseVersion, type RecordVersion, type VersionBody, type VersionId } from './version.js';

/**
 * X4: one sync between two devices (PROTOCOL.md, "Sync"): reconciliation rounds (reconcile.ts)
 * during which each side pushes what the other lacks and asks for what it lacks, then `sync-end`
 * each way. Every `sync-want` a side will send precedes its last round frame, so once the empty
 * round has passed, each side has seen every request it must answer and can send `sync-end`.
 * When both ends have passed, both stores hold the union of the two sets.
 *
 * The store's set is read once at the start; versions written meanwhile (received ones included)
 * join the next sync. Received versions are checked (shape, computed id) before they are stored;
 * one bad version ends the sync with invalid-item and nothing of its frame is stored.
 */
export interface SyncOptions {
  readonly transport: SyncTransport;
  readonly store: SyncStore;
  /** The initiator sends the opening round; the other side waits for it. */
  readonly initiator: boolean;
  /** Reconciliation rounds received before a sync is given up (a broken or hostile peer). */
  readonly maxRounds?: number;
}

export interface SyncStats {
  /** Reconciliation rounds received. */
  readonly rounds: number;
  /** Versions sent (pushed or asked for) and received. */
  readonly sent: number;
  readonly received: number;
}

const MAX_ROUND_RANGES = 1 << 16;
const READ_BATCH = 500;

/** A safe upper estimate of a version body's JSON length, without serialising it twice. */
const sizeOf = (b: VersionBody): number => (b.data?.length ?? 0) + b.record.length + b.hlc.length + b.parents.length * 67 + (b.mergedInto?.length ?? 0) + 120;
const rangeSize = (r: Range): number => 140 + ('ids' in r ? r.ids.length * 67 : 24);

/** Splits items into frames by an estimated size and a count. */
function pack<T>(items: readonly T[], size: (item: T) => number, maxCount: number): T[][] {
  const frames: T[][] = [];
  let frame: T[] = [];
  let chars = 0;
  for (const item of items) {
    const s = size(item);
    if (frame.length > 0 && (chars + s > SYNC_FRAME_CHARS || frame.length >= maxCount)) {
      frames.push(frame);
      frame = [];
      chars = 0;
    }
    frame.push(item);
    chars += s;
  }
  if (frame.length > 0) frames.push(frame);
  return frames;
}

export function runSync(options: SyncOptions): Promise<Result<SyncStats, ProtocolError>> {
  const { transport, store, initiator } = options;
  const maxRounds = options.maxRounds ?? 64;
  return new Promise((resolve) => {
    let index = ReconcileIndex.build([]);
    let round: Range[] = [];
    let rounds = 0;
    let sent = 0;
    let received = 0;
    let reconciled = false;
    let sentEnd = false;
    let gotEnd = false;
    let finished = false;
    let chain = Promise.resolve();

    const finish = (result: Result<SyncStats, ProtocolError>) => {
      if (finished) return;
      finished = true;
      offMessage();
      offClose();
      resolve(result);
    };
    const fail = (code: ErrorCode, detail?: string) => {
      try {
        transport.send({ type: 'sync-abort', code });
      } catch {
        // The link is already gone; the result says why.
      }
      finish(err(protocolError(code, detail)));
    };
    const enqueue = (step: () => void | Promise<void>) => {
      chain = chain.then(() => (finished ? undefined : step())).catch((e: unknown) => fail(ErrorCode.Internal, String(e)));
    };
    const send = async (message: Parameters<SyncTransport['send']>[0]) => {
      transport.send(message);
      await transport.drained?.();
    };
    // Both ends passed: what was received is written (a store may keep it to write many at once) before the sync ends.
    const complete = async () => {
      await store.flush?.();
      finish(ok({ rounds, sent, received }));
    };
    const sendEnd = async () => {
      await send({ type: 'sync-end' });
      sentEnd = true;
      if (gotEnd) await complete();
    };
    const sendVersions = async (ids: readonly string[]) => {
      // The next batch is read while this one is sent.
      const read = (from: number) => {
        const reading = store.get(ids.slice(from, from + READ_BATCH) as VersionId[]);
        reading.catch(() => undefined); // awaited below, unless the sync failed first
        return reading;
      };
      let next = read(0);
      for (let i = 0; i < ids.length; i += READ_BATCH) {
        const versions = await next;
        if (i + READ_BATCH < ids.length) next = read(i + READ_BATCH);
        for (const frame of pack(versions, (version) => sizeOf(version.body) + (version.via?.length ?? 0) * 36 + 4, SYNC_VERSIONS_PER_FRAME)) {
          const via = frame.some((version) => (version.via?.length ?? 0) > 0) ? { via: frame.map((version) => [...(version.via ?? [])]) } : {};
          await send({ type: 'sync-records', versions: frame.map((version) => version.body), ...via });
          sent += frame.length;
        }
      }
    };
    const sendRound = async (ranges: readonly Range[]) => {
      const frames = ranges.length === 0 ? [[]] : pack(ranges, rangeSize, SYNC_RANGES_PER_FRAME);
      for (const [i, frame] of frames.entries()) await send({ type: 'sync-ranges', ranges: frame, last: i === frames.length - 1 });
    };

    const onRound = async (ranges: readonly Range[], last: boolean) => {
      if (reconciled) return fail(ErrorCode.UnexpectedMessage, 'ranges after reconciliation');
      round.push(...ranges);
      if (round.length > MAX_ROUND_RANGES) return fail(ErrorCode.TooManyItems, 'round too large');
      if (!last) return;
      const whole = round;
      round = [];
      if (++rounds > maxRounds) return fail(ErrorCode.TooManyItems, 'too many rounds');
      if (whole.length === 0) {
        reconciled = true;
        return sendEnd();
      }
      const answer = answerRound(index, whole);
      await sendVersions(answer.push);
      for (let i = 0; i < answer.want.length; i += SYNC_IDS_PER_FRAME) await send({ type: 'sync-want', ids: answer.want.slice(i, i + SYNC_IDS_PER_FRAME) });
      await sendRound(answer.reply);
      if (answer.reply.length === 0) {
        reconciled = true;
        await sendEnd();
      }
    };

    const onRecords = async (raw: readonly unknown[], via: readonly (readonly string[])[] | undefined) => {
      if (via !== undefined && via.length !== raw.length) return fail(ErrorCode.MalformedMessage, 'via does not match versions');
      const versions: RecordVersion[] = [];
      for (const [i, body] of raw.entries()) {
        const parsed = parseVersion(body);
        if (!parsed.ok) return fail(ErrorCode.InvalidItem, parsed.error);
        versions.push(via && via[i]!.length > 0 ? { ...parsed.value, via: via[i]! } : parsed.value);
      }
      await store.put(versions);
      received += versions.length;
    };

    const handle = async (message: SyncMessage | null) => {
      if (message === null) return fail(ErrorCode.MalformedMessage);
      if (gotEnd && message.type !== 'sync-abort') return fail(ErrorCode.UnexpectedMessage, `${message.type} after sync-end`);
      switch (message.type) {
        case 'sync-abort':
          return finish(err(protocolError(ErrorCode.PeerError, message.code)));
        case 'sync-ranges':
          return onRound(message.ranges, message.last);
        case 'sync-want':
          return sendVersions(message.ids);
        case 'sync-records':
          return onRecords(message.versions, message.via);
        case 'sync-end':
          if (!reconciled) return fail(ErrorCode.UnexpectedMessage, 'sync-end before reconciliation ended');
          gotEnd = true;
          if (sentEnd) return complete();
      }
    };

    const offMessage = transport.onMessage((message) => enqueue(() => handle(message)));
    const offClose = transport.onClose(() => enqueue(() => finish(err(protocolError(ErrorCode.PeerClosed)))));
    enqueue(async () => {
      index = store.index ? await store.index() : ReconcileIndex.build(await store.items());
      if (initiator) await sendRound(openingRound(index));
    });
  });
}
