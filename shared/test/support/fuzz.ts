// Fuzzing at the peer edges (A8, W3, I8): an honest session is recorded once, then replayed many times
// against a fresh victim, each time with one mutation, as a hostile peer would send it. The victim is
// deterministic (seeded randomness, fixed time), so the recorded frames stay valid on every replay;
// the replay sends each frame only once the victim has sent as many frames as the honest partner had
// seen, so an unmutated replay ends exactly as the honest run did.
import { ErrorCode, inMemoryChannelPair, MAX_FRAME_CHARS, mulberry32, type PeerChannel } from '../../src/index.js';

export interface Recorded {
  readonly frame: string;
  /** Frames the honest partner had received from the victim when it sent this one. */
  readonly after: number;
}

/** What one replay observes of its victim. */
export interface Victim {
  /** Rows the victim stored (results, alerts, tokens), in order. */
  readonly stored: string[];
  /** The typed error the victim ended with, null while open or after a clean end; undefined if it never ended. */
  ended(): { error: { code: string } | null } | undefined;
}

export type VictimFactory = (channel: PeerChannel) => Victim;

const TYPED: ReadonlySet<string> = new Set(Object.values(ErrorCode));
export const isTyped = (code: unknown): boolean => typeof code === 'string' && TYPED.has(code);

/** Resolves after pending I/O callbacks and microtasks: no 1 ms timer clamp, so 100,000 replays stay quick. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs until nothing moves for a few rounds (the victim waits, or has ended). */
async function idle(progress: () => number, rounds = 4, limit = 2000): Promise<void> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < limit && still < rounds; i++) {
    await tick();
    const now = progress();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}

/** Records what `partner` sends over its end while `run` drives an honest session to its end. */
export async function record(run: (victimEnd: PeerChannel, partnerEnd: PeerChannel) => void | Promise<void>): Promise<Recorded[]> {
  const [victimEnd, partnerEnd] = inMemoryChannelPair();
  const frames: Recorded[] = [];
  let received = 0;
  partnerEnd.onMessage(() => received++);
  const send = partnerEnd.send.bind(partnerEnd);
  partnerEnd.send = (frame) => {
    frames.push({ frame, after: received });
    send(frame);
  };
  await run(victimEnd, partnerEnd);
  await idle(() => received + frames.length, 8);
  return frames;
}

export type Mutation = 'flip' | 'drop-field' | 'add-field' | 'truncate' | 'oversize' | 'reorder' | 'duplicate' | 'char' | 'not-text' | 'splice';
const MUTATIONS: readonly [Mutation, number][] = [
  ['flip', 30],
  ['drop-field', 8],
  ['add-field', 5],
  ['truncate', 10],
  ['oversize', 2],
  ['reorder', 10],
  ['duplicate', 10],
  ['char', 10],
  ['not-text', 5],
  ['splice', 10],
];

/** One planned replay: frames as sent (each with the victim frame count to wait for) and where the mutation enters. */
export interface Plan {
  readonly mutation: Mutation;
  readonly frames: { frame: unknown; after: number }[];
  /** Index in `frames` of the first frame the honest partner would not have sent there. */
  readonly at: number;
}

export function planner(seed: number) {
  const next = mulberry32(seed);
  const below = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[below(items.length)]!;

  const junk = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => true,
      () => -1,
      () => 2 ** 53 + 2,
      () => 1e308 * 10,
      () => 0.5,
      () => '',
      () => 'x'.repeat(1 + below(300)),
      () => '\u0000\ud800<script>',
      () => [],
      () => [null, 1, 'a'],
      () => ({}),
      () => ({ type: 'hello', nested: { deep: [1, { a: 2 }] } }),
      () => '__proto__',
    ])();

  /** Every path to a value inside a JSON value. */
  const paths = (value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] => {
    if (prefix.length > 0) out.push(prefix);
    if (Array.isArray(value)) value.slice(0, 64).forEach((v, i) => paths(v, [...prefix, i], out));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
    return out;
  };
  const parent = (root: unknown, path: (string | number)[]) => path.slice(0, -1).reduce<any>((node, key) => node[key], root);

  const mutateFrame = (frame: string, mutation: Mutation): unknown => {
    let json: unknown;
    try {
      json = JSON.parse(frame);
    } catch {
      return frame.slice(0, below(frame.length));
    }
    const all = paths(json);
    switch (mutation) {
      case 'flip': {
        if (all.length === 0) return JSON.stringify(junk());
        const path = pick(all);
        const node = parent(json, path);
        const before = JSON.stringify(node[path.at(-1)!]);
        let value = junk();
        for (let i = 0; i < 4 && JSON.stringify(value) === before; i++) value = junk();
        node[path.at(-1)!] = value;
        return JSON.stringify(json);
      }
      case 'drop-field': {
        const objects = all.filter((p) => typeof p.at(-1) === 'string');
        if (objects.length === 0) return '{}';
        const path = pick(objects);
        delete parent(json, path)[path.at(-1)!];
        return JSON.stringify(json);
      }
      case 'add-field':
        if (json !== null && typeof json === 'object' && !Array.isArray(json)) (json as Record<string, unknown>)[pick(['extra', 'from', 'v', 'count', '__proto__'])] = junk();
        return JSON.stringify(json);
      case 'truncate':
        return frame.slice(0, below(frame.length));
      case 'oversize': {
        const strings = all.filter((p) => typeof parent(json, p)[p.at(-1)!] === 'string');
        if (strings.length === 0) return frame + ' '.repeat(MAX_FRAME_CHARS);
        const path = pick(strings);
        parent(json, path)[path.at(-1)!] = 'f'.repeat(MAX_FRAME_CHARS);
        return JSON.stringify(json);
      }
      case 'char': {
        const i = below(frame.length);
        return frame.slice(0, i) + String.fromCharCode(32 + below(95)) + frame.slice(i + 1);
      }
      case 'not-text':
        return pick<() => unknown>([() => new Uint8Array([123, 125]), () => 42, () => null, () => ({ type: 'hello' }), () => [frame]])();
      default:
        return frame;
    }
  };

  return (recorded: readonly Recorded[]): Plan => {
    const mutation = (() => {
      let r = below(MUTATIONS.reduce((s, [, w]) => s + w, 0));
      for (const [m, w] of MUTATIONS) if ((r -= w) < 0) return m;
      return 'flip';
    })();
    const frames = recorded.map((r) => ({ frame: r.frame as unknown, after: r.after }));
    const at = below(frames.length);
    switch (mutation) {
      case 'reorder': {
        if (at + 1 >= frames.length) return { mutation, frames: [...frames.slice(0, at), { frame: frames[0]!.frame, after: frames[at]!.after }], at };
        const [a, b] = [frames[at]!, frames[at + 1]!];
        frames[at] = { frame: b.frame, after: a.after };
        frames[at + 1] = { frame: a.frame, after: a.after };
        return { mutation, frames, at };
      }
      case 'duplicate':
        frames.splice(at + 1, 0, { ...frames[at]! });
        return { mutation, frames, at: at + 1 };
      case 'splice':
        frames.splice(at, 0, { frame: pick(recorded).frame, after: frames[at]!.after });
        return { mutation, frames, at };
      default:
        frames[at] = { frame: mutateFrame(recorded[at]!.frame, mutation), after: frames[at]!.after };
        return { mutation, frames, at };
    }
  };
}

