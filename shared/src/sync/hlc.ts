/**
 * X4: a hybrid logical clock (Kulkarni et al., 2014) stamps every record version. It reads the
 * device's wall clock through an injected `now` (nothing in shared/ reads a clock) and never runs
 * backwards: a version made after another one was seen sorts after it, even when this device's
 * clock is behind. The stamp orders versions for reconciliation (new versions cluster at the end,
 * so an incremental sync narrows down in a few rounds) and for display; causality itself is carried
 * by each version's `parents`, never inferred from clocks.
 */
export interface Hlc {
  /** Milliseconds since 1970, the largest physical time this clock has seen. */
  readonly wall: number;
  /** Events within the same `wall` millisecond. */
  readonly counter: number;
  /** The device that made the stamp: makes stamps unique across devices. */
  readonly node: string;
}

/** The most a remote stamp may run ahead of our own clock before we stop following it. */
export const HLC_MAX_DRIFT_MS = 5 * 60 * 1000;
const MAX_WALL = 99_999_999_999_999; // 15 decimal digits: until the year 5138
const MAX_COUNTER = 0xffff;
const NODE = /^[0-9a-z]{1,64}$/;

/**
 * One spelling per stamp, ordered as a string exactly as the stamp is ordered in time:
 * `wall` in 15 decimal digits, `counter` in 5, then the node: `001767225600000-00000-a1b2…`.
 */
export function formatHlc(h: Hlc): string {
  return `${String(h.wall).padStart(15, '0')}-${String(h.counter).padStart(5, '0')}-${h.node}`;
}

const HLC_TEXT = /^(\d{15})-(\d{5})-([0-9a-z]{1,64})$/;

export function parseHlc(text: string): Hlc | null {
  const m = HLC_TEXT.exec(text);
  if (!m) return null;
  const counter = Number(m[2]);
  if (counter > MAX_COUNTER) return null;
  return { wall: Number(m[1]), counter, node: m[3]! };
}

export const isHlcText = (text: string): boolean => parseHlc(text) !== null;

export function compareHlc(a: Hlc, b: Hlc): number {
  return a.wall - b.wall || a.counter - b.counter || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
}

/**
 * The clock of one device. `tick` stamps a local event; `observe` folds in a stamp that arrived
 * from another device. A remote stamp more than `maxDriftMs` ahead of our own clock is still
 * stored (a record is never refused for its clock) but the clock does not jump to it, so one
 * device with a wrong date cannot drag every other device's stamps years ahead.
 */
export class HlcClock {
  private last: Hlc;

  constructor(
    readonly node: string,
    private readonly now: () => number,
    private readonly maxDriftMs = HLC_MAX_DRIFT_MS,
    start?: Hlc,
  ) {
    if (!NODE.test(node)) throw new RangeError(`HLC node ${JSON.stringify(node)}: 1–64 of [0-9a-z]`);
    this.last = start ? { ...start, node } : { wall: 0, counter: 0, node };
  }

  /** The latest stamp made or observed: persist it so that a restart does not run backwards. */
  get current(): Hlc {
    return this.last;
  }

  tick(): Hlc {
    const pt = this.physical();
    const wall = Math.max(this.last.wall, pt);
    const counter = wall === this.last.wall ? this.last.counter + 1 : 0;
    return this.advance(wall, counter);
  }

  observe(remote: Hlc): void {
    const pt = this.physical();
    if (remote.wall > pt + this.maxDriftMs) return;
    const wall = Math.max(this.last.wall, remote.wall, pt);
    let counter = 0;
    if (wall === this.last.wall && wall === remote.wall) counter = Math.max(this.last.counter, remote.counter) + 1;
    else if (wall === this.last.wall) counter = this.last.counter + 1;
    else if (wall === remote.wall) counter = remote.counter + 1;
    this.advance(wall, counter);
  }

  private physical(): number {
    const pt = Math.floor(this.now());
    return Number.isSafeInteger(pt) && pt >= 0 ? Math.min(pt, MAX_WALL) : 0;
  }

  private advance(wall: number, counter: number): Hlc {
    // More than 65,535 events inside one millisecond: borrow the next millisecond instead of overflowing.
    const next = counter > MAX_COUNTER ? { wall: wall + 1, counter: 0, node: this.node } : { wall, counter, node: this.node };
    this.last = next;
    return next;
  }
}
