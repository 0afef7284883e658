import { gcm } from '@noble/ciphers/aes.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as v from 'valibot';
import {
  base64UrlFromBytes,
  bytesFromBase64Url,
  checkGrant,
  checkJoin,
  dtlsFingerprints,
  fingerprintOf,
  orgOfChain,
  issueDeviceCert,
  pairGrant,
  pairingCode,
  pairingMessage,
  pairingRoomCloseProof,
  pairingRoomId,
  pairJoin,
  parsePairingFragment,
  PAIRING_SECRET_BYTES,
  PAIRING_TTL_MS,
  utf8ToBytes,
  type DeviceCert,
  type DeviceRole,
  type OrgFingerprint,
  type PairingTranscript,
  type PendingPairing,
  type PublicKeyHex,
  type RoomCloseReason,
  type Signer,
  type Verifier,
} from '@ihyid/shared';
import type { PeerChannel } from '@ihyid/shared';
import { POLICY_KEYS, type PolicyKey } from '../../storage/settings';
import { meet, MeetError, type MeetDeps } from './meet';

/**
 * I10, X4 in the app: pairing a new device (PROTOCOL.md §5.1). The admin device shows a link and
 * QR code with a one-time secret and waits in the room it names; the new device joins, sends
 * `pair-join`, both show the six-digit code; when the admin confirms, it answers `pair-grant`
 * (the new device's certificate) and `pair-data`: what makes it a device of this organisation,
 * the data key (X2) and the profile, sealed under a key only the secret and this very connection
 * give (§5.1):
 *
 *   dataKeyKey = HKDF-SHA256(secret, info "ihyid-pairing-data-v1")
 *   sealed     = AES-256-GCM(dataKeyKey, nonce, aad = pairing message of the transcript, JSON payload)
 *
 * I9: once the code is spent (a valid join), or withdrawn unspent (the code screen closes), the admin
 * device closes its room on the server (`close-room`), so any later join is refused there at once,
 * with the admin device gone or not.
 */
export const DEVICE_CERT_DAYS = 365;

const PayloadSchema = v.strictObject({
  dataKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)),
  orgName: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
  defaultCountry: v.pipe(v.string(), v.regex(/^[A-Z]{2}$/)),
  /** #16 item 2: the organisation's policy settings as the admin device stores them (storage/settings.ts `POLICY_KEYS`). */
  policy: v.strictObject(Object.fromEntries(POLICY_KEYS.map((key) => [key, v.optional(v.unknown())])) as Record<PolicyKey, v.OptionalSchema<v.UnknownSchema, undefined>>),
});
export type PairingPayload = v.InferOutput<typeof PayloadSchema>;
const DataFrame = v.strictObject({ type: v.literal('pair-data'), nonce: v.pipe(v.string(), v.maxLength(32)), sealed: v.pipe(v.string(), v.maxLength(4096)) });

const dataKeyKey = (secret: Uint8Array) => hkdf(sha256, secret, undefined, utf8ToBytes('ihyid-pairing-data-v1'), 32);

export function sealPayload(secret: Uint8Array, t: PairingTranscript, payload: PairingPayload, nonce: Uint8Array): { type: 'pair-data'; nonce: string; sealed: string } {
  const sealed = gcm(dataKeyKey(secret), nonce, pairingMessage(t)).encrypt(utf8ToBytes(JSON.stringify(payload)));
  return { type: 'pair-data', nonce: base64UrlFromBytes(nonce), sealed: base64UrlFromBytes(sealed) };
}

export function openPayload(secret: Uint8Array, t: PairingTranscript, raw: unknown): PairingPayload | null {
  const frame = v.safeParse(DataFrame, raw);
  if (!frame.success) return null;
  const nonce = bytesFromBase64Url(frame.output.nonce);
  const sealed = bytesFromBase64Url(frame.output.sealed);
  if (!nonce || nonce.length !== 12 || !sealed) return null;
  try {
    const plain = gcm(dataKeyKey(secret), nonce, pairingMessage(t)).decrypt(sealed);
    const payload = v.safeParse(PayloadSchema, JSON.parse(new TextDecoder().decode(plain)) as unknown);
    return payload.success ? payload.output : null;
  } catch {
    return null;
  }
}

