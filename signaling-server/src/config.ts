/**
 * S4: the whole configuration comes from environment variables, is validated once at start, and every
 * problem is reported at once in words an operator can act on.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_SIGNAL_DATA_BYTES, err, ok, parseIceServers, type IceServer, type Result } from '@ihyid/shared';
import { LOG_LEVELS, type LogLevel } from './log.js';
import { loadWitnessConfig, type WitnessConfig } from './witness/config.js';

export interface TurnConfig {
  /** turn: or turns: URLs of a coturn started with `use-auth-secret`. */
  readonly urls: readonly string[];
  /** coturn's `static-auth-secret`; never logged, never sent to clients. */
  readonly secret: string;
  readonly ttlSeconds: number;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  /** The built PWA (S5). A missing directory is allowed: the server then only signals. */
  readonly staticDir: string;
  /** Bound on the serialized `data` of one signal message. */
  readonly maxMessageBytes: number;
  readonly maxMessagesPerSecond: number;
  readonly maxPeersPerRoom: number;
  readonly maxRoomsPerConnection: number;
  /**
   * Offences (malformed, oversized or unexpected messages, and each second spent over the rate) a
   * connection may commit per minute; one more and it is disconnected (S3, repeat offenders).
   */
  readonly maxOffencesPerMinute: number;
  /**
   * I9: how long a room closed with `close-room` stays refused, how many are kept at once (the oldest
   * go first), and how many closes one connection may send per minute (closed-rooms.ts).
   */
  readonly closedRoomDays: number;
  readonly maxClosedRooms: number;
  readonly maxClosesPerMinute: number;
  readonly iceServers: readonly IceServer[];
  /**
   * S8: browser origins allowed to connect besides the server's own (a page it served); null: its
   * own origin only.
   */
  readonly allowedOrigins: readonly string[] | null;
  /** S8: connections one client address may hold open, all namespaces together. */
  readonly maxConnectionsPerIp: number;
  /** S8: `/metrics` on a listener of its own (null: none), on `metricsHost`. */
  readonly metricsPort: number | null;
  readonly metricsHost: string;
  /** S8: `/metrics` on the public listener for `Authorization: Bearer <token>` (null: not there). */
  readonly metricsToken: string | null;
  /** S8: the deployment is HTTPS (a TLS proxy in front): send Strict-Transport-Security. */
  readonly tlsBehindProxy: boolean;
  /** S8: serve the build's `.map` files (off: they stay on disk for the operator). */
  readonly serveSourceMaps: boolean;
  readonly turn: TurnConfig | null;
  /** Scale-out: processes sharing one Redis share rooms; null runs a single process alone. */
  readonly redis: RedisConfig | null;
  readonly logLevel: LogLevel;
  /** Exposure witness (W2, W5): WITNESS_* variables, read by witness/config.ts. */
  readonly witness: WitnessConfig;
  /** Behind the operator's own reverse proxy: the client address is the last X-Forwarded-For entry. */
  readonly trustProxy: boolean;
}

