import { inMemoryChannelPair, type PeerChannel, type SignalData } from '@ihyid/shared';
import type { LinkOptions, WebRtcLink } from './webrtc-channel';

/**
 * The fake of `openWebRtcLink` for unit tests: links that set themselves up through whatever signaling
 * the caller relays (an offer and an answer, as WebRTC does), then carry frames over an in-memory
 * channel pair. Each link has its own DTLS-like fingerprint in its SDP, so the I8 handshake runs as it
 * does over WebRTC. Frames that arrive before anyone listens are held, like the real link does.
 */
export function inMemoryLinkNetwork(): { openLink(options: LinkOptions): WebRtcLink } {
  const offers = new Map<string, { channel: PeerChannel; sdp: string }>();
  let next = 0;

  return {
    openLink(options) {
      const id = next++;
      const localSdp = sdpFor(id);
      let remoteSdp = '';
      let channel: PeerChannel | null = null;
      let destroyed = false;
      let connect!: () => void;
      let fail!: (e: Error) => void;
      const connected = new Promise<void>((resolve, reject) => ((connect = resolve), (fail = reject)));
      connected.catch(() => undefined);
      const traffic = { sent: 0, received: 0 };
      const handlers = { messages: new Set<(f: unknown) => void>(), closes: new Set<() => void>() };
      let held: unknown[] | null = [];

      // Our end listens from the start: the other side may speak as soon as it is connected.
      const wire = (ch: PeerChannel) => {
        channel = ch;
        ch.onMessage((frame) => {
          traffic.received += typeof frame === 'string' ? frame.length : 0;
          if (held) held.push(frame);
          else for (const h of handlers.messages) h(frame);
        });
        ch.onClose(() => {
          for (const h of handlers.closes) h();
        });
      };

      if (options.initiator) {
        const [ours, theirs] = inMemoryChannelPair();
        wire(ours);
        offers.set(String(id), { channel: theirs, sdp: localSdp });
        void Promise.resolve().then(() => options.sendSignal({ type: 'offer', link: String(id), sdp: localSdp }));
      }

      const facade: PeerChannel = {
        send(frame) {
          if (!channel || destroyed) throw new Error('channel closed');
          traffic.sent += frame.length;
          channel.send(frame);
        },
        close() {
          if (destroyed) return;
          destroyed = true;
          fail(new Error('closed before connecting'));
          channel?.close();
        },
        onMessage(handler) {
          handlers.messages.add(handler);
          if (held) {
            const frames = held;
            held = null;
            void Promise.resolve().then(() => {
              for (const f of frames) for (const h of handlers.messages) h(f);
            });
          }
          return () => handlers.messages.delete(handler);
        },
        onClose(handler) {
          handlers.closes.add(handler);
          return () => handlers.closes.delete(handler);
        },
      };

      return {
        channel: facade,
        connected,
        signal(data: SignalData) {
          if (destroyed) return;
          const link = typeof data.link === 'string' ? data.link : '';
          if (data.type === 'offer' && !options.initiator) {
            const offer = offers.get(link);
            if (!offer) return;
            offers.delete(link);
            wire(offer.channel);
            remoteSdp = offer.sdp;
            options.sendSignal({ type: 'answer', link, sdp: localSdp });
            connect();
          } else if (data.type === 'answer' && options.initiator && link === String(id) && typeof data.sdp === 'string' && !remoteSdp) {
            remoteSdp = data.sdp;
            connect();
          }
        },
        destroy: () => facade.close(),
        traffic: () => ({ ...traffic }),
        localSdp: () => localSdp,
        remoteSdp: () => remoteSdp,
      };
    },
  };
}

function sdpFor(id: number): string {
  const byte = (id % 256).toString(16).padStart(2, '0').toUpperCase();
  return `v=0\r\na=fingerprint:sha-256 ${Array.from({ length: 32 }, () => byte).join(':')}\r\n`;
}
