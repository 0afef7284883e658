import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  bytesToHex,
  ErrorCode,
  hopKey,
  revocationTimes,
  revokedKeys,
  runSync,
  utf8ToBytes,
  type PublicKeyHex,
  type RoomId,
  type SyncStats,
  type ValidRevocation,
  type Verifier,
} from '@ihyid/shared';
import type { RecordKeys } from '../../storage/at-rest/keyring';
import type { Stores } from '../../storage/stores';
import type { DexieSyncStore, Provenance } from '../../storage/sync-store';
import { flagByKeys, flagReceived, flagScored } from '../../storage/duplicates';
import { authenticate, DeviceSyncError, failureCode, parseFrame, runTransport, type DeviceIdentity } from './device-link';
import { meet, MeetError, type MeetDeps } from './meet';
import { timed } from '../../storage/sync-timing';
import { countingOwnRevocations } from '../../identity/organisation';

/**
 * X4: one sync between two devices of this organisation (PROTOCOL.md §6.5). Whoever holds the
 * organisation's data key is one of its devices (pairing hands it over, §5.1), so the key names the
 * room and proves membership:
 *
 *   deviceKey = HKDF-SHA256(dataKey, info "ihyid/x4/devices/v1")
 *   room      = hex HMAC-SHA256(deviceKey, "ihyid-device-room-v1")
 *   proof     = hex HMAC-SHA256(deviceKey, "ihyid-device-auth-v1" LF canonical-JSON({v:2, from, to}))
 *
 * where `from` and `to` are the sender's and the receiver's DTLS fingerprints of this connection:
 * the server, which knows the room id only, can neither take a seat nor relay a connection of its
 * own. Each side sends `{type:'dev-auth', v: 2, proof, …}` first; anything else, another version or a wrong proof, ends the
 * link before any record moves. Then the sync of shared/src/sync runs over the same channel.
 */
export interface DeviceSyncResult extends SyncStats {
  /** Pending duplicate pairs the received contacts raised (R8). */
  readonly flagged: number;
  /** Characters this side sent and received on the data channel, proofs included (bench:sync reads them). */
  readonly chars: { readonly sent: number; readonly received: number };
}

export { authMessage, deviceProof, DEVICE_AUTH_TAG, DEVICE_SYNC_VERSION, DeviceSyncError, type DeviceIdentity } from './device-link';

export function deviceKeyOf(keys: RecordKeys): Uint8Array {
  const dataKey = keys.dataKeyCopy();
  try {
    return hkdf(sha256, dataKey, undefined, utf8ToBytes('ihyid/x4/devices/v1'), 32);
  } finally {
    dataKey.fill(0);
  }
}

export const deviceRoom = (deviceKey: Uint8Array): RoomId => bytesToHex(hmac(sha256, deviceKey, utf8ToBytes('ihyid-device-room-v1'))) as RoomId;

/** The keys this device knows to be revoked: the valid revocations it holds (shared `revokedKeys`). */
export async function heldRevocations(store: DexieSyncStore, org: PublicKeyHex, now: number, verify: Verifier): Promise<Set<PublicKeyHex>> {
  return revokedKeys(await validRevocations(store, org, now, verify));
}

/** I10, §6.7: each revoked key's prefix (shared `hopKey`) and when its revocation took effect, for the hops of received versions. */
export async function heldRevocationTimes(store: DexieSyncStore, org: PublicKeyHex, now: number, verify: Verifier): Promise<Map<string, number>> {
  return new Map([...revocationTimes(await validRevocations(store, org, now, verify))].map(([key, at]) => [hopKey(key), at]));
}

/** The held revocations that verify under the root and count by how they came (identity/organisation.ts). */
async function validRevocations(store: DexieSyncStore, org: PublicKeyHex, now: number, verify: Verifier): Promise<ValidRevocation[]> {
  return (await countingOwnRevocations(await store.revocationVersions(), org, now, verify)).map((held) => held.revocation);
}

/**
 * I10, §6.7: who hands a sync its versions (sync-store.ts `Provenance`): the device `dev-auth` proved,
 * and the revocations held when the versions arrive.
 */
export function provenanceOf(store: DexieSyncStore, self: DeviceIdentity, peer: PublicKeyHex, deps: { now(): Date; verify: Verifier }): Provenance {
  const now = () => deps.now().getTime();
  return { peer, now, revokedAt: () => heldRevocationTimes(store, self.org, now(), deps.verify) };
}

/**
 * I10, §6.7: after a sync, the revocations now held remove what a revoked device handed on after its
 * revocation, through devices that had not heard of it yet (`purgeRevoked`).
 */
export async function purgeRevoked(store: DexieSyncStore, self: DeviceIdentity, deps: { now(): Date; verify: Verifier }): Promise<number> {
  return store.purgeRevoked(await heldRevocationTimes(store, self.org, deps.now().getTime(), deps.verify));
}

/**
 * The Devices screen's one-off sync: waits in the organisation's device room for another of its
 * devices (or finds one there), proves and checks membership, syncs both ways, then checks what
 * arrived for duplicates. `signal` gives up.
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
    meeting = await timed('meet', () => meet(deps, deviceRoom(deviceKey), signal, onWaiting));
  } catch (error) {
    deviceKey.fill(0);
    throw new DeviceSyncError(error instanceof MeetError ? error.code : ErrorCode.Internal);
  }
  const { link, initiator } = meeting;
  try {
    // Frames after the other side's proof wait in the transport until the sync listens, which is after the check.
    const transport = runTransport(link.channel);
    const peer = await timed('auth', () => authenticate(link, deviceKey, self, async () => {
      const now = deps.now().getTime();
      return { now, verify: deps.verify, revoked: await heldRevocations(store, self.org, now, deps.verify) };
    }, (frame) => transport.deliver(parseFrame(frame))));
    // Contacts this device's import wrote since the last sync, and rows of the other replicated tables, get their versions now.
    await timed('adopt', () => store.adopt());
    await timed('capture', () => store.tables.captureChanged());
    const session = store.forSync(provenanceOf(store, self, peer, deps));
    const done = await timed('run', () => runSync({ transport, store: session, initiator }));
    if (!done.ok) {
      // What a failed sync had stored is checked too: the next sync will not bring it again.
      await session.settled();
      // A revocation it brought removes what the revoked device handed on, failed sync or not.
      await purgeRevoked(store, self, deps);
      await flagReceived(deps.stores.contacts, session.received, deps.now());
      throw new DeviceSyncError(failureCode(done.error));
    }
    await timed('purge', () => purgeRevoked(store, self, deps));
    // By shared keys before the sync reports (index reads only); the blocking terms and the scorer follow
    // in the background, and what they find joins the Duplicates review (as after an automatic sync).
    const flagged = await timed('flag', () => flagByKeys(deps.stores.contacts, session.received, deps.now()));
    void flagScored(deps.stores.contacts, session.received, deps.now()).catch(() => undefined);
    return { ...done.value, flagged, chars: link.traffic() };
  } finally {
    deviceKey.fill(0);
    meeting.close();
  }
}
