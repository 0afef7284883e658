// Seeded generators of hostile input for fuzz.test.ts. Same seed, same run: a failure prints its seed.

import { mulberry32 } from '@ihyid/shared';

export type Rng = () => number;

/** Shared's mulberry32: tiny, fast, good enough to spread test cases. */
export const rng: (seed: number) => Rng = mulberry32;

export const int = (r: Rng, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Rng, items: readonly T[]): T => items[int(r, items.length)] as T;

const hex = (r: Rng, bytes: number): string => Array.from({ length: bytes }, () => int(r, 256).toString(16).padStart(2, '0')).join('');

const STRANGE_STRINGS = [
  '',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '🙂'.repeat(50),
  'ا'.repeat(100),
  '../../etc/passwd',
  '%s%n%x',
  '{"a":1}',
  'null',
  '\r\n\r\n',
];

export function randomString(r: Rng): string {
  switch (int(r, 6)) {
    case 0:
      return pick(r, STRANGE_STRINGS);
    case 1:
      return hex(r, int(r, 40));
    case 2:
      return 'x'.repeat(pick(r, [1, 255, 4096, 16 * 1024, 17 * 1024, 40 * 1024]));
    case 3:
      return String.fromCharCode(...Array.from({ length: int(r, 30) }, () => int(r, 0x10000)));
    default:
      return Math.random().toString(36).slice(2, 2 + int(r, 12));
  }
}

const NUMBERS = [0, -0, 1, -1, 1.5, 2 ** 53, -(2 ** 53), 1e308, -1e308, 5e-324, 2, 3, 255, 65536];

/** Any JSON value, sometimes deep or wide, sometimes with binary parts (sent as Socket.IO attachments). */
export function randomValue(r: Rng, depth = 0): unknown {
  const kind = depth > 4 ? int(r, 5) : int(r, 9);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return pick(r, NUMBERS);
    case 3:
      return randomString(r);
    case 4:
      return r() < 0.5 ? Buffer.from(hex(r, int(r, 64)), 'hex') : new Uint8Array(int(r, 32));
    case 5:
      return Array.from({ length: int(r, 6) }, () => randomValue(r, depth + 1));
    case 6:
      return deep(r);
    default: {
      const object: Record<string, unknown> = {};
      for (let i = int(r, 6); i > 0; i--) setOwn(object, randomKey(r), randomValue(r, depth + 1));
      return object;
    }
  }
}

/** An own property even for "__proto__", as JSON.parse makes it on the server side. */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function randomKey(r: Rng): string {
  return pick(r, ['roomId', 'to', 'from', 'data', 'version', 'type', 'sdp', 'candidate', '__proto__', 'constructor', randomString(r)]);
}

/** Nested far beyond MAX_SIGNAL_DATA_DEPTH, as arrays or objects. */
function deep(r: Rng): unknown {
  let value: unknown = 'bottom';
  const levels = pick(r, [17, 100, 1000]);
  for (let i = 0; i < levels; i++) value = r() < 0.5 ? [value] : { d: value };
  return value;
}

export interface Known {
  readonly rooms: readonly string[];
  readonly peers: readonly string[];
}

/** A payload of the event's own shape with one or more parts broken, or anything at all. */
export function payloadFor(r: Rng, event: string, known: Known): unknown {
  if (r() < 0.25) return randomValue(r);
  const roomId = r() < 0.6 ? pick(r, known.rooms) : pick(r, [hex(r, 32), hex(r, 32).toUpperCase(), randomString(r), randomValue(r)]);
  const to = r() < 0.6 ? pick(r, known.peers) : pick(r, [hex(r, 16), randomString(r), randomValue(r)]);
  const data = r() < 0.5 ? { type: pick(r, ['offer', 'answer', 'candidate']), sdp: randomString(r) } : randomValue(r);
  // I9: a close-room's proof is random or the room id itself (what the server knows): never one that hashes to it.
  const close = { roomId, proof: pick(r, [hex(r, 32), roomId, hex(r, 31), randomValue(r)]), reason: pick(r, ['used', 'revoked', 'expired', randomValue(r)]) };
  const base: Record<string, unknown> =
    event === 'signal'
      ? { roomId, to, data }
      : event === 'join'
        ? { roomId, version: pick(r, [1, 2, 0, -1, 1.5, '1', undefined]) }
        : event === 'close-room'
          ? close
          : { roomId };
  if (r() < 0.3) setOwn(base, randomKey(r), randomValue(r));
  return base;
}

/** Event names: the four real ones, reserved and prototype names, and noise. */
export function eventName(r: Rng): string {
  const roll = r();
  if (roll < 0.7) return pick(r, ['join', 'signal', 'leave', 'close-room']);
  if (roll < 0.8) return pick(r, ['peer-joined', 'peer-left', 'error-message', 'JOIN', 'signal ', '__proto__', 'constructor', 'toString']);
  return randomString(r);
}

/** Raw frames below Socket.IO's own client: Engine.IO and Socket.IO packets, valid-looking and not. */
export function rawFrame(r: Rng, known: Known): string | Buffer {
  const json = (): string => {
    try {
      return JSON.stringify(randomValue(r)) ?? 'null';
    } catch {
      return '"unserialisable"';
    }
  };
  switch (int(r, 12)) {
    case 0:
      return Buffer.from(hex(r, int(r, 200)), 'hex');
    case 1:
      return randomString(r);
    case 2:
      return pick(r, ['1', '2', '3', '5', '6', '7', '8', '9', '2probe', '40', '41', '44', '46', '4']);
    case 3:
      return `42${json()}`;
    case 4:
      return `42["${pick(r, ['join', 'signal', 'leave', 'close-room', 'x'])}",${json()}]`;
    case 5:
      return `42${int(r, 1000)}["join",${JSON.stringify(payloadFor(r, 'join', known)) ?? 'null'}]`;
    case 6:
      return `43${int(r, 10)}${json()}`;
    case 7:
      return `4${pick(r, ['5', '6'])}${int(r, 3)}-["signal",{"_placeholder":true,"num":${pick(r, [0, 1, -1, 99, '"x"'])}}]`;
    case 8:
      return `40/${randomString(r)},${json()}`;
    case 9:
      return `42[${'['.repeat(pick(r, [100, 5000]))}`;
    case 10:
      return `42["signal",${JSON.stringify(payloadFor(r, 'signal', known)) ?? 'null'}]`;
    default:
      return `4${int(r, 10)}${randomString(r)}`;
  }
}
