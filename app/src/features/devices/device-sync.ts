import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as v from 'valibot';
import {
  bytesToHex,
  hexToBytes,
  KeyHexSchema,
  MAX_CHAIN,
  revokedKeys,
  validateRevocation,
  verifyDeviceChain,
  type DeviceCert,
  type PublicKeyHex,
  type Signer,
  type ValidRevocation,
  type Verifier,
  dtlsFingerprints,
  ErrorCode,
  parseSyncMessage,
  runSync,
  utf8ToBytes,
  wireMessage,
  type PeerChannel,
  type RoomId,
  type SyncMessage,
  type SyncStats,
  type SyncTransport,
} from '@ihyid/shared';
import type { RecordKeys } from '../../storage/at-rest/keyring';
import type { Stores } from '../../storage/stores';
import type { DexieSyncStore } from '../../storage/sync-store';
import { flagReceived } from '../../storage/duplicates';
import { meet, MeetError, type MeetDeps } from './meet';

/**
 * X4: one sync between two devices of this organisation (PROTOCOL.md §6.5). Whoever holds the
 * organisation's data key is one of its devices (pairing hands it over, §5.1), so the key names the
 * room and proves membership:
 *
 *   deviceKey = HKDF-SHA256(dataKey, info "ihyid/x4/devices/v1")
 *   room      = hex HMAC-SHA256(deviceKey, "ihyid-device-room-v1")
 *   proof     = hex HMAC-SHA256(deviceKey, "ihyid-device-auth-v1" LF canonical-JSON({v:1, from, to}))
 *
 * where `from` and `to` are the sender's and the receiver's DTLS fingerprints of this connection:
 * the server, which knows the room id only, can neither take a seat nor relay a connection of its
 * own. Each side sends `{type:'dev-auth', proof}` first; anything else, or a wrong proof, ends the
 * link before any record moves. Then the sync of shared/src/sync runs over the same channel.
 */
export const DEVICE_AUTH_TAG = 'ihyid-device-auth-v1';

export interface DeviceSyncResult extends SyncStats {
  /** Pending duplicate pairs the received contacts raised (R8). */
  readonly flagged: number;
  /** Characters this side sent and received on the data channel, proofs included (bench:sync reads them). */
  readonly chars: { readonly sent: number; readonly received: number };
}

export class DeviceSyncError extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
  }
}

export function deviceKeyOf(keys: RecordKeys): Uint8Array {
  const dataKey = keys.dataKeyCopy();
  try {
    return hkdf(sha256, dataKey, undefined, utf8ToBytes('ihyid/x4/devices/v1'), 32);
  } finally {
    dataKey.fill(0);
  }
}

export const deviceRoom = (deviceKey: Uint8Array): RoomId => bytesToHex(hmac(sha256, deviceKey, utf8ToBytes('ihyid-device-room-v1'))) as RoomId;

/** Keys in sorted order and strings only: this JSON is its canonical form (RFC 8785). */
export const authMessage = (from: readonly string[], to: readonly string[]): Uint8Array => utf8ToBytes(`${DEVICE_AUTH_TAG}\n${JSON.stringify({ from, to, v: 1 })}`);

export function deviceProof(deviceKey: Uint8Array, from: readonly string[], to: readonly string[]): string {
  return bytesToHex(hmac(sha256, deviceKey, authMessage(from, to)));
}

/** The SyncTransport of a data channel whose first frame each way was the proof. */
function channelTransport(channel: PeerChannel): SyncTransport & { deliver(frame: unknown): void } {
  const handlers = new Set<(message: SyncMessage | null) => void>();
  // Frames after the proof are held, in order, until the sync has subscribed and read its store.
  const held: (SyncMessage | null)[] = [];
  let ready = false;
  // Once the other side has closed, what we would still send is dropped: the close, and any abort it
  // sent before it, are what the sync reports.
  let closed = false;
  channel.onClose(() => (closed = true));
  return {
    send: (message) => {
      if (!closed) channel.send(JSON.stringify(wireMessage(message)));
    },
    deliver(frame) {
      let parsed: SyncMessage | null = null;
      try {
        parsed = typeof frame === 'string' ? parseSyncMessage(JSON.parse(frame) as unknown) : null;
      } catch {
        parsed = null;
      }
      if (!ready) held.push(parsed);
      else for (const h of handlers) h(parsed);
    },
    onMessage(handler) {
      handlers.add(handler);
      // After the caller has finished wiring up: runSync subscribes first and queues the read of its
      // store next; a round handled before that would be answered from an empty index.
      void Promise.resolve().then(() => {
        ready = true;
        for (const message of held.splice(0)) for (const h of handlers) h(message);
      });
      return () => handlers.delete(handler);
    },
    onClose: (handler) => channel.onClose(handler),
    drained: () => channel.drained?.() ?? Promise.resolve(),
  };
}

/**
 * Waits in the organisation's device room for another of its devices (or finds one there), proves
 * and checks membership, syncs both ways, then checks what arrived for duplicates. `signal` gives up.
 */
/** Who this device is (I10): its key, its chain (empty on the root device) and the organisation's root. */
export interface DeviceIdentity {
  readonly signer: Signer;
  readonly chain: readonly DeviceCert[];
  readonly org: PublicKeyHex;
}

