/**
 * I9: closed rooms (closed-rooms.ts) shared by every process through Redis, with the same bounds as
 * the memory implementation: an expiry per room and a cap on how many are kept, oldest out first.
 *
 * One sorted set of room ids scored by their expiry (in microseconds), and one hash of their reasons, both under one
 * hash tag (one Redis Cluster slot). Each operation is one Lua script, run atomically, with the time
 * from Redis (`TIME`) as redis.ts does for seats. Every room lives as long, so the lowest score is
 * the oldest entry. Both keys expire with the last entry, so an idle Redis keeps nothing.
 */
import type { RoomCloseReason, RoomId } from '@ihyid/shared';
import type { Redis } from 'ioredis';
import type { ClosedRooms, ClosedRoomsOptions } from './closed-rooms.js';

/** Microseconds, so that closes one after another never tie and the oldest is always the lowest score. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
`;

/** At most this many ids are removed per call (Lua's unpack has a stack limit); each call adds one. */
const BATCH = 1000;

/** KEYS[1] expiries, KEYS[2] reasons; ARGV room, reason, ttl ms, max → 1 closed now, 0 already closed. */
const CLOSE = `${NOW}
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, ${BATCH})
if #expired > 0 then
  redis.call('HDEL', KEYS[2], unpack(expired))
  redis.call('ZREM', KEYS[1], unpack(expired))
end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]) * 1000, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local over = math.min(redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4]), ${BATCH})
if over > 0 then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, over - 1)
  redis.call('HDEL', KEYS[2], unpack(oldest))
  redis.call('ZREM', KEYS[1], unpack(oldest))
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1`;

/** KEYS[1] expiries, KEYS[2] reasons; ARGV room → its reason while it is closed, else nil. */
const REASON = `${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > now then return redis.call('HGET', KEYS[2], ARGV[1]) end
return false`;

interface ClosedCommands {
  ihyidCloseRoom(expiries: string, reasons: string, roomId: string, reason: string, ttlMs: number, max: number): Promise<number>;
  ihyidClosedReason(expiries: string, reasons: string, roomId: string): Promise<string | null>;
}

const EXPIRIES = 'ihyid:closed:{rooms}:until';
const REASONS = 'ihyid:closed:{rooms}:reason';

/** Closed rooms on the server's command connection (redis.ts), whose commands fail fast while Redis is away. */
export function createRedisClosedRooms(command: Redis, options: ClosedRoomsOptions): ClosedRooms {
  command.defineCommand('ihyidCloseRoom', { numberOfKeys: 2, lua: CLOSE });
  command.defineCommand('ihyidClosedReason', { numberOfKeys: 2, lua: REASON });
  const scripts = command as unknown as ClosedCommands;
  return {
    async close(roomId, reason) {
      await scripts.ihyidCloseRoom(EXPIRIES, REASONS, roomId, reason, options.ttlMs, options.max);
    },
    async reasonOf(roomId: RoomId) {
      const reason = await scripts.ihyidClosedReason(EXPIRIES, REASONS, roomId);
      return reason === 'used' || reason === 'revoked' ? (reason satisfies RoomCloseReason) : null;
    },
  };
}
