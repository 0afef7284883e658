import canonicalize from 'canonicalize';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '../core/hex.js';
import type { OrgFingerprint } from '../core/ids.js';
import type { RandomBytes } from '../core/random.js';
import { ok, type Result } from '../core/result.js';
import type { LedgerRules } from './constants.js';
import { IdentityErrorCode, type IdentityFailure } from './errors.js';
import { toSigned, validateEvent, type LedgerEvent } from './events.js';
import { fingerprintOf, taggedMessage, type PublicKeyHex, type Signer, type Verifier } from './keys.js';
import { IDENTITY_PROTOCOL_VERSION } from './messages.js';
import { expectMessage, failWith, type IdentityPort } from './port.js';
import { pairSecretOf } from '../signaling/room.js';

/**
 * I8, full form. Right after the data channel opens, each side signs a transcript that binds its
 * key to this very WebRTC connection: both DTLS certificate fingerprints (the `a=fingerprint` lines
 * of the local and the remote SDP, which the browser enforces on the DTLS handshake), the room id,
 * and a fresh nonce from each side. A signaling server that swaps the set-up messages ends up with
 * two DTLS connections of its own; the fingerprints each side saw then differ from the ones the
 * other signed, and the check fails. The invitee also checks the inviter's key against the
 * fingerprint in the link. I9: each side also MACs its transcript under the link key (derived from the
 * link's secret, signaling/room.ts), so whoever knows only the room id cannot take a seat; the
 * verifying side checks the MAC before anything else of the proof.
 *
 * Signed bytes: UTF-8("ihyid-handshake-v1" LF canonical-JSON(transcript)), transcript =
 * {v: 1, room, signer: {key, dtls, nonce}, peer: {key, dtls, nonce}}, `dtls` the sorted list of
 * "<hash function> <UPPERCASE HEX:PAIRS>" strings of that party's certificate.
 */
export const HANDSHAKE_TAG = 'ihyid-handshake-v1';

export interface HandshakeParty {
  key: PublicKeyHex;
  dtls: string[];
  /** 32 random bytes, lowercase hex, fresh per connection. */
  nonce: string;
}

export interface HandshakeTranscript {
  v: 1;
  room: string;
  signer: HandshakeParty;
  peer: HandshakeParty;
}

/** The certificate fingerprints an SDP announces, normalised and sorted (session and media level). */
export function dtlsFingerprints(sdp: string): string[] {
  const found = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    const m = /^a=fingerprint:(\S+)\s+([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)\s*$/.exec(line);
    if (m) found.add(`${m[1]!.toLowerCase()} ${m[2]!.toUpperCase()}`);
  }
  return [...found].sort();
}

export function transcriptMessage(transcript: HandshakeTranscript): Uint8Array {
  return taggedMessage(HANDSHAKE_TAG, canonicalize(transcript)!);
}

export async function signTranscript(signer: Signer, transcript: HandshakeTranscript): Promise<string> {
  if (transcript.signer.key !== signer.publicKey) throw new Error('transcript names another signer');
  return bytesToHex(await signer.sign(transcriptMessage(transcript)));
}

export async function verifyTranscript(transcript: HandshakeTranscript, sigHex: string, verify: Verifier): Promise<boolean> {
  return verify(transcript.signer.key, transcriptMessage(transcript), hexToBytes(sigHex));
}

export interface HandshakeOptions {
  signer: Signer;
  /** `RTCPeerConnection.localDescription.sdp` and `.remoteDescription.sdp` of this connection. */
  localSdp: string;
  remoteSdp: string;
  roomId: string;
  /** I9: `linkAuthKey` of the secret this meeting was arranged by: the invitation's, or the pair's once bound. */
  linkKey: Uint8Array;
  /** From the invitation link, on the side that opened it; null on the inviter's side. */
  expectedFingerprint: OrgFingerprint | null;
  /** Our own registration event, if registered, so the partner can check it before reconciling. */
  registration: LedgerEvent | null;
  random: RandomBytes;
  now: number;
  verify: Verifier;
  rules?: LedgerRules;
}

