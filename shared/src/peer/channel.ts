/**
 * What the peer protocol needs from a transport: ordered, reliable text frames. The app implements
 * it with a WebRTC data channel (simple-peer); tests implement it in memory. Nothing here knows which.
 */
export interface PeerChannel {
  send(frame: string): void;
  /** Closes both directions; the other side sees onClose. Idempotent. */
  close(): void;
  /** Frames arrive as the transport gives them: text normally, anything else from a hostile peer. */
  onMessage(handler: (frame: unknown) => void): () => void;
  onClose(handler: () => void): () => void;
  /**
   * Optional back-pressure (A7): bytes accepted by send() and not yet handed to the network. A
   * transport without it is treated as always drained.
   */
  bufferedAmount?(): number;
  /** Optional: resolves once the send buffer has fallen to the transport's low-water mark, or the channel closed. */
  drained?(): Promise<void>;
}

/** Above this many buffered bytes a sender waits for `drained()` (Chromium kills a channel near 16 MiB). */
export const SEND_HIGH_WATER = 1024 * 1024;

/**
 * Two connected in-memory channels. Delivery is asynchronous (a microtask), like a real channel,
 * so that tests catch code that assumes a reply arrives inside send(). Frames in flight count as
 * buffered, so the back-pressure path runs in unit tests too.
 */
export function inMemoryChannelPair(): [PeerChannel, PeerChannel] {
  type End = { messages: Set<(f: unknown) => void>; closes: Set<() => void>; closed: boolean; buffered: number; waiters: (() => void)[] };
  const end = (): End => ({ messages: new Set(), closes: new Set(), closed: false, buffered: 0, waiters: [] });
  const ends: [End, End] = [end(), end()];
  const wake = (self: End) => {
    const waiters = self.waiters.splice(0);
    for (const w of waiters) w();
  };
  const make = (self: End, other: End): PeerChannel => ({
    send(frame) {
      if (self.closed) throw new Error('send on a closed channel');
      const size = typeof frame === 'string' ? frame.length : 0;
      self.buffered += size;
      void Promise.resolve().then(() => {
        self.buffered -= size;
        if (self.buffered === 0) wake(self);
        if (!other.closed) for (const h of other.messages) h(frame);
      });
    },
    close() {
      if (self.closed) return;
      self.closed = true;
      // Frames already sent are still delivered before the other end learns of the close.
      void Promise.resolve().then(() => {
        for (const h of self.closes) h();
        wake(self);
        if (other.closed) return;
        other.closed = true;
        for (const h of other.closes) h();
        wake(other);
      });
    },
    onMessage(handler) {
      self.messages.add(handler);
      return () => self.messages.delete(handler);
    },
    onClose(handler) {
      self.closes.add(handler);
      return () => self.closes.delete(handler);
    },
    bufferedAmount: () => self.buffered,
    drained: () => (self.buffered === 0 || self.closed ? Promise.resolve() : new Promise<void>((resolve) => self.waiters.push(resolve))),
  });
  return [make(ends[0], ends[1]), make(ends[1], ends[0])];
}
