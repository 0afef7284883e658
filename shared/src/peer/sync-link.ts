import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { wireMessage, type OutgoingSyncMessage, type SyncMessage } from '../sync/messages.js';
import { runSync, type SyncStats } from '../sync/session.js';
import type { SyncStore } from '../sync/store.js';
import type { SyncTransport } from '../sync/transport.js';
import type { PeerMessage } from './protocol.js';

/** X4: what a peer session needs to sync with the partner device once ready. */
export interface SessionSyncOptions {
  readonly store: SyncStore;
  /** Exactly one side initiates (the app passes the side that made the WebRTC offer). */
  readonly initiator: boolean;
  onDone(result: Result<SyncStats, ProtocolError>): void;
}

/** What the link needs of the session it runs in. */
export interface SyncLinkPort {
  send(message: PeerMessage): void;
  fail(error: ProtocolError): void;
  backpressure(): Promise<void>;
}

/**
 * The `SyncTransport` of one peer session: `sync-*` frames, already parsed by the session, are
 * handed to the running sync; its messages go out as peer frames with the session's back-pressure.
 * Only a session given `SessionSyncOptions` (a partner the app verified as a device of our own
 * organisation) has a link: any other session ends on a `sync-*` frame with unexpected-message.
 */
export class SessionSyncLink implements SyncTransport {
  private readonly handlers = new Set<(message: SyncMessage | null) => void>();
  private readonly closes = new Set<() => void>();
  private closed = false;

  constructor(private readonly port: SyncLinkPort) {}

  /** Starts the sync; a failure on our side also ends the session, the partner's abort ends only the sync. */
  start(options: SessionSyncOptions): void {
    void runSync({ transport: this, store: options.store, initiator: options.initiator }).then((result) => {
      options.onDone(result);
      if (!result.ok && result.error.code !== ErrorCode.PeerError && result.error.code !== ErrorCode.PeerClosed) this.port.fail(result.error);
    });
  }

  send(message: OutgoingSyncMessage): void {
    if (this.closed) throw new Error('sync on a closed session');
    this.port.send(wireMessage(message) as PeerMessage);
  }

  deliver(message: SyncMessage): void {
    for (const h of this.handlers) h(message);
  }

  /** The session ended: a sync still running ends with peer-closed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const h of this.closes) h();
  }

  onMessage(handler: (message: SyncMessage | null) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onClose(handler: () => void): () => void {
    this.closes.add(handler);
    return () => this.closes.delete(handler);
  }

  drained(): Promise<void> {
    return this.port.backpressure();
  }
}

export const syncNotEnabled = (type: string): ProtocolError => protocolError(ErrorCode.UnexpectedMessage, `${type}: no sync with this partner`);
