// The wire contract in shared/src/signaling-protocol.ts, tested here because the server is its first user.
import {
  DEFAULT_MAX_SIGNAL_DATA_BYTES,
  SIGNALING_ERROR_CODES,
  SIGNALING_ERROR_MESSAGES,
  SIGNALING_PATH,
  parseIceServers,
  parseJoinReply,
  parseJoinRequest,
  parseLeaveRequest,
  parsePeerJoined,
  parseSignalMessage,
  parseSignalRequest,
  parseSignalingErrorMessage,
} from '@ihyid/shared';
import { describe, expect, it } from 'vitest';

const room = 'ab'.repeat(32);
const peer = '0123456789abcdef'.repeat(2);

type Parse = (raw: unknown) => { ok: true; value: unknown } | { ok: false; error: { code: string } };

/** One data-driven helper: `expected` is the parsed value, or the error code. */
function check(parse: Parse, raw: unknown, expected: unknown): void {
  const result = parse(raw);
  if (typeof expected === 'string') {
    expect(result.ok ? 'accepted' : result.error.code, JSON.stringify(raw)?.slice(0, 80)).toBe(expected);
  } else {
    expect(result, JSON.stringify(raw)?.slice(0, 80)).toEqual({ ok: true, value: expected });
  }
}

describe('signaling protocol', () => {
  it('[I8] join carries only a 64-hex room id, never a secret', () => {
    check(parseJoinRequest, { roomId: room }, { roomId: room });
    check(parseJoinRequest, { roomId: room, version: 1 }, { roomId: room, version: 1 });
    check(parseJoinRequest, { roomId: room, secret: 'x' }, { roomId: room });
    check(parseJoinRequest, { roomId: room, version: 2 }, 'incompatible-version');
    check(parseJoinRequest, { roomId: room, version: '1' }, 'malformed-message');
    check(parseJoinRequest, { roomId: room.toUpperCase() }, 'malformed-message');
    check(parseJoinRequest, { roomId: room + '0' }, 'malformed-message');
    check(parseJoinRequest, room, 'malformed-message');
    check(parseJoinRequest, null, 'malformed-message');
    check(parseLeaveRequest, { roomId: room }, { roomId: room });
    check(parseLeaveRequest, {}, 'malformed-message');
  });

  it('[S1] a signal request keeps roomId, to and data, and drops a sender field', () => {
    const data = { type: 'offer', sdp: 'v=0' };
    check(parseSignalRequest, { roomId: room, to: peer, from: peer, data }, { roomId: room, to: peer, data });
    check(parseSignalRequest, { roomId: room, to: peer, data: { candidate: { candidate: 'c', sdpMLineIndex: 0 } } }, {
      roomId: room,
      to: peer,
      data: { candidate: { candidate: 'c', sdpMLineIndex: 0 } },
    });
    check(parseSignalRequest, { roomId: room, to: peer, data: { renegotiate: true } }, { roomId: room, to: peer, data: { renegotiate: true } });
    check(parseSignalRequest, { roomId: room, to: peer.slice(2), data }, 'malformed-message');
    check(parseSignalRequest, { roomId: room, to: peer }, 'malformed-message');
  });

  it('[S3] signal data must be a plain, bounded JSON object', () => {
    const bad = (data: unknown) => check(parseSignalRequest, { roomId: room, to: peer, data }, 'malformed-message');
    bad('v=0');
    bad(null);
    bad([{ type: 'offer' }]);
    bad(new Date());
    bad(new Uint8Array(4));
    bad({ n: Number.NaN });
    bad({ f: () => 1 });
    bad({ u: undefined });
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { deep };
    bad(deep);

    const sized = (sdp: string, limit?: number) =>
      parseSignalRequest({ roomId: room, to: peer, data: { sdp } }, limit === undefined ? {} : { maxDataBytes: limit });
    const overhead = JSON.stringify({ sdp: '' }).length;
    expect(sized('x'.repeat(DEFAULT_MAX_SIGNAL_DATA_BYTES - overhead)).ok).toBe(true);
    expect(sized('x'.repeat(DEFAULT_MAX_SIGNAL_DATA_BYTES - overhead + 1))).toMatchObject({ ok: false, error: { code: 'oversized-message' } });
    // Sizes are UTF-8 bytes: 'é' is 2 bytes, '😀' 4.
    expect(sized('é'.repeat(50), overhead + 100).ok).toBe(true);
    expect(sized('é'.repeat(51), overhead + 100).ok).toBe(false);
    expect(sized('😀'.repeat(25), overhead + 100).ok).toBe(true);
    expect(sized('😀'.repeat(26), overhead + 100).ok).toBe(false);
  });

  it('[S1] the app parses what the server sends', () => {
    check(parseJoinReply, { ok: true, self: peer, peers: [], iceServers: [] }, { ok: true, self: peer, peers: [], iceServers: [] });
    check(parseJoinReply, { ok: false, code: 'room-full' }, { ok: false, code: 'room-full' });
    check(parseJoinReply, { ok: false, code: 'teapot' }, 'malformed-message');
    check(parseJoinReply, { ok: true, self: peer, peers: ['x'], iceServers: [] }, 'malformed-message');
    check(parseSignalMessage, { roomId: room, from: peer, data: {} }, { roomId: room, from: peer, data: {} });
    check(parseSignalMessage, { roomId: room, data: {} }, 'malformed-message');
    check(parsePeerJoined, { roomId: room, peer }, { roomId: room, peer });
    check(parseSignalingErrorMessage, { code: 'rate-limited', event: 'signal' }, { code: 'rate-limited', event: 'signal' });
    check(parseSignalingErrorMessage, { code: 'rate-limited', event: 'whatever' }, 'malformed-message');
  });

  it('[S6] ICE servers are stun/turn URLs with optional credentials', () => {
    check(parseIceServers, [], []);
    check(parseIceServers, [{ urls: 'stun:stun.example.org:3478' }], [{ urls: 'stun:stun.example.org:3478' }]);
    check(parseIceServers, [{ urls: ['turn:t.example.org', 'turns:t.example.org:5349'], username: 'u', credential: 'c' }], [
      { urls: ['turn:t.example.org', 'turns:t.example.org:5349'], username: 'u', credential: 'c' },
    ]);
    check(parseIceServers, [{ urls: 'https://example.org' }], 'malformed-message');
    check(parseIceServers, [{ urls: [] }], 'malformed-message');
    check(parseIceServers, { urls: 'stun:x' }, 'malformed-message');
  });

  it('[S1] every error code has a sentence and the path is Socket.IO’s', () => {
    for (const code of SIGNALING_ERROR_CODES) expect(SIGNALING_ERROR_MESSAGES[code]).toMatch(/\.$/);
    expect(SIGNALING_PATH).toBe('/socket.io');
  });
});
