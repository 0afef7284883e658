/**
 * W2, W5: the witness settings, from the environment like the rest (S4). Every interval is a setting so
 * that tests need not wait real ten-second periods; the app takes its position interval from the
 * server's `witness-start` reply, so one variable sets both sides.
 */
import { DEFAULT_DECLARATION_BITS, MAX_RADIUS_M, MIN_RADIUS_M } from '@ihyid/shared';

export interface WitnessConfig {
  /** Two devices closer than this (metres) are told about each other. */
  readonly radiusM: number;
  /** How often the in-process matcher runs. */
  readonly tickMs: number;
  /** How often the app sends its position; handed to the app in the start reply. */
  readonly positionIntervalMs: number;
  /** A position not renewed for this long is dropped (W2: 30 s of silence). */
  readonly staleMs: number;
  /** Proof-of-work difficulty a declaration must meet; the server's own value, never the client's. */
  readonly declarationBits: number;
  /**
   * W7: witness connections one address may hold open; it also bounds the positions one address may
   * report per interval, across connections (so reconnecting buys no extra probes).
   */
  readonly maxConnectionsPerIp: number;
}

export const WITNESS_ENV_DEFAULTS = {
  WITNESS_RADIUS_M: '15',
  WITNESS_TICK_MS: '1000',
  WITNESS_POSITION_INTERVAL_MS: '10000',
  WITNESS_STALE_MS: '30000',
  WITNESS_POW_BITS: String(DEFAULT_DECLARATION_BITS),
  WITNESS_MAX_CONNECTIONS_PER_IP: '32',
} as const;

type Name = keyof typeof WITNESS_ENV_DEFAULTS;

/** Reads the witness variables; each problem is appended to `problems` in words an operator can act on. */
export function loadWitnessConfig(env: Readonly<Record<string, string | undefined>>, problems: string[]): WitnessConfig {
  const integer = (name: Name, min: number, max: number): number => {
    const raw = env[name]?.trim();
    const text = raw === undefined || raw === '' ? WITNESS_ENV_DEFAULTS[name] : raw;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
      return Number(WITNESS_ENV_DEFAULTS[name]);
    }
    return value;
  };
  const config: WitnessConfig = {
    radiusM: integer('WITNESS_RADIUS_M', MIN_RADIUS_M, MAX_RADIUS_M),
    tickMs: integer('WITNESS_TICK_MS', 50, 60_000),
    positionIntervalMs: integer('WITNESS_POSITION_INTERVAL_MS', 100, 600_000),
    staleMs: integer('WITNESS_STALE_MS', 1000, 3_600_000),
    declarationBits: integer('WITNESS_POW_BITS', 0, 32),
    maxConnectionsPerIp: integer('WITNESS_MAX_CONNECTIONS_PER_IP', 1, 100_000),
  };
  if (config.staleMs <= config.positionIntervalMs) {
    problems.push('WITNESS_STALE_MS must be longer than WITNESS_POSITION_INTERVAL_MS, or every position would be dropped before the next one');
  }
  return config;
}
