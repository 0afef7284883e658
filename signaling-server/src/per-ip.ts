/**
 * S8, W7: budgets per client address. One device needs two or three connections (the partner relay,
 * witness mode, a short-lived declaration), so a cap per address bounds what one machine can hold
 * open, and, for witness mode, how many places it can probe at once.
 *
 * The address is the TCP peer's, or, with TRUST_PROXY set, the last entry of X-Forwarded-For (the one
 * the operator's own proxy appended; earlier entries are whatever the client wrote).
 */
import { TokenBucket } from './rate.js';

export function clientAddress(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  remoteAddress: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = headers['x-forwarded-for'];
    const text = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = text?.split(',').at(-1)?.trim();
    if (last !== undefined && last !== '') return last;
  }
  return remoteAddress ?? 'unknown';
}

interface Entry {
  open: number;
  /** Created on first use: most addresses never report a position. */
  bucket?: TokenBucket;
}

/**
 * Open connections per address, at most `cap`, and optionally a shared bucket of `perInterval` events
 * each `intervalMs` (W7: positions, so that reconnecting does not buy fresh reports). An address with
 * nothing open and a full bucket is forgotten by `sweep()`.
 */
export class AddressBudget {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly cap: number,
    private readonly now: () => number,
    private readonly shared?: { readonly perInterval: number; readonly intervalMs: number },
  ) {}

  /** Whether one more connection from `address` would still be within the cap. */
  allows(address: string): boolean {
    return (this.entries.get(address)?.open ?? 0) < this.cap;
  }

  /** Counts a connection; false (and nothing counted) when the cap is reached. */
  open(address: string): boolean {
    const entry = this.entries.get(address) ?? { open: 0 };
    if (entry.open >= this.cap) return false;
    entry.open++;
    this.entries.set(address, entry);
    return true;
  }

  close(address: string): void {
    const entry = this.entries.get(address);
    if (entry === undefined) return;
    entry.open = Math.max(0, entry.open - 1);
    if (entry.open === 0 && entry.bucket === undefined) this.entries.delete(address);
  }

  /** Takes one event from the address's shared bucket; true when there is no shared bucket. */
  take(address: string): boolean {
    if (this.shared === undefined) return true;
    const entry = this.entries.get(address) ?? { open: 0 };
    this.entries.set(address, entry);
    const { perInterval, intervalMs } = this.shared;
    entry.bucket ??= new TokenBucket(perInterval, (perInterval * 1000) / intervalMs, this.now);
    return entry.bucket.take();
  }

  /** Forgets addresses with no open connection whose bucket has had a whole interval to refill. */
  sweep(): void {
    for (const [address, entry] of this.entries) {
      if (entry.open === 0 && (entry.bucket === undefined || entry.bucket.idleFor() >= (this.shared?.intervalMs ?? 0))) {
        this.entries.delete(address);
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
