import { describe, expect, it } from 'vitest';
import {
  dtlsFingerprints,
  fingerprintOf,
  identityHandshake,
  inMemoryChannelPair,
  portFromChannel,
  signTranscript,
  strictVerify,
  toSigned,
  transcriptMessage,
  type HandshakeOptions,
  type HandshakeTranscript,
  type IdentityFailure,
  type LedgerEvent,
  type OrgFingerprint,
  type Result,
} from '../src/index.js';
import { org, T0, type Org } from './identity-fixtures.js';
import { seededRandom } from './support/seeded.js';

const [A, B, C] = [org('A'), org('B'), org('C')];
const fp = (byte: string) => Array.from({ length: 32 }, () => byte).join(':');
const [FP_A, FP_B, FP_M1, FP_M2] = [fp('AA'), fp('BB'), fp('1E'), fp('2E')];
const ROOM = '939dabac1e91abf984e2ba2330b4e6d9412da4a426aa1a1f02690c56f5c48129';

/** The shape of a Chromium data-channel SDP, reduced to what matters here. */
const sdp = (fingerprint: string | null) =>
  ['v=0', 'o=- 46117 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=ice-ufrag:Zx1c', ...(fingerprint ? [`a=fingerprint:sha-256 ${fingerprint}`] : []), 'a=setup:actpass', 'a=mid:0', 'a=sctp-port:5000', ''].join('\r\n');

function options(self: Org, local: string | null, remote: string | null, extra: Partial<HandshakeOptions> = {}): HandshakeOptions {
  return {
    signer: self.signer,
    localSdp: sdp(local),
    remoteSdp: sdp(remote),
    roomId: ROOM,
    linkKey: new Uint8Array(32).fill(7),
    expectedFingerprint: null,
    registration: null,
    random: seededRandom(`handshake-${self.label}`),
    now: T0,
    verify: strictVerify,
    ...extra,
  };
}

async function run(a: HandshakeOptions, b: HandshakeOptions) {
  const [left, right] = inMemoryChannelPair();
  return Promise.all([identityHandshake(portFromChannel(left), a), identityHandshake(portFromChannel(right), b)]);
}

/** What each user reads: its own code, or the code its partner sent. */
const readCode = (r: Result<unknown, IdentityFailure>) => (r.ok ? 'ok' : r.error.peerCode ?? r.error.code);

describe('handshake bound to the WebRTC session (I8)', () => {
  it('[I8] reads a=fingerprint lines of an SDP, normalised, session and media level', () => {
    const text = `a=fingerprint:SHA-256 ${FP_A.toLowerCase()}\r\n${sdp(FP_A)}a=fingerprint:sha-1 01:02\r\n`;
    expect(dtlsFingerprints(text)).toEqual([`sha-1 01:02`, `sha-256 ${FP_A}`]);
    expect(dtlsFingerprints(sdp(null))).toEqual([]);
  });

  it('[I8] both sides verify each other and learn the partner key, fingerprint and registration', async () => {
    const regA = await A.register(T0);
    const [a, b] = await run(options(A, FP_A, FP_B, { registration: regA }), options(B, FP_B, FP_A, { expectedFingerprint: fingerprintOf(A.key) }));
    expect(a).toMatchObject({ ok: true, value: { peerKey: B.key, peerFingerprint: fingerprintOf(B.key), peerRegistration: null, version: 3 } });
    expect(b).toMatchObject({ ok: true, value: { peerKey: A.key, peerRegistration: { id: regA.id } } });
  });

  it('[I8] a server that swaps set-up messages (two DTLS sessions of its own) makes both sides fail', async () => {
    // The identity frames are relayed untouched, but each side's DTLS peer is the server.
    const results = await run(options(A, FP_A, FP_M1), options(B, FP_B, FP_M2));
    expect(results.map(readCode)).toEqual(['handshake-failed', 'handshake-failed']);
  });

  it('[I8] an inviter whose key is not the one in the link: mismatch, read by both users', async () => {
    const expected = fingerprintOf(C.key) as OrgFingerprint;
    const [inviter, invitee] = await run(options(A, FP_A, FP_B), options(B, FP_B, FP_A, { expectedFingerprint: expected }));
    expect(readCode(invitee)).toBe('identity-mismatch');
    expect(readCode(inviter)).toBe('identity-mismatch');
  });

  it('[I8] a session without DTLS fingerprints cannot be verified', async () => {
    const results = await run(options(A, null, FP_B), options(B, FP_B, FP_A));
    expect(results.map(readCode)).toEqual(['no-dtls-fingerprint', 'no-dtls-fingerprint']);
  });

  it('[I8] our own hello reflected back to us is refused', async () => {
    const [left, right] = inMemoryChannelPair();
    right.onMessage((frame) => right.send(frame as string));
    expect(readCode(await identityHandshake(portFromChannel(left), options(A, FP_A, FP_B)))).toBe('handshake-failed');
  });

  it('[I8][I2] a registration in the hello must be valid and the sender’s own', async () => {
    const regC = await C.register(T0);
    const results = await run(options(A, FP_A, FP_B, { registration: regC }), options(B, FP_B, FP_A));
    expect(results.map(readCode)).toEqual(['invalid-event', 'invalid-event']);
    const tampered = { ...(await A.register(T0)), sig: '00'.repeat(64) } as LedgerEvent;
    const again = await run(options(A, FP_A, FP_B, { registration: tampered }), options(B, FP_B, FP_A));
    expect(again.map(readCode)).toEqual(['invalid-event', 'invalid-event']);
    expect(toSigned(regC).body.author).toBe(C.key);
  });

  it('[I8] transcript bytes: PROTOCOL.md vector', async () => {
    const transcript: HandshakeTranscript = {
      v: 1,
      room: ROOM,
      signer: { key: A.key, dtls: [`sha-256 ${FP_A}`], nonce: '11'.repeat(32) },
      peer: { key: B.key, dtls: [`sha-256 ${FP_B}`], nonce: '22'.repeat(32) },
    };
    const text = new TextDecoder().decode(transcriptMessage(transcript));
    expect(text.startsWith('ihyid-handshake-v1\n{"peer":{"dtls":["sha-256 BB:BB')).toBe(true);
    expect(text).toContain(`"room":"${ROOM}","signer":{"dtls":["sha-256 AA:AA`);
    const sig = await signTranscript(A.signer, transcript);
    expect(await strictVerify(A.key, transcriptMessage(transcript), Buffer.from(sig, 'hex'))).toBe(true);
    expect(sig).toBe('6a8a1ce8b723642e06e214027397c9f48a25acb011b315a75453fb051d21e7ad157e58e2c0481765d47694fedae458701320374ae1d1022fe5ffa252e811fb00');
  });
});