export interface RedisConfig {
  /** redis:// or rediss:// URL; it may carry a password, so it is never logged or echoed. */
  readonly url: string;
  /** How long a seat taken through a process that died stays taken (see redis.ts). */
  readonly leaseSeconds: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** signaling-server/dist/config.js → app/dist: the PWA built by `npm run build` in the same checkout. */
export const DEFAULT_STATIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../app/dist');

/** Every variable the server reads, with its default, for the README and the error messages. */
export const ENV_DEFAULTS = {
  PORT: '8080',
  HOST: 'localhost',
  STATIC_DIR: DEFAULT_STATIC_DIR,
  MAX_MESSAGE_BYTES: String(DEFAULT_MAX_SIGNAL_DATA_BYTES),
  MAX_MESSAGES_PER_SECOND: '20',
  MAX_PEERS_PER_ROOM: '2',
  MAX_ROOMS_PER_CONNECTION: '8',
  MAX_OFFENCES_PER_MINUTE: '20',
  CLOSED_ROOM_DAYS: '30',
  MAX_CLOSED_ROOMS: '100000',
  MAX_CLOSES_PER_MINUTE: '30',
  ICE_SERVERS: '[]',
  ALLOWED_ORIGINS: '',
  TURN_URLS: '',
  TURN_SECRET: '',
  TURN_TTL_SECONDS: '3600',
  REDIS_URL: '',
  REDIS_SEAT_LEASE_SECONDS: '30',
  LOG_LEVEL: 'info',
  TRUST_PROXY: 'false',
  MAX_CONNECTIONS_PER_IP: '64',
  METRICS_PORT: '',
  METRICS_HOST: '127.0.0.1',
  METRICS_TOKEN: '',
  TLS_BEHIND_PROXY: 'false',
  SERVE_SOURCE_MAPS: 'false',
} as const;

type Name = keyof typeof ENV_DEFAULTS;

export function loadConfig(env: Env): Result<Config, string[]> {
  const problems: string[] = [];
  const read = (name: Name): string => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? ENV_DEFAULTS[name] : value;
  };
  const integer = (name: Name, min: number, max: number): number => {
    const text = read(name);
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text)})`);
      return Number(ENV_DEFAULTS[name]);
    }
    return value;
  };

  const port = integer('PORT', 0, 65535);
  const host = read('HOST');
  const staticDir = path.resolve(read('STATIC_DIR'));
  const maxMessageBytes = integer('MAX_MESSAGE_BYTES', 256, 1024 * 1024);
  const maxMessagesPerSecond = integer('MAX_MESSAGES_PER_SECOND', 1, 10_000);
  const maxPeersPerRoom = integer('MAX_PEERS_PER_ROOM', 2, 1000);
  const maxRoomsPerConnection = integer('MAX_ROOMS_PER_CONNECTION', 1, 1000);
  const maxOffencesPerMinute = integer('MAX_OFFENCES_PER_MINUTE', 1, 100_000);
  const closedRoomDays = integer('CLOSED_ROOM_DAYS', 1, 3650);
  const maxClosedRooms = integer('MAX_CLOSED_ROOMS', 1, 100_000_000);
  const maxClosesPerMinute = integer('MAX_CLOSES_PER_MINUTE', 1, 100_000);
  const iceServers = readIceServers(read('ICE_SERVERS'), problems);
  const allowedOrigins = readOrigins(read('ALLOWED_ORIGINS'), problems);
  const turn = readTurn(read('TURN_URLS'), read('TURN_SECRET'), integer('TURN_TTL_SECONDS', 60, 7 * 24 * 3600), problems);
  const redis = readRedis(read('REDIS_URL'), integer('REDIS_SEAT_LEASE_SECONDS', 3, 3600), problems);

  const logLevelText = read('LOG_LEVEL');
  const logLevel = (LOG_LEVELS as readonly string[]).includes(logLevelText) ? (logLevelText as LogLevel) : 'info';
  if (logLevel !== logLevelText) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(logLevelText)})`);

  const boolean = (name: Name): boolean => {
    const text = read(name).toLowerCase();
    if (text === 'true' || text === '1') return true;
    if (text !== 'false' && text !== '0') problems.push(`${name} must be true or false (got ${JSON.stringify(text)})`);
    return false;
  };
  const trustProxy = boolean('TRUST_PROXY');
  const tlsBehindProxy = boolean('TLS_BEHIND_PROXY');
  const serveSourceMaps = boolean('SERVE_SOURCE_MAPS');
  const maxConnectionsPerIp = integer('MAX_CONNECTIONS_PER_IP', 1, 1_000_000);
  const metricsPort = read('METRICS_PORT') === '' ? null : integer('METRICS_PORT', 0, 65535);
  const metricsHost = read('METRICS_HOST');
  const metricsTokenText = read('METRICS_TOKEN');
  const metricsToken = metricsTokenText === '' ? null : metricsTokenText;
  if (metricsToken !== null && (metricsToken.length < 16 || /\s/.test(metricsToken))) {
    problems.push('METRICS_TOKEN must be at least 16 characters without spaces');
  }
  const witness = loadWitnessConfig(env, problems);
  if (problems.length > 0) return err(problems);
  return ok({
    port,
    host,
    staticDir,
    maxMessageBytes,
    maxMessagesPerSecond,
    maxPeersPerRoom,
    maxRoomsPerConnection,
    maxOffencesPerMinute,
    closedRoomDays,
    maxClosedRooms,
    maxClosesPerMinute,
    iceServers,
    allowedOrigins,
    turn,
    redis,
    logLevel,
    witness,
    trustProxy,
    maxConnectionsPerIp,
    metricsPort,
    metricsHost,
    metricsToken,
    tlsBehindProxy,
    serveSourceMaps,
  });
}

function readIceServers(text: string, problems: string[]): IceServer[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    problems.push('ICE_SERVERS must be JSON, for example [{"urls":"stun:stun.example.org:3478"}]');
    return [];
  }
  const parsed = parseIceServers(raw);
  if (!parsed.ok) {
    problems.push(
      'ICE_SERVERS must be a JSON array of {urls, username?, credential?} with stun:, stuns:, turn: or turns: URLs' +
        (parsed.error.detail === undefined ? '' : ` (${parsed.error.detail.replaceAll('\n', ' ')})`),
    );
    return [];
  }
  return parsed.value;
}

function readOrigins(text: string, problems: string[]): string[] | null {
  if (text === '') return null;
  const origins = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const origin of origins) {
    if (!isOrigin(origin)) {
      problems.push(`ALLOWED_ORIGINS must be a comma-separated list of origins such as https://ihyid.example.org (got ${JSON.stringify(origin)})`);
    }
  }
  return origins;
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}

function readTurn(urlsText: string, secret: string, ttlSeconds: number, problems: string[]): TurnConfig | null {
  if (urlsText === '' && secret === '') return null;
  if (urlsText === '' || secret === '') {
    problems.push('TURN_URLS and TURN_SECRET must be set together (or neither)');
    return null;
  }
  const urls = urlsText.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const url of urls) {
    if (!/^turns?:\S+$/.test(url)) problems.push(`TURN_URLS must list turn: or turns: URLs (got ${JSON.stringify(url)})`);
  }
  if (secret.length < 16) problems.push('TURN_SECRET must be at least 16 characters long');
  return { urls, secret, ttlSeconds };
}

function readRedis(url: string, leaseSeconds: number, problems: string[]): RedisConfig | null {
  if (url === '') return null;
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // Reported below without the value, which may hold a password.
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    problems.push('REDIS_URL must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379');
    return null;
  }
  return { url, leaseSeconds };
}
