import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { IceServer, PeerChannel, SignalData } from '@ihyid/shared';

/** Senders pause above SEND_HIGH_WATER (1 MiB, shared/channel.ts) and resume once the buffer is down to this. */
const BUFFER_LOW = 256 * 1024;

export interface WebRtcLink {
  /** The data channel, usable once `connected` resolves. */
  channel: PeerChannel;
  connected: Promise<void>;
  /** Feed a signal relayed from the other browser. */
  signal(data: SignalData): void;
  destroy(): void;
  /** Characters sent and received on the data channel so far (for progress and benchmarks). */
  traffic(): { sent: number; received: number };
  /** The SDP this browser applied (local) and received (remote), for the I8 handshake's DTLS fingerprints. */
  localSdp(): string;
  remoteSdp(): string;
}

export interface LinkOptions {
  initiator: boolean;
  iceServers: IceServer[];
  sendSignal(data: SignalData): void;
}

/**
 * One WebRTC data channel to one partner, behind the app's PeerChannel interface so that the peer
 * protocol never sees simple-peer. The ICE list always comes from our server: simple-peer's default
 * points at public STUN servers, which a field deployment must not depend on.
 */
export function openWebRtcLink(options: LinkOptions): WebRtcLink {
  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    objectMode: true,
    config: { iceServers: options.iceServers as RTCIceServer[] },
  });
  const messageHandlers = new Set<(frame: unknown) => void>();
  const closeHandlers = new Set<() => void>();
  let closed = false;
  const closeOnce = () => {
    if (closed) return;
    closed = true;
    for (const h of closeHandlers) h();
  };

  peer.on('signal', (data: unknown) => options.sendSignal(data as SignalData));
  // The partner may speak first: its hello can arrive before our 'connect' event fires and before
  // anyone listens. Frames are held until the first listener, then delivered in order.
  let held: unknown[] | null = [];
  let sentChars = 0;
  let receivedChars = 0;
  peer.on('data', (data: unknown) => {
    receivedChars += typeof data === 'string' ? data.length : 0;
    if (held) held.push(data);
    else for (const h of messageHandlers) h(data);
  });
  peer.on('close', closeOnce);
  peer.on('error', () => {
    peer.destroy();
    closeOnce();
  });

  const connected = new Promise<void>((resolve, reject) => {
    peer.once('connect', () => resolve());
    closeHandlers.add(() => reject(new Error('closed before connecting')));
  });
  connected.catch(() => undefined);

  // A7: back-pressure on the data channel itself. simple-peer's send() bypasses its stream buffering,
  // so we watch the RTCDataChannel's bufferedAmount and wake senders on 'bufferedamountlow'.
  const drainWaiters: (() => void)[] = [];
  const wakeDrained = () => {
    for (const w of drainWaiters.splice(0)) w();
  };
  closeHandlers.add(wakeDrained);
  const peerConnection = (): RTCPeerConnection | null => (peer as unknown as { _pc?: RTCPeerConnection })._pc ?? null;
  const dataChannel = (): RTCDataChannel | null => (peer as unknown as { _channel?: RTCDataChannel })._channel ?? null;
  peer.once('connect', () => {
    const dc = dataChannel();
    if (!dc) return;
    dc.bufferedAmountLowThreshold = BUFFER_LOW;
    dc.addEventListener('bufferedamountlow', wakeDrained);
  });

  const channel: PeerChannel = {
    send(frame) {
      if (closed) throw new Error('channel closed');
      peer.send(frame);
      sentChars += frame.length;
    },
    bufferedAmount: () => dataChannel()?.bufferedAmount ?? 0,
    drained: () =>
      closed || (dataChannel()?.bufferedAmount ?? 0) <= BUFFER_LOW ? Promise.resolve() : new Promise<void>((resolve) => drainWaiters.push(resolve)),
    close() {
      if (closed) return;
      closeOnce();
      void drainThenDestroy(peer);
    },
    onMessage(handler) {
      messageHandlers.add(handler);
      if (held) {
        const frames = held;
        held = null;
        // After the caller has finished wiring up (a session subscribes, then starts).
        void Promise.resolve().then(() => {
          for (const f of frames) for (const h of messageHandlers) h(f);
        });
      }
      return () => messageHandlers.delete(handler);
    },
    onClose(handler) {
      closeHandlers.add(handler);
      return () => closeHandlers.delete(handler);
    },
  };

  return {
    channel,
    connected,
    signal: (data) => {
      if (!closed) peer.signal(data as SimplePeer.SignalData);
    },
    destroy: () => channel.close(),
    traffic: () => ({ sent: sentChars, received: receivedChars }),
    // The descriptions the browser actually applied: their a=fingerprint lines are the certificates
    // the DTLS handshake enforced, whatever the signaling server relayed.
    localSdp: () => peerConnection()?.localDescription?.sdp ?? '',
    remoteSdp: () => peerConnection()?.remoteDescription?.sdp ?? '',
  };
}

/**
 * Closing the peer connection at once would drop the frame just queued, often the typed `error`
 * that tells the partner why we close (A8); wait, briefly and boundedly, for the buffer to drain.
 */
async function drainThenDestroy(peer: SimplePeer.Instance): Promise<void> {
  const deadline = Date.now() + 2000;
  while ((peer as unknown as { bufferSize: number }).bufferSize > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 100));
  peer.destroy();
}
