import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  fingerprintOf,
  identityHandshake,
  inMemoryChannelPair,
  linkAuthKey,
  pairSecretOf,
  portFromChannel,
  roomIdFromSecret,
  signTranscript,
  strictVerify,
  transcriptMac,
  hexToBytes,
  type HandshakeOptions,
  type HandshakeTranscript,
  type IdentityMessage,
} from '../src/index.js';
import { org, T0, type Org } from './identity-fixtures.js';
import { seededRandom } from './support/seeded.js';

const [A, B, M] = [org('A'), org('B'), org('C')];
const fp = (byte: string) => Array.from({ length: 32 }, () => byte).join(':');
const sdp = (fingerprint: string) => `v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=fingerprint:sha-256 ${fingerprint}\r\n`;
const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i);
const ROOM = roomIdFromSecret(SECRET);

function options(self: Org, local: string, remote: string, linkKey: Uint8Array, extra: Partial<HandshakeOptions> = {}): HandshakeOptions {
  return { signer: self.signer, localSdp: sdp(local), remoteSdp: sdp(remote), roomId: ROOM, linkKey, expectedFingerprint: null, registration: null, random: seededRandom(`link-${self.label}`), now: T0, verify: strictVerify, ...extra };
}

describe('handshake bound to the link secret (I9)', () => {
  it('[I9] the link key and the room id are different HMACs of the secret (PROTOCOL.md vectors)', () => {
    expect(ROOM).toBe('d42995673ca69d31151034cedb5e19f7d48e221d6e8aedadb7e00f3fa7b576b8');
    // Both checked with Node's crypto.createHmac.
    expect(bytesToHex(linkAuthKey(SECRET))).toBe('76e87704f43f82aad5541494c45f5749327d7281baf8a70db3857e21edac366e');
    expect(bytesToHex(pairSecretOf(linkAuthKey(SECRET), '11'.repeat(32), '22'.repeat(32)))).toBe('849a35d7ab4a64800ea575a3824969bf4b078daaebfa5056dca53f35d70ea041');
    expect(bytesToHex(pairSecretOf(linkAuthKey(SECRET), '11'.repeat(32), '22'.repeat(32)))).toBe(bytesToHex(pairSecretOf(linkAuthKey(SECRET), '22'.repeat(32), '11'.repeat(32))));
  });

  it('[I9] two holders of the link bind, and both derive the same pair secret', async () => {
    const [left, right] = inMemoryChannelPair();
    const key = linkAuthKey(SECRET);
    const [a, b] = await Promise.all([
      identityHandshake(portFromChannel(left), options(A, fp('AA'), fp('BB'), key)),
      identityHandshake(portFromChannel(right), options(B, fp('BB'), fp('AA'), key, { expectedFingerprint: fingerprintOf(A.key) })),
    ]);
    if (!a.ok || !b.ok) throw new Error('handshake failed');
    expect(bytesToHex(a.value.pairSecret)).toBe(bytesToHex(b.value.pairSecret));
    expect(bytesToHex(a.value.pairSecret)).not.toBe(bytesToHex(key));
  });

  it('[I9] a client that knows only the room id (and the inviter\'s fingerprint) cannot complete the identity step', async () => {
    // Mallory drives the raw identity frames with a key of its own: a valid signature, but the MAC can
    // only be guessed (here: under a key made from the room id, all it has).
    const [victimEnd, raw] = inMemoryChannelPair();
    const received: IdentityMessage[] = [];
    raw.onMessage((f) => received.push(JSON.parse(f as string) as IdentityMessage));
    const victim = identityHandshake(portFromChannel(victimEnd), options(A, fp('AA'), fp('EE'), linkAuthKey(SECRET)));
    const nonce = '33'.repeat(32);
    raw.send(JSON.stringify({ type: 'id-hello', versions: [3], key: M.key, nonce, registration: null, chain: [] }));
    raw.send(JSON.stringify({ type: 'id-revocations', revocations: [], last: true }));
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 0));
    const hello = received.find((m) => m.type === 'id-hello') as Extract<IdentityMessage, { type: 'id-hello' }>;
    const transcript: HandshakeTranscript = { v: 1, room: ROOM, signer: { key: M.key, dtls: [`sha-256 ${fp('EE')}`], nonce }, peer: { key: A.key, dtls: [`sha-256 ${fp('AA')}`], nonce: hello.nonce } };
    raw.send(JSON.stringify({ type: 'id-proof', sig: await signTranscript(M.signer, transcript), mac: transcriptMac(hexToBytes(ROOM), transcript) }));
    const outcome = await victim;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'handshake-failed' } });
    // The victim told Mallory no, and sent nothing after its own proof.
    expect(received.map((m) => m.type)).toEqual(['id-hello', 'id-revocations', 'id-proof', 'id-error']);
  });
});
