import { ErrorCode, isErrorCode, type IceServer, type PeerId, type RoomCloseReason, type RoomId, type SignalData, type SignalingClient } from '@ihyid/shared';
import type { AppDeps } from '../../context/deps';
import type { WebRtcLink } from '../../network/webrtc-channel';

export type MeetDeps = Pick<AppDeps, 'openSignaling' | 'openLink'>;

export interface Meeting {
  readonly link: WebRtcLink;
  /** This side made the WebRTC offer (it found the other already in the room). */
  readonly initiator: boolean;
  /** Leaves the room and closes the link. */
  close(): void;
}

export class MeetError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** I9: the server refused the room, closed by the admin device (the code was used or withdrawn). */
    readonly closed?: RoomCloseReason,
  ) {
    super(code);
  }
}

/**
 * Two devices of one organisation meet in a room of the signaling server and open one WebRTC data
 * channel, as partners do (partners/connection.ts): the device that finds the other already there
 * makes the offer. Resolves once the channel is open; rejects with a MeetError when the server
 * refuses or cannot be reached, or when `signal` aborts (the user cancelled or gave up waiting).
 */
export async function meet(deps: MeetDeps, roomId: RoomId, signal: AbortSignal, onWaiting?: () => void): Promise<Meeting> {
  let signaling: SignalingClient;
  try {
    signaling = await deps.openSignaling();
  } catch {
    throw new MeetError(ErrorCode.SignalingUnavailable);
  }
  let link: WebRtcLink | null = null;
  let remote: PeerId | null = null;
  const pending: SignalData[] = [];
  let iceServers: IceServer[] = [];
  const close = () => {
    link?.destroy();
    signaling.leave(roomId);
    signaling.close();
  };
  let met = false;
  return new Promise<Meeting>((resolve, reject) => {
    const fail = (code: ErrorCode, closed?: RoomCloseReason) => {
      close();
      reject(new MeetError(code, closed));
    };
    // Aborted while the connection opened: the abort event has already fired.
    if (signal.aborted) return fail(ErrorCode.PeerClosed);
    signal.addEventListener('abort', () => fail(ErrorCode.PeerClosed), { once: true });
    const connectTo = (peer: PeerId, initiator: boolean) => {
      remote = peer;
      void deps.openLink({ initiator, iceServers, sendSignal: (data) => signaling.signal(roomId, peer, data) }).then((opened) => {
        if (signal.aborted) return opened.destroy();
        link = opened;
        for (const data of pending.splice(0)) opened.signal(data);
        opened.connected.then(
          () => {
            met = true;
            resolve({ link: opened, initiator, close });
          },
          () => fail(ErrorCode.PeerClosed),
        );
      }, () => fail(ErrorCode.Internal));
    };
    void signaling
      .join(roomId, {
        onPeerJoined: () => undefined,
        // I9: the room was closed while we waited in it; a meeting already made needs no room.
        onClosed: (reason) => {
          if (!met) fail(ErrorCode.PeerClosed, reason);
        },
        // The peer we were connecting to left before the channel opened (it may have been a seat the
        // server had not yet freed when we joined: our offer went nowhere). Giving up lets the caller meet again.
        onPeerLeft: (peer) => {
          if (peer === remote && !met) fail(ErrorCode.PeerClosed);
        },
        // The server forgot us (a restart, the network): nobody can find us here until we join again.
        onLost: () => {
          if (!met) fail(ErrorCode.SignalingUnavailable);
        },
        onSignal: (from, data) => {
          if (remote === null) connectTo(from, false);
          if (from !== remote) return;
          if (link) link.signal(data);
          else pending.push(data);
        },
      })
      .then((outcome) => {
        if (signal.aborted) return;
        if (!outcome.ok) return fail(isErrorCode(outcome.code) ? outcome.code : ErrorCode.SignalingUnavailable, outcome.reason);
        iceServers = outcome.iceServers;
        const first = outcome.peers[0];
        if (first) connectTo(first, true);
        else onWaiting?.();
      });
  });
}
