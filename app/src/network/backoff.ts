/**
 * #12: how long a partner connection waits before it tries again. The first try after a working
 * session went away is immediate (the partner reloaded; the room is there); after that each failed
 * try doubles the wait, up to `maxMs`, and a random share of it (a half at most) is taken off, so that
 * two devices that lost the server at the same moment do not come back at the same moment.
 */
export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { firstMs: 1000, maxMs: 30_000 };

export class Backoff {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: (n: number) => Uint8Array,
  ) {}

  /** The wait before the next try, in ms; each call counts one try. */
  next(): number {
    const attempt = this.attempt++;
    if (attempt === 0) return 0;
    const full = Math.min(this.options.maxMs, this.options.firstMs * 2 ** (attempt - 1));
    return Math.round(full * (1 - this.random(1)[0]! / 510));
  }

  /** Runs `task` after the next wait (one try counted); a later schedule() or cancel() replaces it. */
  schedule(task: () => void): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      task();
    }, this.next());
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A session was established: the next loss starts again from an immediate try. */
  reset(): void {
    this.attempt = 0;
  }
}
