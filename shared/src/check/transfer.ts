import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { base64ToBytes, bytesToBase64 } from '../core/hex.js';
import type { CheckId } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';

/**
 * A7: large lists cross the data channel as numbered chunks of fixed-size items, base64 in JSON text
 * frames, with back-pressure on the sender and exact accounting on the receiver. What psi-v2 sends
 * through it is listed in PROTOCOL.md §3.5.
 */
export const TRANSFER_STREAMS = ['psi-blinded'] as const;
export type TransferStream = (typeof TRANSFER_STREAMS)[number];

/** 32 KiB of items per frame: 43,692 base64 characters, under MAX_FRAME_CHARS with the envelope. */
export const CHUNK_BYTES = 32 * 1024;
export const CHUNK_CHARS = Math.ceil(CHUNK_BYTES / 3) * 4;
/** The most items one stream may announce: 200,000 contacts with ten keys each (64 MB of points). */
export const MAX_TRANSFER_ITEMS = 2_000_000;

/** What a sender needs from the session: a frame out, and a wait while the channel's buffer is full. */
export interface TransferPort {
  send(message: { type: 'transfer-begin'; checkId: CheckId; stream: TransferStream; items: number } | { type: 'transfer-chunk'; checkId: CheckId; stream: TransferStream; seq: number; data: string } | { type: 'transfer-end'; checkId: CheckId; stream: TransferStream }): void;
  backpressure(): Promise<void>;
}

/**
 * Sends `bytes` (items of `itemBytes` each) as one stream, each chunk once `ready` says its items are
 * written (when the caller still fills `bytes`). Before each chunk it waits for the channel to
 * drain below its low-water mark, so a 100,000-item list never piles up in the browser's buffer. Returns
 * false when `current()` turns false (cancel, closed session): the rest is simply not sent.
 */
export async function sendItems(
  port: TransferPort,
  checkId: CheckId,
  stream: TransferStream,
  bytes: Uint8Array,
  itemBytes: number,
  hooks: { current(): boolean; onProgress?(done: number, total: number): void; onSent?(): void; ready?(items: number): Promise<void> | null },
): Promise<boolean> {
  const total = bytes.length / itemBytes;
  const perChunk = Math.floor(CHUNK_BYTES / itemBytes) * itemBytes;
  port.send({ type: 'transfer-begin', checkId, stream, items: total });
  for (let at = 0, seq = 0; at < bytes.length; at += perChunk, seq++) {
    // A stream may go out while it is still being computed: a chunk whose items are not all written waits.
    const written = hooks.ready?.(Math.min(total, (at + perChunk) / itemBytes));
    if (written) await written;
    await port.backpressure();
    if (!hooks.current()) return false;
    port.send({ type: 'transfer-chunk', checkId, stream, seq, data: bytesToBase64(bytes.subarray(at, at + perChunk)) });
    hooks.onProgress?.(Math.min(total, (at + perChunk) / itemBytes), total);
  }
  if (!hooks.current()) return false;
  port.send({ type: 'transfer-end', checkId, stream });
  // Synchronously after the last frame, so that a reply it provokes always finds the flag set.
  hooks.onSent?.();
  return true;
}

/** The receiving end of one stream: chunks in order, never more than announced, exactly that many at the end (A8). */
export class ItemReceiver {
  /** Grown as chunks arrive, so a partner that announces millions and sends nothing costs no memory. */
  private buffer: Uint8Array;
  private filled = 0;
  private nextSeq = 0;

  constructor(
    readonly stream: TransferStream,
    readonly items: number,
    private readonly itemBytes: number,
  ) {
    this.buffer = new Uint8Array(Math.min(items, 4096) * itemBytes);
  }

  get received(): number {
    return this.filled / this.itemBytes;
  }

  chunk(seq: number, data: string): Result<number, ProtocolError> {
    if (seq !== this.nextSeq) return err(protocolError(ErrorCode.UnexpectedMessage, `${this.stream} chunk ${seq}, expected ${this.nextSeq}`));
    const bytes = base64ToBytes(data);
    if (!bytes || bytes.length === 0 || bytes.length % this.itemBytes !== 0) return err(protocolError(ErrorCode.MalformedMessage, `${this.stream} chunk ${seq} is not whole items`));
    const total = this.items * this.itemBytes;
    if (this.filled + bytes.length > total) return err(protocolError(ErrorCode.SizeExceeded, `${this.stream}: more than the ${this.items} announced`));
    if (this.filled + bytes.length > this.buffer.length) {
      const grown = new Uint8Array(Math.min(total, Math.max(this.filled + bytes.length, 2 * this.buffer.length)));
      grown.set(this.buffer.subarray(0, this.filled));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.filled);
    this.filled += bytes.length;
    this.nextSeq++;
    return ok(this.received);
  }

  /** A copy of items [from, to) received so far. */
  slice(from: number, to: number): Uint8Array {
    return this.buffer.slice(from * this.itemBytes, to * this.itemBytes);
  }

  end(): Result<Uint8Array, ProtocolError> {
    if (this.filled !== this.items * this.itemBytes) return err(protocolError(ErrorCode.UnexpectedMessage, `${this.stream}: ${this.received} of ${this.items} announced`));
    return ok(this.buffer.subarray(0, this.filled));
  }
}

/** The index of the first item equal to an earlier one, or -1. Items are compared as bytes. */
export function firstDuplicate(bytes: Uint8Array, itemBytes: number): number {
  const seen = new Set<string>();
  for (let i = 0; i < bytes.length / itemBytes; i++) {
    const key = itemKey(bytes, i, itemBytes);
    if (seen.has(key)) return i;
    seen.add(key);
  }
  return -1;
}

/** An item as a short string (one char per byte), the cheapest key for a Set. */
export function itemKey(bytes: Uint8Array, index: number, itemBytes: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(index * itemBytes, (index + 1) * itemBytes) as unknown as number[]);
}
