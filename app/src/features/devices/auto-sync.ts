import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, ErrorCode, utf8ToBytes, type PublicKeyHex, type RoomId, type Verifier } from '@ihyid/shared';
import type { RecordKeys } from '../../storage/at-rest/keyring';
import { flagReceived } from '../../storage/duplicates';
import type { Stores } from '../../storage/stores';
import type { DexieSyncStore } from '../../storage/sync-store';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from '../../network/backoff';
import { authenticate, DeviceLink, DeviceSyncError, failureCode, parseFrame, type DeviceIdentity, type LinkHooks } from './device-link';
import { deviceKeyOf, heldRevocations, provenanceOf, purgeRevoked } from './device-sync';
import { pairedDevices } from './device-settings';
import { meet, MeetError, type MeetDeps } from './meet';

/**
 * X4: automatic sync (PROTOCOL.md §6.6). While the device is unlocked, it waits for each other
 * device of its organisation it knows of in the room of that pair, keeps the data channel open while
 * both are online, syncs as soon as they meet, again whenever its versions change (its own writes,
 * versions another device sent, debounced), and meets again after the link or the server went away
 * (back-off). A lock reloads the page, which ends all of it.
 *
 * Rooms are per pair because the server seats two per room: every pair of online devices has its
 * own link, so versions a device received from one are forwarded to the others at once.
 *
 *   room(X, Y) = hex HMAC-SHA256(deviceKey, "ihyid-device-pair-room-v1" LF min(X, Y) LF max(X, Y))
 */
export const pairRoom = (deviceKey: Uint8Array, a: string, b: string): RoomId => {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return bytesToHex(hmac(sha256, deviceKey, utf8ToBytes(`ihyid-device-pair-room-v1\n${lo}\n${hi}`))) as RoomId;
};

export interface AutoSyncDeps extends MeetDeps {
  readonly stores: Stores & { sync: DexieSyncStore };
  now(): Date;
  readonly verify: Verifier;
  randomBytes(n: number): Uint8Array;
}

export interface AutoSyncOptions {
  readonly backoff?: BackoffOptions;
  /** How long local changes gather before a sync starts. */
  readonly debounceMs?: number;
}

/** What the sync indicator shows. `revoked`: the organisation revoked this device; it syncs no more. */
export interface AutoSyncView {
  readonly status: 'starting' | 'offline' | 'waiting' | 'connected' | 'revoked';
  /** Devices connected now. */
  readonly connected: number;
  readonly syncing: boolean;
  /** Versions this device holds that no completed sync has seen (stamped after the last one). */
  readonly pending: number;
  readonly lastSync: string | null;
}

type PeerState = 'waiting' | 'offline' | 'connected';

/** One other device: meets it in the pair's room, again and again, until stopped. */
class PeerLoop {
  state: PeerState = 'waiting';
  link: DeviceLink | null = null;
  private readonly abort = new AbortController();
  private readonly backoff: Backoff;
  private stopped = false;
  /** Waiting out the back-off (not in a meeting). */
  private scheduled = false;

  constructor(
    private readonly syncer: AutoSync,
    readonly peer: PublicKeyHex,
  ) {
    this.backoff = new Backoff(syncer.options.backoff ?? DEFAULT_BACKOFF, syncer.deps.randomBytes);
  }

  start(): void {
    void this.once().then(
      () => this.retry(),
      (error: unknown) => {
        const code = error instanceof DeviceSyncError || error instanceof MeetError ? error.code : ErrorCode.Internal;
        if (code === ErrorCode.SelfRevoked) return this.syncer.revokedSelf();
        // I10: a revoked device is refused at every meeting (with back-off) until it has read why and
        // stopped: a refusal it missed (the link closing first) is said again at the next one.
        this.set(code === ErrorCode.SignalingUnavailable ? 'offline' : 'waiting');
        this.retry();
      },
    );
  }

  /** The network came back: a loop waiting out its back-off tries at once (one meeting at a time: a loop in a room stays there). */
  retryNow(): void {
    if (!this.scheduled || this.stopped) return;
    this.backoff.cancel();
    this.backoff.reset();
    this.retry();
  }

  stop(): void {
    this.stopped = true;
    this.backoff.cancel();
    this.abort.abort();
    this.link?.close();
    this.set('waiting');
  }