export interface CaseResult {
  readonly mutation: Mutation;
  /** 'typed' ended with a typed error; 'clean' finished with no error; 'open' had not ended (waiting, or done and idle). */
  readonly outcome: 'typed' | 'untyped' | 'clean' | 'open';
  readonly code: string | null;
  /** Rows the victim stored after the first mutated frame reached it. */
  readonly storedAfter: number;
  readonly rowsAfter: string[];
  /** Codes of `error` frames the victim sent that are not typed (must stay empty). */
  readonly untypedFrames: string[];
}

/** Replays one plan against a fresh victim. */
export async function replay(plan: Plan, makeVictim: VictimFactory): Promise<CaseResult> {
  const [victimEnd, attacker] = inMemoryChannelPair();
  const victim = makeVictim(victimEnd);
  let received = 0;
  let closed = false;
  const untypedFrames: string[] = [];
  attacker.onMessage((frame) => {
    received++;
    if (typeof frame !== 'string' || !frame.includes('"error"')) return;
    try {
      const message = JSON.parse(frame) as { type?: unknown; code?: unknown };
      if ((message.type === 'error' || message.type === 'id-error') && !isTyped(message.code)) untypedFrames.push(String(message.code));
    } catch {
      // Not JSON: the victim never sends that; the outcome check below would not catch it, so record it.
      untypedFrames.push('not-json');
    }
  });
  attacker.onClose(() => (closed = true));

  let storedBefore = -1;
  for (let i = 0; i < plan.frames.length && !closed; i++) {
    const { frame, after } = plan.frames[i]!;
    // Wait for the victim to have answered as far as the honest partner had seen (or to stop moving).
    if (received < after) await idle(() => received + (closed ? 1e9 : 0), 3, 400);
    if (closed) break;
    if (i === plan.at) storedBefore = victim.stored.length;
    try {
      attacker.send(frame as string);
    } catch {
      break; // the victim closed the channel between two frames
    }
    await tick();
  }
  if (storedBefore < 0) storedBefore = victim.stored.length;
  await idle(() => received + victim.stored.length + (closed ? 1e9 : 0) + (victim.ended() ? 1e6 : 0), 4, 600);
  // Read before our own close, which would end an open victim with peer-closed.
  const end = victim.ended();
  if (!closed) attacker.close();
  await tick();

  const code = end?.error?.code ?? null;
  const outcome = end === undefined ? 'open' : end.error === null ? 'clean' : isTyped(end.error.code) ? 'typed' : 'untyped';
  const rowsAfter = victim.stored.slice(storedBefore);
  return { mutation: plan.mutation, outcome, code, storedAfter: rowsAfter.length, rowsAfter, untypedFrames };
}

/** How many mutated frames each decoder takes: FUZZ_FRAMES, default the CI share. */
export function fuzzCount(ciShare: number): number {
  const text = process.env.FUZZ_FRAMES;
  const value = text === undefined || text === '' ? ciShare : Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`FUZZ_FRAMES must be a whole number (got ${text})`);
  return value;
}

/** Tallies outcomes for the report line a fuzz test prints. */
export function tally(results: readonly CaseResult[]) {
  const by = <K extends string>(key: (r: CaseResult) => K) =>
    results.reduce<Record<string, number>>((acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + 1), acc), {});
  return { outcomes: by((r) => r.outcome), mutations: by((r) => r.mutation), codes: by((r) => r.code ?? 'none') };
}
