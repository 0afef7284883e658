import * as v from 'valibot';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  bytesToHex,
  dtlsFingerprints,
  ErrorCode,
  hexToBytes,
  KeyHexSchema,
  MAX_CHAIN,
  err,
  parseSyncMessage,
  protocolError,
  runSync,
  utf8ToBytes,
  verifyDeviceChain,
  wireMessage,
  type DeviceCert,
  type PeerChannel,
  type ProtocolError,
  type PublicKeyHex,
  type Result,
  type Signer,
  type SyncMessage,
  type SyncStats,
  type SyncTransport,
  type Verifier,
} from '@ihyid/shared';
import type { WebRtcLink } from '../../network/webrtc-channel';
import type { SyncSession } from '../../storage/sync-store';

/**
 * X4, I10: what two devices of one organisation say on a fresh data channel before any record moves
 * (PROTOCOL.md §6.5), and the syncs that then run on it one after another for as long as it stays
 * open (§6.6). Used by the Devices screen's one-off sync (device-sync.ts) and by the automatic sync
 * (auto-sync.ts).
 */
export const DEVICE_AUTH_TAG = 'ihyid-device-auth-v1';

export class DeviceSyncError extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
  }
}

/** Who this device is (I10): its key, its chain (empty on the root device) and the organisation's root. */
export interface DeviceIdentity {
  readonly signer: Signer;
  readonly chain: readonly DeviceCert[];
  readonly org: PublicKeyHex;
}

/** Keys in sorted order and strings only: this JSON is its canonical form (RFC 8785). */
/**
 * The version of the sync between devices (§6.5–6.7) a device speaks: 2 since versions carry their
 * hops (`via`, §6.7). A device of version 1 neither sends nor checks hops, so it is refused before
 * any record moves (`incompatible-version`), and the version is in the transcript both sides prove.
 */
export const DEVICE_SYNC_VERSION = 2;

export const authMessage = (from: readonly string[], to: readonly string[]): Uint8Array => utf8ToBytes(`${DEVICE_AUTH_TAG}\n${JSON.stringify({ from, to, v: DEVICE_SYNC_VERSION })}`);

export function deviceProof(deviceKey: Uint8Array, from: readonly string[], to: readonly string[]): string {
  return bytesToHex(hmac(sha256, deviceKey, authMessage(from, to)));
}

const AuthFrame = v.strictObject({
  type: v.literal('dev-auth'),
  v: v.literal(DEVICE_SYNC_VERSION),
  proof: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
  key: KeyHexSchema,
  chain: v.pipe(v.array(v.unknown()), v.maxLength(MAX_CHAIN)),
  sig: v.pipe(v.string(), v.regex(/^[0-9a-f]{128}$/)),
});

export interface AuthContext {
  readonly now: number;
  readonly verify: Verifier;
  /** The keys this device knows to be revoked (device-sync.ts `heldRevocations`). */
  readonly revoked: ReadonlySet<PublicKeyHex>;
}

/**
 * The other side's first frame: the proof of the data key, then its key's signature over the same
 * transcript and a chain making that key a device of our organisation that no held revocation names
 * (the root itself has no chain and cannot be revoked). Resolves with the other device's key, or the
 * code that refuses it.
 */
async function check(raw: unknown, expected: string, message: Uint8Array, self: DeviceIdentity, ctx: AuthContext): Promise<{ key: PublicKeyHex } | { refused: ErrorCode }> {
  const spoken = v.safeParse(v.looseObject({ type: v.literal('dev-auth'), v: v.optional(v.unknown()) }), raw);
  if (spoken.success && spoken.output.v !== DEVICE_SYNC_VERSION) return { refused: ErrorCode.IncompatibleVersion };
  const frame = v.safeParse(AuthFrame, raw);
  if (!frame.success || frame.output.proof !== expected) return { refused: ErrorCode.HandshakeFailed };
  const { key, chain, sig } = frame.output;
  if (!(await ctx.verify(key, message, hexToBytes(sig)))) return { refused: ErrorCode.HandshakeFailed };
  if (key === self.org && chain.length === 0) return { key };
  const device = await verifyDeviceChain(chain, { org: self.org, now: ctx.now, verify: ctx.verify, revoked: ctx.revoked });
  if (!device.ok) return { refused: device.error === 'revoked' ? ErrorCode.PeerRevoked : ErrorCode.HandshakeFailed };
  return device.value.device === key ? { key } : { refused: ErrorCode.HandshakeFailed };
}

/**
 * Sends our `dev-auth` and checks the other side's; every frame after theirs goes to `rest`, in
 * order. Resolves with the other device's key; on a refusal, tells the other side why in the sync's
 * own words (`sync-abort`) and throws a DeviceSyncError, before anything of the store leaves.
 * `context` is read once their frame has arrived (it may read the store).
 */
export async function authenticate(link: WebRtcLink, deviceKey: Uint8Array, self: DeviceIdentity, context: () => Promise<AuthContext>, rest: (frame: unknown) => void): Promise<PublicKeyHex> {
  const local = dtlsFingerprints(link.localSdp());
  const remote = dtlsFingerprints(link.remoteSdp());
  if (local.length === 0 || remote.length === 0) throw new DeviceSyncError(ErrorCode.Internal);
  let gotFirst = false;
  const firstFrame = new Promise<unknown>((resolve, reject) => {
    link.channel.onClose(() => reject(new DeviceSyncError(ErrorCode.PeerClosed)));
    link.channel.onMessage((frame) => {
      if (gotFirst) return rest(frame);
      gotFirst = true;
      try {
        resolve(typeof frame === 'string' ? (JSON.parse(frame) as unknown) : null);
      } catch {
        resolve(null);
      }
    });
  });
  firstFrame.catch(() => undefined);
  const ours = authMessage(local, remote);
  link.channel.send(JSON.stringify({ type: 'dev-auth', v: DEVICE_SYNC_VERSION, proof: deviceProof(deviceKey, local, remote), key: self.signer.publicKey, chain: self.chain, sig: bytesToHex(await self.signer.sign(ours)) }));
  const theirs = await firstFrame;
  // Read once their frame is here, not before: a revocation that replicated while we waited counts.
  const ctx = await context();
  const outcome = await check(theirs, deviceProof(deviceKey, remote, local), authMessage(remote, local), self, ctx);
  if ('refused' in outcome) {
    link.channel.send(JSON.stringify({ type: 'sync-abort', code: outcome.refused }));
    await link.channel.drained?.();
    throw new DeviceSyncError(outcome.refused);
  }
  return outcome.key;
}

