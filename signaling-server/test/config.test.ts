import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATIC_DIR, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('[S4] has safe defaults when the environment is empty', () => {
    const loaded = loadConfig({});
    expect(loaded).toEqual({
      ok: true,
      value: {
        port: 8080,
        host: 'localhost',
        staticDir: DEFAULT_STATIC_DIR,
        maxMessageBytes: 16 * 1024,
        maxMessagesPerSecond: 20,
        maxPeersPerRoom: 2,
        maxRoomsPerConnection: 8,
        maxOffencesPerMinute: 20,
        closedRoomDays: 30,
        maxClosedRooms: 100_000,
        maxClosesPerMinute: 30,
        iceServers: [],
        allowedOrigins: null,
        turn: null,
        redis: null,
        logLevel: 'info',
        witness: { radiusM: 15, tickMs: 1000, positionIntervalMs: 10_000, staleMs: 30_000, declarationBits: 18, maxConnectionsPerIp: 32 },
        trustProxy: false,
        maxConnectionsPerIp: 64,
        metricsPort: null,
        metricsHost: '127.0.0.1',
        metricsToken: null,
        tlsBehindProxy: false,
        serveSourceMaps: false,
      },
    });
    expect(DEFAULT_STATIC_DIR.split(path.sep).slice(-2)).toEqual(['app', 'dist']);
  });

  it('[S4] reads every variable', () => {
    const loaded = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      STATIC_DIR: '/srv/ihyid',
      MAX_MESSAGE_BYTES: '4096',
      MAX_MESSAGES_PER_SECOND: '50',
      MAX_PEERS_PER_ROOM: '4',
      MAX_ROOMS_PER_CONNECTION: '2',
      ICE_SERVERS: '[{"urls":["stun:stun.agency.example"]}]',
      ALLOWED_ORIGINS: 'https://ihyid.agency.example, http://localhost:5173',
      TURN_URLS: 'turns:turn.agency.example:5349',
      TURN_SECRET: '0123456789abcdef',
      TURN_TTL_SECONDS: '900',
      MAX_OFFENCES_PER_MINUTE: '5',
      CLOSED_ROOM_DAYS: '7',
      MAX_CLOSED_ROOMS: '5000',
      MAX_CLOSES_PER_MINUTE: '3',
      REDIS_URL: 'redis://:hunter2@redis.internal:6379/0',
      REDIS_SEAT_LEASE_SECONDS: '10',
      LOG_LEVEL: 'debug',
      TRUST_PROXY: 'true',
      WITNESS_MAX_CONNECTIONS_PER_IP: '3',
      MAX_CONNECTIONS_PER_IP: '500',
      METRICS_PORT: '9464',
      METRICS_HOST: '10.0.0.5',
      METRICS_TOKEN: 'a-long-metrics-token',
      TLS_BEHIND_PROXY: 'true',
      SERVE_SOURCE_MAPS: '1',
    });
    expect(loaded).toEqual({
      ok: true,
      value: {
        port: 0,
        host: '127.0.0.1',
        staticDir: path.resolve('/srv/ihyid'),
        maxMessageBytes: 4096,
        maxMessagesPerSecond: 50,
        maxPeersPerRoom: 4,
        maxRoomsPerConnection: 2,
        maxOffencesPerMinute: 5,
        closedRoomDays: 7,
        maxClosedRooms: 5000,
        maxClosesPerMinute: 3,
        iceServers: [{ urls: ['stun:stun.agency.example'] }],
        allowedOrigins: ['https://ihyid.agency.example', 'http://localhost:5173'],
        turn: { urls: ['turns:turn.agency.example:5349'], secret: '0123456789abcdef', ttlSeconds: 900 },
        redis: { url: 'redis://:hunter2@redis.internal:6379/0', leaseSeconds: 10 },
        logLevel: 'debug',
        witness: { radiusM: 15, tickMs: 1000, positionIntervalMs: 10_000, staleMs: 30_000, declarationBits: 18, maxConnectionsPerIp: 3 },
        trustProxy: true,
        maxConnectionsPerIp: 500,
        metricsPort: 9464,
        metricsHost: '10.0.0.5',
        metricsToken: 'a-long-metrics-token',
        tlsBehindProxy: true,
        serveSourceMaps: true,
      },
    });
  });

  it('[S4] reports every invalid variable at once, by name', () => {
    const loaded = loadConfig({
      PORT: '80a',
      MAX_PEERS_PER_ROOM: '1',
      MAX_MESSAGE_BYTES: '-5',
      ICE_SERVERS: '{not json',
      ALLOWED_ORIGINS: 'ihyid.example.org',
      TURN_SECRET: 'only-the-secret',
      LOG_LEVEL: 'loud',
      MAX_OFFENCES_PER_MINUTE: '0',
      REDIS_URL: 'http://:hunter2@cache.internal',
      TRUST_PROXY: 'perhaps',
      METRICS_TOKEN: 'short',
      MAX_CONNECTIONS_PER_IP: '0',
      TLS_BEHIND_PROXY: 'yes please',
      CLOSED_ROOM_DAYS: '0',
      MAX_CLOSED_ROOMS: 'many',
    });
    expect(loaded.ok).toBe(false);
    const problems = loaded.ok ? [] : loaded.error;
    for (const name of ['PORT', 'MAX_PEERS_PER_ROOM', 'MAX_MESSAGE_BYTES', 'ICE_SERVERS', 'ALLOWED_ORIGINS', 'TURN_URLS', 'LOG_LEVEL', 'MAX_OFFENCES_PER_MINUTE', 'REDIS_URL', 'TRUST_PROXY', 'METRICS_TOKEN', 'MAX_CONNECTIONS_PER_IP', 'TLS_BEHIND_PROXY', 'CLOSED_ROOM_DAYS', 'MAX_CLOSED_ROOMS']) {
      expect(problems.some((p) => p.startsWith(name)), name).toBe(true);
    }
    // A secret is never echoed back in an error.
    expect(problems.join(' ')).not.toContain('only-the-secret');
    expect(problems.join(' ')).not.toContain('hunter2');
    expect(problems.join(' ')).not.toContain('short');
  });

  it('[S6] rejects ICE_SERVERS that are not stun/turn entries', () => {
    const loaded = loadConfig({ ICE_SERVERS: '[{"urls":"http://stun.example"}]' });
    expect(loaded.ok).toBe(false);
  });
});
