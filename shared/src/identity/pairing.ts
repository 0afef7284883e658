import canonicalize from 'canonicalize';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as v from 'valibot';
import { base64UrlFromBytes, bytesFromBase64Url, bytesToHex, hexToBytes, utf8ToBytes } from '../core/hex.js';
import type { OrgFingerprint, RoomId } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import { DeviceChainSchema, verifyDeviceChain, type DeviceCert, type VerifiedDevice } from './devices.js';
import { closableRoom } from '../signaling/room.js';
import { KeyHexSchema } from './events.js';
import { parseFingerprint, taggedMessage, type PublicKeyHex, type Signer, type Verifier } from './keys.js';

/**
 * I10, X4: pairing a new device. An admin device shows a QR code or link whose fragment carries a
 * one-time secret and the organisation's fingerprint (`#/pair/<base64url secret>.<fingerprint>`,
 * never sent to the server). Both devices meet in the room the secret names and open a WebRTC
 * channel; the joining device sends its key, signed, with a MAC under the secret; the admin device
 * answers with the new device's certificate chain, also under a MAC. Both MACs and the signature
 * cover a transcript that binds both DTLS fingerprints of this very connection, so a server that
 * knows the room id but not the secret cannot take the seat, nor relay a connection of its own.
 * Both screens show a six-digit code from the same transcript for the people to compare.
 *
 *   room     = hex SHA-256(HMAC-SHA256(secret, "ihyid-pairing-room-close-v1"))
 *   macKey   = HMAC-SHA256(secret, "ihyid-pairing-mac-v1")
 *   message  = UTF-8("ihyid-pairing-v1" LF canonical-JSON(transcript))
 *   joinMac  = hex HMAC-SHA256(macKey, "join" LF message)
 *   grantMac = hex HMAC-SHA256(macKey, "grant" LF message LF canonical-JSON(chain))
 */
export const PAIRING_TAG = 'ihyid-pairing-v1';
export const PAIRING_SECRET_BYTES = 32;
/** A pairing code is shown to be used at once, with both devices in hand. */
export const PAIRING_TTL_MS = 10 * 60 * 1000;

export interface PairingTranscript {
  readonly v: 1;
  readonly room: string;
  /** DTLS fingerprints (identity/handshake.ts `dtlsFingerprints`) of the admin and the joining device. */
  readonly admin: { readonly dtls: readonly string[] };
  readonly joiner: { readonly dtls: readonly string[]; readonly key: PublicKeyHex; readonly label: string };
}

const label = (secret: Uint8Array, text: string) => hmac(sha256, secret, utf8ToBytes(text));

const PAIRING_ROOM_LABEL = 'ihyid-pairing-room-close-v1';

/** The pairing room (signaling/room.ts `closableRoom`): the admin device closes it once the code is used or withdrawn. */
export const pairingRoomId = (secret: Uint8Array): RoomId => closableRoom(secret, PAIRING_ROOM_LABEL).roomId;
export const pairingRoomCloseProof = (secret: Uint8Array): Uint8Array => closableRoom(secret, PAIRING_ROOM_LABEL).proof;

/**
 * `<base64url secret>.<fingerprint>.<expiry>`: what follows `#/pair/` in the link and the QR code. The
 * expiry (Unix seconds) lets the new device refuse an expired code itself, at once, with the admin
 * device gone (I9); without it (`expiresAt` undefined) the link is the older two-part form.
 */
export function pairingFragment(secret: Uint8Array, org: OrgFingerprint, expiresAt?: number): string {
  const head = `${base64UrlFromBytes(secret)}.${org}`;
  return expiresAt === undefined ? head : `${head}.${Math.floor(expiresAt / 1000)}`;
}

export function parsePairingFragment(text: string): { secret: Uint8Array; org: OrgFingerprint; expiresAt: number | null } | null {
  const [secretText, fp, expiry, ...rest] = text.split('.');
  if (rest.length > 0 || secretText === undefined || fp === undefined || (expiry !== undefined && !/^\d{1,12}$/.test(expiry))) return null;
  const secret = bytesFromBase64Url(secretText);
  const org = parseFingerprint(fp);
  return secret && secret.length === PAIRING_SECRET_BYTES && org ? { secret, org, expiresAt: expiry === undefined ? null : Number(expiry) * 1000 } : null;
}

export const pairingMessage = (t: PairingTranscript): Uint8Array => taggedMessage(PAIRING_TAG, canonicalize(t)!);

function mac(secret: Uint8Array, parts: readonly Uint8Array[]): string {
  const key = label(secret, 'ihyid-pairing-mac-v1');
  const h = hmac.create(sha256, key);
  parts.forEach((p, i) => {
    if (i > 0) h.update(utf8ToBytes('\n'));
    h.update(p);
  });
  return bytesToHex(h.digest());
}

export const joinMac = (secret: Uint8Array, t: PairingTranscript): string => mac(secret, [utf8ToBytes('join'), pairingMessage(t)]);
export const grantMac = (secret: Uint8Array, t: PairingTranscript, chain: readonly DeviceCert[]): string =>
  mac(secret, [utf8ToBytes('grant'), pairingMessage(t), utf8ToBytes(canonicalize(chain)!)]);