/** Frames of one channel, one at a time, parsed from JSON text; null when the channel closed. */
function frames(channel: PeerChannel): () => Promise<unknown> {
  const queue: unknown[] = [];
  const waiters: ((frame: unknown) => void)[] = [];
  let closed = false;
  const push = (frame: unknown) => (waiters.length ? waiters.shift()!(frame) : queue.push(frame));
  channel.onMessage((frame) => {
    try {
      push(typeof frame === 'string' ? (JSON.parse(frame) as unknown) : undefined);
    } catch {
      push(undefined);
    }
  });
  channel.onClose(() => {
    closed = true;
    for (const w of waiters.splice(0)) w(null);
  });
  return () => (queue.length ? Promise.resolve(queue.shift()) : closed ? Promise.resolve(null) : new Promise((resolve) => waiters.push(resolve)));
}

const send = (channel: PeerChannel, message: unknown) => channel.send(JSON.stringify(message));

export interface HostEvents {
  /**
   * A device proved the secret: show `code`, and once both screens agree call `confirm` with the
   * role the admin gives the new device (X1: admin, caseworker or checker), or null to decline.
   */
  onJoin(joiner: { label: string; code: string }, confirm: (role: DeviceRole | null) => void): void;
  /** `chain`: the new device's whole chain, its certificate first, as it was granted. */
  onPaired(device: { key: PublicKeyHex; label: string; cert: DeviceCert; chain: readonly DeviceCert[] }): void;
  /** A join refused (a used or expired code, a bad proof): the admin sees why. */
  onRefused(reason: 'expired' | 'used' | 'bad-proof' | 'declined'): void;
}

export interface HostDeps extends MeetDeps {
  signer: Signer;
  /** I10: this device's own chain (empty on the organisation's first device, whose key is the root): the new device's chain goes on from it. */
  chain: readonly DeviceCert[];
  verify: Verifier;
  now(): number;
  randomBytes(n: number): Uint8Array;
  payload(): Promise<PairingPayload>;
}

/** I10, X1: whether a device with this chain may pair others: the root (no chain), or a device certified as admin. */
export const canPair = (chain: readonly DeviceCert[]): boolean => chain.length === 0 || chain[0]!.body.role === 'admin';

export class PairingNotAllowedError extends Error {
  constructor() {
    super('Only an admin device pairs new devices.');
    this.name = 'PairingNotAllowedError';
  }
}

/** A new pairing code: the link's fragment and its expiry; the link names the organisation (its root), whichever admin device shows it. */
export function newPairing(deps: Pick<HostDeps, 'randomBytes' | 'now' | 'signer' | 'chain'>): { pending: PendingPairing; org: OrgFingerprint } {
  const org = orgOfChain(deps.chain, deps.signer.publicKey);
  return { pending: { secret: deps.randomBytes(PAIRING_SECRET_BYTES), expiresAt: deps.now() + PAIRING_TTL_MS, used: false }, org: fingerprintOf(org) };
}

/** I9: closes the pairing room on the server; best effort (the secret lives only in this page's memory). */
async function closePairingRoom(deps: MeetDeps, secret: Uint8Array, reason: RoomCloseReason): Promise<void> {
  try {
    const signaling = await deps.openSignaling();
    await signaling.closeRoom(pairingRoomId(secret), pairingRoomCloseProof(secret), reason).finally(() => signaling.close());
  } catch {
    // Unreachable: a later join waits, as before I9, unless this page still answers it.
  }
}

/**
 * Admin side: answers joins in the code's room until `signal` aborts (the code screen closes) or the
 * code is spent; an expired code is refused at once. The room is closed once the code is spent, or
 * withdrawn unspent (I9).
 */
export async function hostPairing(deps: HostDeps, first: PendingPairing, events: HostEvents, signal: AbortSignal): Promise<void> {
  // I10: only the root or an admin device certifies others (a chain through any other is refused by every peer).
  if (!canPair(deps.chain)) throw new PairingNotAllowedError();
  const code = { pending: first };
  try {
    await answerJoins(deps, code, events, signal);
  } finally {
    if (!code.pending.used) await closePairingRoom(deps, code.pending.secret, 'revoked');
  }
}

