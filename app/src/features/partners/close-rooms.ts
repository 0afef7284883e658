import { bytesFromBase64Url, ErrorCode, roomCloseProof, roomIdFromSecret, ROOM_SECRET_BYTES, SignalingErrorCode, type SignalingClient } from '@ihyid/shared';
import type { PartnerConnectionDeps } from './connection-types';

/**
 * I9: a used or revoked invitation owes the server a `close-room`, so that whoever opens the link
 * later reads why at once, even with this device offline. The debt is the sealed invitation row itself
 * (status used or revoked, `roomClosed` unset: InvitationStore.closesOwed): nothing else is stored,
 * and the row is marked once the server confirmed. A server that cannot be reached leaves the rest
 * for the next try (at start, when the network comes back, after each revoke: directory.ts). A bind
 * closes its room at once through the connection it happened on (connection.ts), and marks the row
 * the same way.
 *
 * Resolves with how many rooms it closed.
 */
export async function closeDeadRooms(deps: Pick<PartnerConnectionDeps, 'stores' | 'openSignaling'>): Promise<number> {
  const owed = await deps.stores.invitations.closesOwed();
  if (owed.length === 0) return 0;
  let signaling: SignalingClient;
  try {
    signaling = await deps.openSignaling();
  } catch {
    return 0;
  }
  let closed = 0;
  try {
    for (const invitation of owed) {
      const secret = bytesFromBase64Url(invitation.secret);
      const reason = invitation.status === 'used' ? 'used' : 'revoked';
      const outcome = secret?.length === ROOM_SECRET_BYTES ? await signaling.closeRoom(roomIdFromSecret(secret), roomCloseProof(secret), reason) : null;
      // The server away, busy or over its budget: the rest waits for the next try.
      if (outcome && !outcome.ok && RETRY.has(outcome.code)) break;
      // Recorded, or refused for good (a row whose secret cannot make a proof): owed no longer.
      await deps.stores.invitations.markRoomClosed(invitation.secret);
      if (outcome?.ok) closed++;
    }
  } finally {
    signaling.close();
  }
  return closed;
}

const RETRY: ReadonlySet<string> = new Set([ErrorCode.SignalingUnavailable, SignalingErrorCode.RateLimited, SignalingErrorCode.Internal]);
