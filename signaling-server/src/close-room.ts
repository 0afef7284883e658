/**
 * I9: the `close-room` handler (shared/src/signaling/protocol.ts). A holder of a link's secret closes
 * the link's room once it is used or revoked; the server checks the proof against the room id alone
 * (SHA-256(proof) = roomId), so it keeps nothing beforehand and learns nothing but the opaque id.
 * Knowing the room id, as the server itself does, is not enough: that is a SHA-256 preimage.
 *
 * Every refusal is typed through the acknowledgement; a wrong proof is an offence (an honest app
 * never sends one), and closes have their own per-connection budget on top of the message rate.
 */
import {
  closeProofMatches,
  parseCloseRoomRequest,
  SignalingErrorCode,
  SignalingEvent,
  type RoomCloseReason,
  type RoomId,
} from '@ihyid/shared';
import type { ClosedRooms } from './closed-rooms.js';
import type { CloseAck, Guard } from './guard.js';
import { errorName, type Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface CloseRoomDeps {
  readonly closedRooms: ClosedRooms;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Tells the room's members, on every process, that it was just closed. */
  readonly announce: (roomId: RoomId, reason: RoomCloseReason) => void;
}

export async function closeRoom(deps: CloseRoomDeps, guard: Guard, args: unknown[]): Promise<void> {
  const last = args.at(-1);
  if (typeof last !== 'function') return guard.drop(SignalingEvent.CloseRoom, SignalingErrorCode.MalformedMessage);
  const ack = last as CloseAck;
  const refuse = (code: SignalingErrorCode): void => guard.refuse(ack, code, SignalingEvent.CloseRoom);
  if (args.length !== 2) return refuse(SignalingErrorCode.MalformedMessage);
  const request = parseCloseRoomRequest(args[0]);
  if (!request.ok) return refuse(SignalingErrorCode.MalformedMessage);
  if (!closeProofMatches(request.value)) return refuse(SignalingErrorCode.BadProof);
  if (!guard.withinCloseBudget()) return refuse(SignalingErrorCode.RateLimited);
  const { roomId, reason } = request.value;
  try {
    await deps.closedRooms.close(roomId, reason);
  } catch (error) {
    // The shared store is unreachable: the app keeps its close queued and sends it again later.
    deps.log.warn('room-close-failed', { error: errorName(error) });
    return refuse(SignalingErrorCode.Internal);
  }
  deps.announce(roomId, reason);
  deps.metrics.roomClosed();
  ack({ ok: true });
}