/** The code a failed sync reports: the other device refusing ours as revoked means this one is. */
export function failureCode(error: ProtocolError): ErrorCode {
  const theirs = error.code === ErrorCode.PeerError ? error.detail : undefined;
  return theirs === ErrorCode.PeerRevoked ? ErrorCode.SelfRevoked : error.code;
}

/**
 * A SyncTransport for one sync over the channel: frames given to `deliver` are held, in order, until
 * the sync has subscribed and queued the read of its store (runSync subscribes first; a round handled
 * before that would be answered from an empty index).
 */
export function runTransport(channel: PeerChannel): SyncTransport & { deliver(message: SyncMessage | null): void } {
  const handlers = new Set<(message: SyncMessage | null) => void>();
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
    deliver(message) {
      if (!ready) held.push(message);
      else for (const h of handlers) h(message);
    },
    onMessage(handler) {
      handlers.add(handler);
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

/** Parses one frame of the channel as a sync message (null: malformed, which ends the sync). */
export function parseFrame(frame: unknown): SyncMessage | null {
  try {
    return typeof frame === 'string' ? parseSyncMessage(JSON.parse(frame) as unknown) : null;
  } catch {
    return null;
  }
}

/** The answering side's request for another sync: it holds something new (§6.6). */
export const AGAIN_FRAME = JSON.stringify({ type: 'dev-again' });

export interface LinkHooks {
  /** Before each sync this side takes part in; a DeviceSyncError it throws refuses the sync and is told to the other side. */
  before?(): Promise<void>;
  /** After each sync, with the contacts it brought (SyncSession); a failed one has closed the link. */
  after(result: Result<SyncStats, ProtocolError>, received: SyncSession['received']): void;
}

/**
 * Syncs, one after another, on an authenticated channel between two devices that stay online (§6.6).
 * Only the side that made the WebRTC offer starts one, so two never cross; the other side asks with
 * `dev-again` and answers every opening round. A side's frames of one sync end with its `sync-end` (or
 * `sync-abort`): whatever follows belongs to the next. A sync that fails closes the link.
 */
export class DeviceLink {
  private current: { deliver(message: SyncMessage | null): void; peerEnded: boolean } | null = null;
  private readonly queued: (SyncMessage | null)[] = [];
  private again = false;
  private closed = false;

  constructor(
    private readonly channel: PeerChannel,
    private readonly store: { forSync(): SyncSession },
    readonly initiator: boolean,
    private readonly hooks: LinkHooks,
  ) {
    channel.onClose(() => (this.closed = true));
  }

  /** Every frame after the other side's `dev-auth`. */
  readonly deliver = (frame: unknown): void => {
    if (frame === AGAIN_FRAME) return this.initiator ? this.request() : this.close();
    this.route(parseFrame(frame));
  };

  /** This side holds something the other may lack: a sync now, or right after the one running. */
  request(): void {
    if (this.closed) return;
    if (!this.initiator) return this.channel.send(AGAIN_FRAME);
    if (this.current) this.again = true;
    else this.start();
  }

  close(): void {
    this.closed = true;
    this.channel.close();
  }

  private route(message: SyncMessage | null): void {
    const run = this.current;
    if (run && !run.peerEnded) {
      if (message === null || message.type === 'sync-end' || message.type === 'sync-abort') run.peerEnded = true;
      return run.deliver(message);
    }
    // Between two syncs only the initiator's opening round may come: the initiator expects nothing.
    if (this.initiator) return this.close();
    this.queued.push(message);
    if (!run) this.start();
  }

  private start(): void {
    const transport = runTransport(this.channel);
    const session = this.store.forSync();
    this.current = { deliver: transport.deliver, peerEnded: false };
    for (const message of this.queued.splice(0)) this.route(message);
    void (this.hooks.before?.() ?? Promise.resolve())
      .then(() => runSync({ transport, store: session, initiator: this.initiator }))
      .catch(async (error: unknown) => {
        if (!(error instanceof DeviceSyncError)) return err(protocolError(ErrorCode.Internal, String(error)));
        // `before` refused this sync (I10: the other device was revoked since the link opened): say
        // why in the sync's own words, as a refusal at authentication does, before the link closes.
        // The other side may have closed the channel meanwhile (a revoked device stops at once): then
        // there is nobody left to tell, and the refusal stands.
        try {
          this.channel.send(JSON.stringify({ type: 'sync-abort', code: error.code }));
          await this.channel.drained?.();
        } catch {
          // closed
        }
        return err(protocolError(error.code));
      })
      // A failed sync may leave a write in flight: `after` sees what it stored.
      .then(async (result) => (result.ok ? result : session.settled().then(() => result)))
      .then((result) => {
        this.current = null;
        if (!result.ok) this.close();
        this.hooks.after(result, session.received);
        if (this.closed) return;
        if (this.initiator && this.again) {
          this.again = false;
          this.start();
        } else if (!this.initiator && this.queued.length > 0) this.start();
      });
  }
}