/** Six digits both screens show, "123 456": the first 4 bytes of SHA-256(message), mod 10^6. */
export function pairingCode(t: PairingTranscript): string {
  const h = sha256(pairingMessage(t));
  const n = ((h[0]! << 24) >>> 0) + (h[1]! << 16) + (h[2]! << 8) + h[3]!;
  const digits = String(n % 1_000_000).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** Compares two hex MACs in time independent of where they differ. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const Hex = (bytes: number) => v.pipe(v.string(), v.regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`)));

export const PairingMessageSchema = v.variant('type', [
  v.strictObject({ type: v.literal('pair-join'), v: v.literal(1), key: KeyHexSchema, label: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)), sig: Hex(64), mac: Hex(32) }),
  v.strictObject({ type: v.literal('pair-grant'), chain: DeviceChainSchema, orgName: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80)), mac: Hex(32) }),
  v.strictObject({ type: v.literal('pair-refuse'), reason: v.picklist(['expired', 'used', 'bad-proof', 'declined']) }),
]);
export type PairingMessage = v.InferOutput<typeof PairingMessageSchema>;

/** The joining device's first message: its key, proven held (signature) and its knowledge of the secret (MAC). */
export async function pairJoin(signer: Signer, secret: Uint8Array, t: PairingTranscript): Promise<PairingMessage> {
  if (t.joiner.key !== signer.publicKey) throw new Error('transcript names another key');
  const sig = bytesToHex(await signer.sign(pairingMessage(t)));
  return { type: 'pair-join', v: 1, key: t.joiner.key, label: t.joiner.label, sig, mac: joinMac(secret, t) };
}

/** What the admin device keeps of a code it showed: refused once used or expired. */
export interface PendingPairing {
  readonly secret: Uint8Array;
  readonly expiresAt: number;
  readonly used: boolean;
}

export type JoinProblem = 'malformed' | 'expired' | 'used' | 'bad-proof';

/**
 * Admin side: checks a `pair-join` against the pending code. A used or expired code is refused at
 * once, before anything else is looked at; a bad MAC or signature does not use the code up (whoever
 * knows only the room id must not be able to spend it), a valid join does: the caller marks it used
 * before it answers.
 */
export async function checkJoin(
  pending: PendingPairing,
  raw: unknown,
  transcriptFor: (joiner: { key: PublicKeyHex; label: string }) => PairingTranscript,
  ctx: { now: number; verify: Verifier },
): Promise<Result<{ key: PublicKeyHex; label: string; transcript: PairingTranscript }, JoinProblem>> {
  if (pending.used) return err('used');
  if (ctx.now >= pending.expiresAt) return err('expired');
  const parsed = v.safeParse(PairingMessageSchema, raw);
  if (!parsed.success || parsed.output.type !== 'pair-join') return err('malformed');
  const join = parsed.output;
  const transcript = transcriptFor({ key: join.key, label: join.label });
  if (!sameHex(join.mac, joinMac(pending.secret, transcript))) return err('bad-proof');
  if (!(await ctx.verify(join.key, pairingMessage(transcript), hexToBytes(join.sig)))) return err('bad-proof');
  return ok({ key: join.key, label: join.label, transcript });
}

export function pairGrant(secret: Uint8Array, t: PairingTranscript, chain: readonly DeviceCert[], orgName: string): PairingMessage {
  return { type: 'pair-grant', chain: [...chain], orgName, mac: grantMac(secret, t, chain) };
}

export type GrantProblem = 'malformed' | 'refused' | 'bad-proof' | 'wrong-organisation' | 'bad-certificate';

/**
 * Joining side: the grant must carry the admin's MAC over this transcript and a chain that makes
 * our own key a device of the organisation whose fingerprint the link carried.
 */
export async function checkGrant(
  secret: Uint8Array,
  t: PairingTranscript,
  expectedOrg: OrgFingerprint,
  raw: unknown,
  ctx: { now: number; verify: Verifier },
): Promise<Result<{ device: VerifiedDevice; chain: DeviceCert[]; orgName: string }, GrantProblem>> {
  const parsed = v.safeParse(PairingMessageSchema, raw);
  if (!parsed.success) return err('malformed');
  if (parsed.output.type === 'pair-refuse') return err('refused');
  if (parsed.output.type !== 'pair-grant') return err('malformed');
  const { chain, orgName, mac: got } = parsed.output;
  if (!sameHex(got, grantMac(secret, t, chain as DeviceCert[]))) return err('bad-proof');
  const device = await verifyDeviceChain(chain, { now: ctx.now, verify: ctx.verify, revoked: new Set() });
  if (!device.ok || device.value.device !== t.joiner.key) return err('bad-certificate');
  if (device.value.orgFingerprint !== expectedOrg) return err('wrong-organisation');
  return ok({ device: device.value, chain: chain as DeviceCert[], orgName });
}
