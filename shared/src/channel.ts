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
}

/**
 * Two connected in-memory channels. Delivery is asynchronous (a microtask), like a real channel,
 * so that tests catch code that assumes a reply arrives inside send().
 */
export function inMemoryChannelPair(): [PeerChannel, PeerChannel] {
  type End = { messages: Set<(f: unknown) => void>; closes: Set<() => void>; closed: boolean };
  const ends: [End, End] = [
    { messages: new Set(), closes: new Set(), closed: false },
    { messages: new Set(), closes: new Set(), closed: false },
  ];
  const make = (self: End, other: End): PeerChannel => ({
    send(frame) {
      if (self.closed) throw new Error('send on a closed channel');
      void Promise.resolve().then(() => {
        if (!other.closed) for (const h of other.messages) h(frame);
      });
    },
    close() {
      if (self.closed) return;
      self.closed = true;
      // Frames already sent are still delivered before the other end learns of the close.
      void Promise.resolve().then(() => {
        for (const h of self.closes) h();
        if (other.closed) return;
        other.closed = true;
        for (const h of other.closes) h();
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
  });
  return [make(ends[0], ends[1]), make(ends[1], ends[0])];
}
