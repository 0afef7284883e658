import canonicalize from 'canonicalize';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '../core/hex.js';
import type { OrgFingerprint } from '../core/ids.js';
import type { RandomBytes } from '../core/random.js';
import { err, ok, type Result } from '../core/result.js';
import type { LedgerRules } from './constants.js';
import type { DeviceCert, VerifiedDevice } from './devices.js';
import { identityFailure, IdentityErrorCode, type IdentityFailure } from './errors.js';
import { toSigned, validateEvent, type LedgerEvent } from './events.js';
import { fingerprintOf, taggedMessage, type PublicKeyHex, type Signer, type Verifier } from './keys.js';
import { IDENTITY_PROTOCOL_VERSION } from './messages.js';
import { expectMessage, failWith, type IdentityPort } from './port.js';
import { claimedOrg, identifyPeerDevice, receiveRevocations, sendRevocations } from './peer-device.js';
import type { SignedRevocation } from './revocation.js';
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
 * I10: the key that signs is a device's; its hello carries the chain that certifies it for its
 * organisation, and `id-revocations` frames that organisation's revocations (peer-device.ts). The
 * peer is known by its root's fingerprint, which is what a link names. The transcript keeps naming
 * the device key only: the chain is signed by the root and names that key, so the device's signature
 * over this connection already speaks for the organisation; a chain checked but not signed again
 * leaves the transcript and its vector as they were.
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
  /** I10: this device's chain, own certificate first; empty or absent on the organisation's root device. */
  chain?: readonly DeviceCert[];
  /** I10: our organisation's valid revocations, sent so partners refuse those keys from now on. */
  revocations?: readonly SignedRevocation[];
  /** I10: revocations held for an organisation (kept from other meetings, or our own), raw. */
  heldRevocations?(org: PublicKeyHex): Promise<readonly unknown[]>;
  random: RandomBytes;
  now: number;
  verify: Verifier;
  rules?: LedgerRules;
}

export interface HandshakeOutcome {
  version: number;
  /** The key that signed: the partner's device key (its root key when the root device connected). */
  peerKey: PublicKeyHex;
  /** I10: the partner organisation's root key and fingerprint, whichever of its devices connected. */
  peerOrg: PublicKeyHex;
  peerFingerprint: OrgFingerprint;
  /** I10: the device as its chain certified it; null when the root device itself connected. */
  peerDevice: VerifiedDevice | null;
  /** I10: the valid revocations the partner sent, to keep under `peerOrg` (the caller stores them). */
  peerRevocations: readonly SignedRevocation[];
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
    chain: [...(o.chain ?? [])],
  });
  sendRevocations(port, o.revocations ?? []);
  const hello = await expectMessage(port, 'id-hello');
  if (!hello.ok) return hello;
  const { key: peerKey, nonce: peerNonce, chain } = hello.value;
  if (!hello.value.versions.includes(IDENTITY_PROTOCOL_VERSION)) return failWith(port, IdentityErrorCode.IncompatibleVersion);
  // Our own key or nonce coming back means our messages are being reflected to us.
  if (peerKey === o.signer.publicKey || peerNonce === nonce) return failWith(port, IdentityErrorCode.HandshakeFailed, 'reflected hello');
  // I10: a link names the organisation, so the root the chain claims is what must match; the chain itself is checked next.
  const claimed = claimedOrg(peerKey, chain);
  if (o.expectedFingerprint !== null && claimed !== null && fingerprintOf(claimed) !== o.expectedFingerprint) {
    return failWith(port, IdentityErrorCode.IdentityMismatch, `expected ${o.expectedFingerprint}, got ${fingerprintOf(claimed)}`);
  }
  const sent = await receiveRevocations(port);
  if (!sent.ok) return sent;
  const peer = await identifyPeerDevice(peerKey, chain, sent.value, { now: o.now, verify: o.verify, held: o.heldRevocations ?? (async () => []) });
  if (!peer.ok) {
    // Each side reads its own sentence: the refused device learns it is the one refused.
    port.fail(peer.error.code, peer.error.peerCode);
    return err(identityFailure(peer.error.code, peer.error.detail));
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
  return ok({
    version: IDENTITY_PROTOCOL_VERSION,
    peerKey,
    peerOrg: peer.value.org,
    peerFingerprint: peer.value.orgFingerprint,
    peerDevice: peer.value.device,
    peerRevocations: peer.value.revocations,
    peerRegistration,
    pairSecret: pairSecretOf(o.linkKey, nonce, peerNonce),
  });
}

/** Compares in time independent of where the bytes differ (a MAC check). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
