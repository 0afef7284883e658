import { parseSyncMessage, wireMessage, type OutgoingSyncMessage, type SyncMessage } from './messages.js';

/**
 * What a sync needs from a link between two devices: ordered, reliable messages. Over a peer
 * session the app routes the `sync-*` frames (already parsed by the session) here; tests use the
 * in-memory pair. Modelled on peer/channel.ts.
 */
export interface SyncTransport {
  send(message: OutgoingSyncMessage): void;
  /** A frame that failed to parse arrives as null: the sync ends with malformed-message. */
  onMessage(handler: (message: SyncMessage | null) => void): () => void;
  onClose(handler: () => void): () => void;
  /** Optional back-pressure: resolves when the link can take more (peer/channel.ts `drained`). */
  drained?(): Promise<void>;
}

export interface InMemorySyncLink {
  readonly ends: [SyncTransport, SyncTransport];
  /** Characters of JSON each end has sent: what a sync costs on the wire. */
  readonly sentChars: [number, number];
  close(): void;
}

/**
 * Two connected in-memory ends. Each message goes through JSON text and the real parser, as on a
 * data channel, and is delivered in a later microtask, so that tests catch code that expects an
 * answer inside send().
 */
export function inMemorySyncLink(): InMemorySyncLink {
  type End = { handlers: Set<(m: SyncMessage | null) => void>; closes: Set<() => void> };
  const ends: [End, End] = [
    { handlers: new Set(), closes: new Set() },
    { handlers: new Set(), closes: new Set() },
  ];
  const sentChars: [number, number] = [0, 0];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    void Promise.resolve().then(() => {
      for (const e of ends) for (const h of e.closes) h();
    });
  };
  const make = (i: 0 | 1): SyncTransport => ({
    send(message) {
      if (closed) throw new Error('send on a closed sync link');
      const frame = JSON.stringify(wireMessage(message));
      sentChars[i] += frame.length;
      void Promise.resolve().then(() => {
        if (closed) return;
        const parsed = parseSyncMessage(JSON.parse(frame) as unknown);
        for (const h of ends[1 - i]!.handlers) h(parsed);
      });
    },
    onMessage(handler) {
      ends[i].handlers.add(handler);
      return () => ends[i].handlers.delete(handler);
    },
    onClose(handler) {
      ends[i].closes.add(handler);
      return () => ends[i].closes.delete(handler);
    },
  });
  return { ends: [make(0), make(1)], sentChars, close };
}
