import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HLC_MAX_DRIFT_MS, HlcClock, parseHlc, type Hlc } from '../src/sync/hlc.js';

const T0 = 1_767_225_600_000;

describe('hybrid logical clock (X4)', () => {
  it('[X4] stamps never run backwards, even when the wall clock does', () => {
    let now = T0;
    const clock = new HlcClock('a', () => now);
    const first = clock.tick();
    now = T0 - 60_000; // the phone's clock is set back a minute
    const second = clock.tick();
    const third = clock.tick();
    expect(compareHlc(first, second)).toBeLessThan(0);
    expect(compareHlc(second, third)).toBeLessThan(0);
    expect(second).toEqual({ wall: T0, counter: 1, node: 'a' });
  });

  it('[X4] a stamp made after seeing another sorts after it, although this device is behind', () => {
    const behind = new HlcClock('b', () => T0);
    const seen: Hlc = { wall: T0 + 90_000, counter: 7, node: 'a' };
    behind.observe(seen);
    const next = behind.tick();
    expect(compareHlc(seen, next)).toBeLessThan(0);
    expect(next).toEqual({ wall: T0 + 90_000, counter: 9, node: 'b' });
  });

  it('[X4] a device with a date far in the future does not drag the clock after it', () => {
    const clock = new HlcClock('b', () => T0);
    clock.observe({ wall: T0 + HLC_MAX_DRIFT_MS + 1, counter: 0, node: 'a' });
    expect(clock.tick().wall).toBe(T0);
  });

  it('[X4] the text form sorts exactly as the stamps do and parses back', () => {
    const stamps: Hlc[] = [
      { wall: 5, counter: 0, node: 'z' },
      { wall: T0, counter: 0, node: 'a' },
      { wall: T0, counter: 0, node: 'b' },
      { wall: T0, counter: 12, node: 'a' },
      { wall: T0 + 1, counter: 0, node: 'a' },
    ];
    const texts = stamps.map(formatHlc);
    expect([...texts].sort()).toEqual(texts);
    expect(texts.map(parseHlc)).toEqual(stamps);
    expect(formatHlc({ wall: T0, counter: 3, node: 'dev1' })).toBe('001767225600000-00003-dev1');
    for (const bad of ['', '1767225600000-00003-dev1', '001767225600000-99999-dev1', '001767225600000-00003-Dev1']) expect(parseHlc(bad)).toBeNull();
  });

  it('[X4] a persisted stamp keeps a restarted clock ahead of what it made before', () => {
    const before = new HlcClock('a', () => T0 + 500);
    before.tick();
    const restarted = new HlcClock('a', () => T0, undefined, before.current);
    expect(compareHlc(before.current, restarted.tick())).toBeLessThan(0);
  });
});