  private retry(): void {
    if (this.stopped) return;
    this.scheduled = true;
    this.backoff.schedule(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private set(state: PeerState): void {
    this.state = state;
    this.syncer.changed();
  }

  /** One meeting: resolves when its link closes. */
  private async once(): Promise<void> {
    const { deps, self } = this.syncer;
    const deviceKey = deviceKeyOf(this.syncer.keys);
    let meeting;
    try {
      meeting = await meet(deps, pairRoom(deviceKey, self.signer.publicKey, this.peer), this.abort.signal, () => this.set('waiting'));
    } catch (error) {
      deviceKey.fill(0);
      throw error;
    }
    try {
      const { link: webrtc, initiator } = meeting;
      const closed = new Promise<void>((resolve) => webrtc.channel.onClose(resolve));
      // Frames after the other's proof wait here until it is checked: none may reach the sync before.
      const early: unknown[] = [];
      let sink: (frame: unknown) => void = (frame) => void early.push(frame);
      let isClosed = false;
      webrtc.channel.onClose(() => (isClosed = true));
      const peer = await authenticate(webrtc, deviceKey, self, () => this.syncer.authContext(), (frame) => sink(frame));
      if (peer !== this.peer) throw new DeviceSyncError(ErrorCode.HandshakeFailed);
      // Contacts the import worker wrote (it makes no versions) and rows of the replicated tables get
      // their versions before the first sync.
      await deps.stores.sync.adopt();
      await deps.stores.sync.tables.captureChanged();
      // The other side refused us right after its proof: read why before anything else.
      const refusal = early.map(parseFrame).find((m) => m?.type === 'sync-abort');
      if (refusal?.type === 'sync-abort') throw new DeviceSyncError(refusal.code === ErrorCode.PeerRevoked ? ErrorCode.SelfRevoked : refusal.code);
      if (isClosed) throw new DeviceSyncError(ErrorCode.PeerClosed);
      // I10, §6.7: every version this link brings is marked as handed on by `peer`, and refused if a revoked device handed it on.
      const sessions = { forSync: () => deps.stores.sync.forSync(provenanceOf(deps.stores.sync, self, peer, deps)) };
      const link = new DeviceLink(webrtc.channel, sessions, initiator, { before: () => this.syncer.before(this.peer), after: (result, received) => this.syncer.after(result, received) });
      this.link = link;
      this.backoff.reset();
      this.set('connected');
      // The initiator's first sync starts before the early frames arrive (an abort among them is its answer).
      link.request();
      sink = link.deliver;
      for (const frame of early.splice(0)) link.deliver(frame);
      if (this.stopped) link.close();
      await closed;
    } finally {
      deviceKey.fill(0);
      this.link = null;
      meeting.close();
      if (!this.stopped) this.set('waiting');
    }
  }
}

/**
 * The automatic sync of one unlocked device: a plain class rendered through useSyncExternalStore
 * (the sync indicator), started once by the app shell (sync-context.tsx) and stopped on unmount.
 */
export class AutoSync {
  private readonly loops = new Map<PublicKeyHex, PeerLoop>();
  private readonly listeners = new Set<() => void>();
  private view: AutoSyncView = { status: 'starting', connected: 0, syncing: false, pending: 0, lastSync: null };
  private running = 0;
  private revoked = false;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unwatch: (() => void) | null = null;
  private readonly dirty = new Set<string>();

  constructor(
    readonly deps: AutoSyncDeps,
    readonly keys: RecordKeys,
    readonly self: DeviceIdentity,
    readonly options: AutoSyncOptions = {},
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): AutoSyncView => this.view;

  async start(): Promise<void> {
    this.view = { ...this.view, lastSync: await this.deps.stores.sync.lastSynced() };
    await this.refresh();
    if (!this.stopped) this.unwatch = this.deps.stores.sync.watch((tables) => this.onMutated(tables));
  }

  stop(): void {
    this.stopped = true;
    this.unwatch?.();
    if (this.timer !== null) clearTimeout(this.timer);
    for (const loop of this.loops.values()) loop.stop();
    this.loops.clear();
  }

  /** Sync now with every connected device, and try at once to reach the others (the network came back, or a button). */
  syncNow(): void {
    for (const loop of this.loops.values()) {
      if (loop.link) loop.link.request();
      else loop.retryNow();
    }
  }

  /** The other devices this one should meet: the root and every paired device it heard of, minus itself. */
  async refresh(): Promise<void> {
    if (this.stopped || this.revoked) return;
    const ctx = await this.authContext();
    const mine = this.self.signer.publicKey;
    if (ctx.revoked.has(mine)) return this.revokedSelf();
    const store = this.deps.stores.sync;
    const keys = new Set<PublicKeyHex>([this.self.org, ...(await store.devices()).map((d) => d.key as PublicKeyHex), ...(await pairedDevices(this.deps.stores.settings)).map((d) => d.key)]);
    // I10: a revoked device is still met, to be refused each time until it reads why and stops;
    // a link open when the revocation arrived is closed, so that it meets again and is refused.
    for (const [key, loop] of this.loops) if (ctx.revoked.has(key)) loop.link?.close();
    for (const key of keys) {
      if (key === mine || this.loops.has(key) || this.stopped) continue;
      const loop = new PeerLoop(this, key);
      this.loops.set(key, loop);
      loop.start();
    }
    this.changed();
  }

  async authContext() {
    const now = this.deps.now().getTime();
    return { now, verify: this.deps.verify, revoked: await heldRevocations(this.deps.stores.sync, this.self.org, now, this.deps.verify) };
  }

  /**
   * I10: every sync with `peer` starts by checking it against the revocations held now, not only when
   * the link was authenticated: one that replicated meanwhile (from a third device, while the link
   * was open or still authenticating) refuses the sync, and the other side reads why.
   */
  async before(peer: PublicKeyHex): Promise<void> {
    this.running++;
    this.changed();
    if ((await this.authContext()).revoked.has(peer)) throw new DeviceSyncError(ErrorCode.PeerRevoked);
  }

  after(result: Parameters<LinkHooks['after']>[0], received: Parameters<LinkHooks['after']>[1]): void {
    this.running--;
    if (!result.ok) {
      if (failureCode(result.error) === ErrorCode.SelfRevoked) this.revokedSelf();
      // A revocation a failed sync stored removes what the revoked device handed on (§6.7), and what
      // it had stored is checked too: the next sync will not bring it again.
      void purgeRevoked(this.deps.stores.sync, this.self, this.deps).catch(() => undefined);
      if (received.size > 0) void flagReceived(this.deps.stores.contacts, received, this.deps.now()).catch(() => undefined);
      return this.changed();
    }
    void (async () => {
      const now = this.deps.now();
      await this.deps.stores.sync.markSynced(now);
      // I10, §6.7: a revocation this sync brought removes what the revoked device handed on meanwhile.
      await purgeRevoked(this.deps.stores.sync, this.self, this.deps);
      this.view = { ...this.view, lastSync: now.toISOString() };
      // R8: what arrived is checked for duplicates as a save checks it.
      if (received.size > 0) await flagReceived(this.deps.stores.contacts, received, now);
      this.changed();
    })().catch(() => this.changed()); // stopped meanwhile (the database closes with the page)
  }

  revokedSelf(): void {
    this.revoked = true;
    for (const loop of this.loops.values()) loop.stop();
    this.loops.clear();
    this.changed();
  }

  /** Recomputes the view (pending versions read from the index) and tells the listeners. */
  changed(): void {
    if (this.stopped) return;
    void this.pending().then((pending) => {
      const loops = [...this.loops.values()];
      const connected = loops.filter((l) => l.state === 'connected').length;
      const status: AutoSyncView['status'] = this.revoked
        ? 'revoked'
        : connected > 0
          ? 'connected'
          : loops.length > 0 && loops.every((l) => l.state === 'offline')
            ? 'offline'
            : 'waiting';
      this.view = { ...this.view, status, connected, syncing: this.running > 0, pending };
      for (const l of this.listeners) l();
    });
  }

  private pending(): Promise<number> {
    const last = this.view.lastSync ? Date.parse(this.view.lastSync) : 0;
    return this.deps.stores.sync.countSince(last).catch(() => 0);
  }

  /**
   * Tables changed (committed): after a short wait, what changed gets its versions (contacts the
   * import worker wrote, which it writes without; rows of the replicated tables, synced-tables.ts),
   * then every connected device is asked for a sync. Writes that made versions come back here as a
   * change of `versionPacks`; a sync that changes nothing changes no table, so this comes to rest.
   */
  private onMutated(tables: ReadonlySet<string>): void {
    for (const table of tables) this.dirty.add(table);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const dirty = new Set(this.dirty);
      this.dirty.clear();
      const store = this.deps.stores.sync;
      // A device alone (none paired yet) versions nothing now: its first link captures everything.
      const alone = this.loops.size === 0;
      // Contacts written: adopt looks at those written since it last ran (the import worker's have no version yet).
      const adopt = !alone && dirty.has('contacts') ? store.adopt() : Promise.resolve(0);
      void adopt
        .then(() => (alone ? 0 : store.tables.capture(dirty)))
        .then(() => this.refresh())
        .then(() => {
          if (dirty.has('versionPacks')) for (const loop of this.loops.values()) loop.link?.request();
        })
        .catch(() => undefined); // stopped meanwhile: nothing to sync
    }, this.options.debounceMs ?? 500);
  }
}
