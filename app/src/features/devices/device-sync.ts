import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  bytesToHex,
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

export function deviceProof(deviceKey: Uint8Array, from: readonly string[], to: readonly string[]): string {
  // Keys in sorted order and strings only: this JSON is its canonical form (RFC 8785).
  return bytesToHex(hmac(sha256, deviceKey, utf8ToBytes(`${DEVICE_AUTH_TAG}\n${JSON.stringify({ from, to, v: 1 })}`)));
}

/** The SyncTransport of a data channel whose first frame each way was the proof. */
function channelTransport(channel: PeerChannel): SyncTransport & { deliver(frame: unknown): void } {
  const handlers = new Set<(message: SyncMessage | null) => void>();
  // Frames after the proof and before the sync listens are held, in order.
  const held: (SyncMessage | null)[] = [];
  return {
    send: (message) => channel.send(JSON.stringify(wireMessage(message))),
    deliver(frame) {
      let parsed: SyncMessage | null = null;
      try {
        parsed = typeof frame === 'string' ? parseSyncMessage(JSON.parse(frame) as unknown) : null;
      } catch {
        parsed = null;
      }
      if (handlers.size === 0) held.push(parsed);
      else for (const h of handlers) h(parsed);
    },
    onMessage(handler) {
      handlers.add(handler);
      for (const message of held.splice(0)) handler(message);
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
export async function syncWithDevice(
  deps: MeetDeps & { stores: Stores; now(): Date },
  keys: RecordKeys,
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
    // Contacts this device's import wrote since the last sync get their first version now.
    await store.adopt();
    const local = dtlsFingerprints(link.localSdp());
    const remote = dtlsFingerprints(link.remoteSdp());
    if (local.length === 0 || remote.length === 0) throw new DeviceSyncError(ErrorCode.Internal);
    const expected = deviceProof(deviceKey, remote, local);
    const transport = channelTransport(link.channel);
    let authed = false;
    const proven = new Promise<void>((resolve, reject) => {
      link.channel.onClose(() => reject(new DeviceSyncError(ErrorCode.PeerClosed)));
      link.channel.onMessage((frame) => {
        if (authed) return transport.deliver(frame);
        let proof: unknown;
        try {
          proof = typeof frame === 'string' ? (JSON.parse(frame) as { type?: unknown; proof?: unknown }) : null;
        } catch {
          proof = null;
        }
        const p = proof as { type?: unknown; proof?: unknown } | null;
        if (p?.type !== 'dev-auth' || p.proof !== expected) return reject(new DeviceSyncError(ErrorCode.HandshakeFailed));
        authed = true;
        resolve();
      });
    });
    link.channel.send(JSON.stringify({ type: 'dev-auth', proof: deviceProof(deviceKey, local, remote) }));
    // Nothing of the store leaves before the other side has proven it holds the data key.
    await proven;
    const done = await runSync({ transport, store, initiator });
    if (!done.ok) throw new DeviceSyncError(done.error.code);
    const flagged = await flagReceived(deps.stores.contacts, store.takeReceived(), deps.now());
    return { ...done.value, flagged };
  } finally {
    deviceKey.fill(0);
    meeting.close();
  }
}