const AuthFrame = v.strictObject({
  type: v.literal('dev-auth'),
  proof: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  key: KeyHexSchema,
  chain: v.pipe(v.array(v.unknown()), v.maxLength(MAX_CHAIN)),
  sig: v.pipe(v.string(), v.regex(/^[0-9a-f]{128}$/)),
});

/**
 * The other side's first frame: the proof of the data key, then its key's signature over the same
 * transcript and a chain making that key a device of our organisation that no held revocation names
 * (the root itself has no chain and cannot be revoked). Resolves with the code that refuses it, or null.
 */
async function refusal(raw: unknown, expected: string, message: Uint8Array, self: DeviceIdentity, ctx: { now: number; verify: Verifier; revoked: ReadonlySet<PublicKeyHex> }): Promise<ErrorCode | null> {
  const frame = v.safeParse(AuthFrame, raw);
  if (!frame.success || frame.output.proof !== expected) return ErrorCode.HandshakeFailed;
  const { key, chain, sig } = frame.output;
  if (!(await ctx.verify(key, message, hexToBytes(sig)))) return ErrorCode.HandshakeFailed;
  if (key === self.org && chain.length === 0) return null;
  const device = await verifyDeviceChain(chain, { org: self.org, now: ctx.now, verify: ctx.verify, revoked: ctx.revoked });
  if (!device.ok) return device.error === 'revoked' ? ErrorCode.PeerRevoked : ErrorCode.HandshakeFailed;
  return device.value.device === key ? null : ErrorCode.HandshakeFailed;
}

/** The keys this device knows to be revoked: the valid revocations it holds (shared `revokedKeys`). */
export async function heldRevocations(store: DexieSyncStore, org: PublicKeyHex, now: number, verify: Verifier): Promise<Set<PublicKeyHex>> {
  const valid: ValidRevocation[] = [];
  for (const raw of await store.revocations()) {
    const checked = await validateRevocation(raw, { org, now, verify });
    if (checked.ok) valid.push(checked.value);
  }
  return revokedKeys(valid);
}

/**
 * Waits in the organisation's device room for another of its devices (or finds one there), proves
 * and checks membership, syncs both ways, then checks what arrived for duplicates. `signal` gives up.
 */
export async function syncWithDevice(
  deps: MeetDeps & { stores: Stores; now(): Date; verify: Verifier },
  keys: RecordKeys,
  self: DeviceIdentity,
  signal: AbortSignal,
  onWaiting?: () => void,
): Promise<DeviceSyncResult> {
  const store = deps.stores.sync;
  if (!store) throw new DeviceSyncError(ErrorCode.Internal);
  const deviceKey = deviceKeyOf(keys);
  let meeting;
  try {
    meeting = await meet(deps, deviceRoom(deviceKey), signal, onWaiting);
  } catch (error) {
    deviceKey.fill(0);
    throw new DeviceSyncError(error instanceof MeetError ? error.code : ErrorCode.Internal);
  }
  const { link, initiator } = meeting;
  try {
    const local = dtlsFingerprints(link.localSdp());
    const remote = dtlsFingerprints(link.remoteSdp());
    if (local.length === 0 || remote.length === 0) throw new DeviceSyncError(ErrorCode.Internal);
    // Frames after the first wait in the transport until the sync listens, which is after the check.
    const transport = channelTransport(link.channel);
    let gotFirst = false;
    const firstFrame = new Promise<unknown>((resolve, reject) => {
      link.channel.onClose(() => reject(new DeviceSyncError(ErrorCode.PeerClosed)));
      link.channel.onMessage((frame) => {
        if (gotFirst) return transport.deliver(frame);
        gotFirst = true;
        try {
          resolve(typeof frame === 'string' ? (JSON.parse(frame) as unknown) : null);
        } catch {
          resolve(null);
        }
      });
    });
    const ours = authMessage(local, remote);
    link.channel.send(
      JSON.stringify({ type: 'dev-auth', proof: deviceProof(deviceKey, local, remote), key: self.signer.publicKey, chain: self.chain, sig: bytesToHex(await self.signer.sign(ours)) }),
    );
    const now = deps.now().getTime();
    const revoked = await heldRevocations(store, self.org, now, deps.verify);
    // Nothing of the store leaves before the other side has proven the data key and a valid, unrevoked certificate.
    const refused = await refusal(await firstFrame, deviceProof(deviceKey, remote, local), authMessage(remote, local), self, { now, verify: deps.verify, revoked });
    if (refused) {
      // Said in the sync's own words, so the refused device reads why (below: a sync-abort it receives).
      link.channel.send(JSON.stringify({ type: 'sync-abort', code: refused }));
      await link.channel.drained?.();
      throw new DeviceSyncError(refused);
    }
    // Contacts this device's import wrote since the last sync get their first version now.
    await store.adopt();
    const done = await runSync({ transport, store, initiator });
    if (!done.ok) {
      // The other device refused ours as revoked: this device is the one revoked.
      const theirs = done.error.code === ErrorCode.PeerError ? done.error.detail : undefined;
      throw new DeviceSyncError(theirs === ErrorCode.PeerRevoked ? ErrorCode.SelfRevoked : done.error.code);
    }
    const flagged = await flagReceived(deps.stores.contacts, store.takeReceived(), deps.now());
    return { ...done.value, flagged, chars: link.traffic() };
  } finally {
    deviceKey.fill(0);
    meeting.close();
  }
}
