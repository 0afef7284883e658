import { base64UrlFromBytes, parseFingerprint, ROOM_SECRET_BYTES, type OrgFingerprint } from '@ihyid/shared';
import type { IhyidDb, Invitation } from '../../storage/db';

/** I8: a fresh room secret; the link carries it after '#', so no server ever sees it. */
export async function createInvitation(db: IhyidDb, randomBytes: (n: number) => Uint8Array, now: Date): Promise<Invitation> {
  const secret = base64UrlFromBytes(randomBytes(ROOM_SECRET_BYTES));
  const invitation: Invitation = { id: crypto.randomUUID(), secret, createdAt: now.toISOString(), label: `Invitation of ${now.toISOString().slice(0, 10)}` };
  await db.invitations.add(invitation);
  return invitation;
}

/** `#/join/<secret>.<fingerprint>`: the room secret and the inviter's key fingerprint (I8, PROTOCOL.md §1.3). */
export function invitationLink(origin: string, secret: string, fingerprint: OrgFingerprint): string {
  return `${origin}/#/join/${secret}.${fingerprint}`;
}

/**
 * The fragment after `#/join/`. Both parts are required: a link without the inviter's fingerprint
 * cannot tell the invitee whom it meets, so it is refused as invalid rather than trusted blindly.
 */
export function parseInvitation(token: string): { secret: string; fingerprint: OrgFingerprint } | null {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const fingerprint = parseFingerprint(token.slice(dot + 1));
  return fingerprint ? { secret: token.slice(0, dot), fingerprint } : null;
}
