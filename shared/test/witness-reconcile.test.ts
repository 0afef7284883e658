import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alertHaveList,
  alertsLacking,
  alertsOverCapacity,
  exposedTokens,
  isAcceptableAlert,
  newAlerts,
  parseWitness,
  parseWitnessPeerFrame,
  WitnessDeclareSchema,
  WitnessPositionSchema,
  WitnessSignalRequestSchema,
  WitnessStartSchema,
  type WitnessAlert,
  type WitnessToken,
} from '../src/witness/index.js';

const NOW = Date.parse('2026-11-21T10:17:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EXPIRY = Date.parse('2026-12-06T03:00:00Z');
const t = (c: string): WitnessToken => c.repeat(64).slice(0, 64) as WitnessToken;
const a = (c: string, expiresAt = EXPIRY): WitnessAlert => ({ token: t(c), expiresAt });

describe('alert reconciliation, pure parts (W5)', () => {
  it('[W5] tells a peer what it holds as sorted 16-character prefixes, each once', () => {
    expect(alertHaveList([a('b'), a('a'), a('b')])).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
  });

  it('[W5] sends only the alerts whose prefix the peer did not list', () => {
    expect(alertsLacking([a('a'), a('b'), a('c')], ['bbbbbbbbbbbbbbbb'])).toEqual([a('a'), a('c')]);
    expect(alertsLacking([a('a')], [])).toEqual([a('a')]);
    expect(alertsLacking([], ['aaaaaaaaaaaaaaaa'])).toEqual([]);
  });

  it('[W5] keeps only new, unexpired, plausible alerts, each token once', () => {
    const held = new Set([t('a')]);
    const received = [
      a('a'), // already held
      a('b'),
      a('b'), // twice in one batch
      a('c', NOW - HOUR), // expired
      a('d', EXPIRY + 30 * DAY), // further ahead than any honest token
      a('e', EXPIRY + 60_000), // not on a whole hour
      a('f', Date.parse('2026-12-07T03:00:00Z')),
    ];
    expect(newAlerts(received, held, NOW)).toEqual([a('b'), a('f', Date.parse('2026-12-07T03:00:00Z'))]);
  });

  it('[W5] accepts an expiry 17 days ahead (15 days, the wait for the deletion hour, clock skew) and not beyond', () => {
    const limit = Math.floor((NOW + 17 * DAY) / HOUR) * HOUR;
    expect(isAcceptableAlert(a('a', limit), NOW)).toBe(true);
    expect(isAcceptableAlert(a('a', limit + HOUR), NOW)).toBe(false);
    expect(isAcceptableAlert({ token: 'zz', expiresAt: EXPIRY }, NOW)).toBe(false);
  });

  it('[W5] over capacity, gives up the alerts that expire soonest', () => {
    const alerts = [a('a', EXPIRY + DAY), a('b', EXPIRY), a('c', EXPIRY + 2 * DAY)];
    expect(alertsOverCapacity(alerts, 2)).toEqual([a('b', EXPIRY)]);
    expect(alertsOverCapacity(alerts, 3)).toEqual([]);
  });

  it('[W6] finds exposures by comparing own tokens with alerts, on the device', () => {
    expect(exposedTokens([t('a'), t('z')], [a('b'), a('z')])).toEqual([t('z')]);
    expect(exposedTokens([], [a('b')])).toEqual([]);
  });
});

describe('witness wire schemas (W2, W5)', () => {
  const ok = (schema: Parameters<typeof parseWitness>[0], raw: unknown) => parseWitness(schema, raw).ok;

  it('[W2][W7] accepts a session start and a position, and refuses impossible coordinates or extra fields', () => {
    expect(ok(WitnessStartSchema, { v: 2 })).toBe(true);
    // W7: the server makes the session id; a client cannot name one.
    expect(ok(WitnessStartSchema, { v: 2, sessionId: '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100' })).toBe(false);
    expect(ok(WitnessPositionSchema, { latitude: 33.89, longitude: 35.5 })).toBe(true);
    expect(ok(WitnessPositionSchema, { latitude: 91, longitude: 35.5 })).toBe(false);
    expect(ok(WitnessPositionSchema, { latitude: Number.NaN, longitude: 0 })).toBe(false);
    expect(ok(WitnessPositionSchema, { latitude: 1, longitude: 2, accuracy: 3 })).toBe(false);
  });

  it('[W2] relays only plain JSON objects as WebRTC set-up', () => {
    const to = '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100';
    expect(ok(WitnessSignalRequestSchema, { to, data: { type: 'offer', sdp: 'v=0' } })).toBe(true);
    expect(ok(WitnessSignalRequestSchema, { to, data: ['offer'] })).toBe(false);
    expect(ok(WitnessSignalRequestSchema, { to, data: new Date() })).toBe(false);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { deep };
    expect(ok(WitnessSignalRequestSchema, { to, data: deep })).toBe(false);
  });

  it('[W5] accepts a declaration of 1–400 alerts with a nonce, nothing else', () => {
    const alerts = [{ token: 'a'.repeat(64), expiresAt: EXPIRY }];
    expect(ok(WitnessDeclareSchema, { alerts, nonce: 7 })).toBe(true);
    expect(ok(WitnessDeclareSchema, { alerts: [], nonce: 7 })).toBe(false);
    expect(ok(WitnessDeclareSchema, { alerts: Array(401).fill(alerts[0]), nonce: 7 })).toBe(false);
    expect(ok(WitnessDeclareSchema, { alerts, nonce: -1 })).toBe(false);
    expect(ok(WitnessDeclareSchema, { alerts, nonce: 7, from: 'me' })).toBe(false);
  });

  it('[W3] refuses a peer frame that is not text', () => {
    expect(parseWitnessPeerFrame(new Uint8Array(3))).toMatchObject({ ok: false, error: { code: 'malformed-message' } });
  });
});

describe('witness code architecture (W1–W6)', () => {
  it('[W1] shared/src/witness imports only pure libraries and shared itself, and reads no clock or random source', () => {
    const dir = new URL('../src/witness/', import.meta.url).pathname;
    const allowed = [/^\.\.?\//, /^@noble\/hashes\//, /^valibot$/];
    const offenders: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
        if (!allowed.some((re) => re.test(m[1]!))) offenders.push(`${file}: ${m[1]}`);
      }
      const code = text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      if (/\b(Date\.now|new Date\(\)|Math\.random|setTimeout|setInterval|window\.|document\.|localStorage|indexedDB|navigator\.|process\.)/.test(code)) {
        offenders.push(`${file}: global`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