export interface HandshakeOutcome {
  version: number;
  peerKey: PublicKeyHex;
  peerFingerprint: OrgFingerprint;
  /** The partner's registration event, validated (signature, proof of work), or null. */
  peerRegistration: LedgerEvent | null;
  /** I9: the secret both sides now share for later meetings (`pairSecretOf`). */
  pairSecret: Uint8Array;
}

/** I9: the MAC of a transcript under the link key, lowercase hex. */
export function transcriptMac(linkKey: Uint8Array, transcript: HandshakeTranscript): string {
  return bytesToHex(hmac(sha256, linkKey, transcriptMessage(transcript)));
}

/**
 * Runs the handshake on both sides symmetrically: send id-hello, read the partner's, send id-proof,
 * read and verify the partner's. Any failure is sent to the partner as id-error and returned.
 */
export async function identityHandshake(port: IdentityPort, o: HandshakeOptions): Promise<Result<HandshakeOutcome, IdentityFailure>> {
  const local = dtlsFingerprints(o.localSdp);
  const remote = dtlsFingerprints(o.remoteSdp);
  if (local.length === 0 || remote.length === 0) return failWith(port, IdentityErrorCode.NoDtlsFingerprint);

  const nonce = bytesToHex(o.random(32));
  port.send({
    type: 'id-hello',
    versions: [IDENTITY_PROTOCOL_VERSION],
    key: o.signer.publicKey,
    nonce,
    registration: o.registration ? toSigned(o.registration) : null,
  });
  const hello = await expectMessage(port, 'id-hello');
  if (!hello.ok) return hello;
  const { key: peerKey, nonce: peerNonce } = hello.value;
  if (!hello.value.versions.includes(IDENTITY_PROTOCOL_VERSION)) return failWith(port, IdentityErrorCode.IncompatibleVersion);
  // Our own key or nonce coming back means our messages are being reflected to us.
  if (peerKey === o.signer.publicKey || peerNonce === nonce) return failWith(port, IdentityErrorCode.HandshakeFailed, 'reflected hello');
  const peerFingerprint = fingerprintOf(peerKey);
  if (o.expectedFingerprint !== null && peerFingerprint !== o.expectedFingerprint) {
    return failWith(port, IdentityErrorCode.IdentityMismatch, `expected ${o.expectedFingerprint}, got ${peerFingerprint}`);
  }

  let peerRegistration: LedgerEvent | null = null;
  if (hello.value.registration) {
    const checked = await validateEvent(hello.value.registration, { now: o.now, verify: o.verify, rules: o.rules });
    if (!checked.ok || checked.value.body.kind !== 'register' || checked.value.body.author !== peerKey) {
      return failWith(port, IdentityErrorCode.InvalidEvent, 'registration in hello');
    }
    peerRegistration = checked.value;
  }

  const me: HandshakeParty = { key: o.signer.publicKey, dtls: local, nonce };
  const them: HandshakeParty = { key: peerKey, dtls: remote, nonce: peerNonce };
  const mine: HandshakeTranscript = { v: 1, room: o.roomId, signer: me, peer: them };
  port.send({ type: 'id-proof', sig: await signTranscript(o.signer, mine), mac: transcriptMac(o.linkKey, mine) });

  const proof = await expectMessage(port, 'id-proof');
  if (!proof.ok) return proof;
  const theirs: HandshakeTranscript = { v: 1, room: o.roomId, signer: them, peer: me };
  // I9: a partner that does not hold the link's secret is refused, whatever key it signs with.
  if (!sameBytes(hexToBytes(transcriptMac(o.linkKey, theirs)), hexToBytes(proof.value.mac))) return failWith(port, IdentityErrorCode.HandshakeFailed, 'link mac');
  if (!(await verifyTranscript(theirs, proof.value.sig, o.verify))) return failWith(port, IdentityErrorCode.HandshakeFailed, 'transcript signature');
  return ok({ version: IDENTITY_PROTOCOL_VERSION, peerKey, peerFingerprint, peerRegistration, pairSecret: pairSecretOf(o.linkKey, nonce, peerNonce) });
}

/** Compares in time independent of where the bytes differ (a MAC check). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