/** The admin's side of each join until the screen closes or the room is closed; `code.pending` is marked used on a valid join. */
async function answerJoins(deps: HostDeps, code: { pending: PendingPairing }, events: HostEvents, signal: AbortSignal): Promise<void> {
  const room = pairingRoomId(code.pending.secret);
  while (!signal.aborted) {
    const meeting = await meet(deps, room, signal).catch(() => null);
    if (!meeting) return;
    const { link } = meeting;
    try {
      const next = frames(link.channel);
      const admin = { dtls: dtlsFingerprints(link.localSdp()) };
      const joinerDtls = dtlsFingerprints(link.remoteSdp());
      const transcriptFor = (joiner: { key: PublicKeyHex; label: string }): PairingTranscript => ({ v: 1, room, admin, joiner: { dtls: joinerDtls, ...joiner } });
      const checked = await checkJoin(code.pending, await next(), transcriptFor, { now: deps.now(), verify: deps.verify });
      if (!checked.ok) {
        const reason = checked.error === 'malformed' ? 'bad-proof' : checked.error;
        send(link.channel, { type: 'pair-refuse', reason });
        events.onRefused(reason);
        continue;
      }
      // A valid join spends the code, whatever the admin answers next; the server refuses it from now on.
      code.pending = { ...code.pending, used: true };
      void closePairingRoom(deps, code.pending.secret, 'used');
      const { transcript, key, label } = checked.value;
      const role = await new Promise<DeviceRole | null>((resolve) => events.onJoin({ label, code: pairingCode(transcript) }, resolve));
      if (role === null) {
        send(link.channel, { type: 'pair-refuse', reason: 'declined' });
        events.onRefused('declined');
        continue;
      }
      const now = deps.now();
      const org = orgOfChain(deps.chain, deps.signer.publicKey);
      // No certificate outlives its issuer's (verifyDeviceChain): an admin device's last day caps the new one's.
      const expiresAt = Math.min(now + DEVICE_CERT_DAYS * 86_400_000, ...deps.chain.map((c) => c.body.expiresAt));
      const cert = await issueDeviceCert(deps.signer, { org, device: key, role, label, issuedAt: now, expiresAt });
      const payload = await deps.payload();
      const chain = [cert, ...deps.chain];
      send(link.channel, pairGrant(code.pending.secret, transcript, chain, payload.orgName));
      send(link.channel, sealPayload(code.pending.secret, transcript, payload, deps.randomBytes(12)));
      await link.channel.drained?.();
      events.onPaired({ key, label, cert, chain });
      // The new device closes once it has what it needs; we wait for that. Meeting again then finds
      // the room closed (the code is spent), which ends this loop.
      while ((await next()) !== null);
    } finally {
      meeting.close();
    }
  }
}

export type JoinFailure = 'invalid-link' | 'refused-expired' | 'refused-used' | 'refused-bad-proof' | 'refused-declined' | 'bad-grant' | 'closed' | 'room-used' | 'room-revoked';

export interface JoinDeps extends MeetDeps {
  signer: Signer;
  verify: Verifier;
  now(): number;
}

/** New device side: joins, shows the code (`onCode`), and returns the certificate and the payload, or why not. */
export async function joinPairing(
  deps: JoinDeps,
  fragment: string,
  label: string,
  onCode: (code: string) => void,
  signal: AbortSignal,
): Promise<{ ok: true; chain: DeviceCert[]; payload: PairingPayload } | { ok: false; reason: JoinFailure }> {
  const link0 = parsePairingFragment(fragment);
  if (!link0) return { ok: false, reason: 'invalid-link' };
  const { secret, org, expiresAt } = link0;
  // I9: the link says when the code ends: an expired one is refused here, before any network.
  if (expiresAt !== null && deps.now() >= expiresAt) return { ok: false, reason: 'refused-expired' };
  const room = pairingRoomId(secret);
  const meeting = await meet(deps, room, signal).catch((error: unknown) => (error instanceof MeetError ? error : null));
  // I9: the admin device closed the room: the code was used, or withdrawn.
  if (meeting instanceof MeetError && meeting.closed) return { ok: false, reason: `room-${meeting.closed}` };
  if (!meeting || meeting instanceof MeetError) return { ok: false, reason: 'closed' };
  const { link } = meeting;
  try {
    const next = frames(link.channel);
    const t: PairingTranscript = {
      v: 1,
      room,
      admin: { dtls: dtlsFingerprints(link.remoteSdp()) },
      joiner: { dtls: dtlsFingerprints(link.localSdp()), key: deps.signer.publicKey, label },
    };
    send(link.channel, await pairJoin(deps.signer, secret, t));
    onCode(pairingCode(t));
    const answer = await next();
    const refused = v.safeParse(v.object({ type: v.literal('pair-refuse'), reason: v.picklist(['expired', 'used', 'bad-proof', 'declined']) }), answer);
    if (refused.success) return { ok: false, reason: `refused-${refused.output.reason}` };
    if (answer === null) return { ok: false, reason: 'closed' };
    const grant = await checkGrant(secret, t, org, answer, { now: deps.now(), verify: deps.verify });
    if (!grant.ok) return { ok: false, reason: 'bad-grant' };
    const payload = openPayload(secret, t, await next());
    if (!payload) return { ok: false, reason: 'bad-grant' };
    return { ok: true, chain: grant.value.chain, payload };
  } finally {
    meeting.close();
  }
}
