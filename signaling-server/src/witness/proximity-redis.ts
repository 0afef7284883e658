/**
 * W2 across processes: positions in Redis GEO sets, so devices connected to different server processes
 * still meet. Redis runs with persistence off (`--save '' --appendonly no`, README), so positions
 * stay in memory there too.
 *
 * Positions go into one GEO set per time bucket of staleMs/2, `ihyid:witness:geo:<bucket>`, which
 * expires at the end of the following bucket: no position outlives staleMs (30 s), with no sweeper.
 * One Lua script per report, run atomically with Redis's own clock (`TIME`, so processes whose clocks
 * disagree still agree on buckets):
 *
 *   1. remove the session from the previous bucket (only the latest position is kept),
 *   2. GEOADD it to the current bucket and set that bucket's expiry,
 *   3. GEOSEARCH both buckets for members within the radius, and return them.
 *
 * Matching thus happens when a position arrives, through Redis's geohash index, instead of on a tick:
 * O(log n + m) per report and no process needs every position. Redis refuses latitudes beyond
 * ±85.05° (its Web Mercator limit); such reports are not matched. Keys carry no hash tag: all
 * positions of a bucket must be in one set, so this needs one Redis, not a Redis Cluster.
 */
import { Redis } from 'ioredis';
import { errorName, type Logger } from '../log.js';
import { pairKey, type Proximity, type ProximityPair } from './proximity.js';

const PREFIX = 'ihyid:witness:geo:';

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = math.floor(now / tonumber(ARGV[1]))
local cur = KEYS[1] .. b
local prev = KEYS[1] .. (b - 1)
`;

/**
 * ARGV bucket ms, session, longitude, latitude, radius m, match window ms → session ids within the
 * radius (self excluded). Each pair found is also kept for the match window (W7), under
 * `ihyid:witness:pair:<lower>:<higher>`, so that any process can tell whether to relay their set-up.
 */
const REPORT = `${NOW}
redis.call('ZREM', prev, ARGV[2])
redis.call('GEOADD', cur, ARGV[3], ARGV[4], ARGV[2])
redis.call('PEXPIREAT', cur, (b + 2) * tonumber(ARGV[1]))
local out = {}
for _, m in ipairs(redis.call('GEOSEARCH', cur, 'FROMMEMBER', ARGV[2], 'BYRADIUS', ARGV[5], 'm')) do
  if m ~= ARGV[2] then table.insert(out, m) end
end
if redis.call('EXISTS', prev) == 1 then
  for _, m in ipairs(redis.call('GEOSEARCH', prev, 'FROMLONLAT', ARGV[3], ARGV[4], 'BYRADIUS', ARGV[5], 'm')) do
    if m ~= ARGV[2] then table.insert(out, m) end
  end
end
for _, m in ipairs(out) do
  local pair = m < ARGV[2] and (m .. ':' .. ARGV[2]) or (ARGV[2] .. ':' .. m)
  redis.call('SET', KEYS[2] .. pair, '1', 'PX', ARGV[6])
end
return out`;

/** ARGV bucket ms, session → removes the session's position from both live buckets. */
const FORGET = `${NOW}
redis.call('ZREM', cur, ARGV[2])
redis.call('ZREM', prev, ARGV[2])
return 1`;

const PAIR_PREFIX = 'ihyid:witness:pair:';

interface GeoCommands {
  ihyidWitnessReport(
    prefix: string,
    pairPrefix: string,
    bucketMs: number,
    session: string,
    lon: number,
    lat: number,
    radius: number,
    windowMs: number,
  ): Promise<string[]>;
  ihyidWitnessForget(prefix: string, bucketMs: number, session: string): Promise<number>;
}

export interface RedisProximityOptions {
  readonly url: string;
  readonly radiusM: number;
  readonly staleMs: number;
  /** W7: how long a match allows WebRTC set-up between the pair (the position interval). */
  readonly matchWindowMs: number;
  readonly now: () => number;
  readonly log: Logger;
  readonly onPair: ProximityPair;
}

export function createRedisProximity(options: RedisProximityOptions): Proximity & { prune(): void; ready(): Promise<void> } {
  const bucketMs = Math.ceil(options.staleMs / 2);
  // Commands fail at once while Redis is away: a lost position is renewed 10 s later, a queue is not wanted.
  const client = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000, commandTimeout: 5000 });
  // The second key is a prefix too: the pairs it names are only known inside the script (one Redis, as above).
  client.defineCommand('ihyidWitnessReport', { numberOfKeys: 2, lua: REPORT });
  client.defineCommand('ihyidWitnessForget', { numberOfKeys: 1, lua: FORGET });
  const geo = client as unknown as GeoCommands;
  // When each local session last reported: for the gauge only, no coordinates.
  const lastReport = new Map<string, number>();

  let lastErrorLog = Number.NEGATIVE_INFINITY;
  const failed = (error: unknown): void => {
    if (options.now() - lastErrorLog < 10_000) return;
    lastErrorLog = options.now();
    options.log.warn('witness-redis-failed', { error: (error as { code?: string } | null)?.code ?? errorName(error) });
  };
  client.on('error', failed);

  return {
    get held() {
      return lastReport.size;
    },
    report(session, latitude, longitude) {
      lastReport.set(session, options.now());
      geo
        .ihyidWitnessReport(PREFIX, PAIR_PREFIX, bucketMs, session, longitude, latitude, options.radiusM, options.matchWindowMs)
        .then((near) => {
          // A session that left while Redis answered is not introduced to anyone.
          if (!lastReport.has(session)) return;
          for (const other of new Set(near)) options.onPair(session, other);
        })
        .catch(failed);
    },
    forget(session) {
      lastReport.delete(session);
      geo.ihyidWitnessForget(PREFIX, bucketMs, session).catch(failed);
    },
    async matched(a, b) {
      return (await client.exists(PAIR_PREFIX + pairKey(a, b))) === 1;
    },
    prune() {
      const now = options.now();
      for (const [session, at] of lastReport) if (now - at > options.staleMs) lastReport.delete(session);
    },
    ready: () =>
      client.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => client.once('ready', () => resolve())),
    async close() {
      lastReport.clear();
      const quit = client.quit().catch(() => 'failed');
      await Promise.race([quit, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      client.disconnect();
    },
  };
}
