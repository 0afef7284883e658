import { base64UrlFromBytes, ROOM_SECRET_BYTES } from '@ihyid/shared';
import type { IhyidDb, Invitation } from '../../storage/db';

/** I8 (first form): a fresh room secret; the link carries it after '#', so no server ever sees it. */
export async function createInvitation(db: IhyidDb, randomBytes: (n: number) => Uint8Array, now: Date): Promise<Invitation> {
  const secret = base64UrlFromBytes(randomBytes(ROOM_SECRET_BYTES));
  const invitation: Invitation = { id: crypto.randomUUID(), secret, createdAt: now.toISOString(), label: `Invitation of ${now.toISOString().slice(0, 10)}` };
  await db.invitations.add(invitation);
  return invitation;
}

export function invitationLink(origin: string, secret: string): string {
  return `${origin}/#/join/${secret}`;
}
