import i18next from 'i18next';
import { base64UrlFromBytes, ERROR_MESSAGES, ErrorCode, isErrorCode, parseFingerprint, ROOM_SECRET_BYTES, SIGNALING_ERROR_MESSAGES, type Bond, type Invitation, type InvitationStore, type OrgFingerprint, type RoomCloseReason, type SignalingErrorCode } from '@ihyid/shared';
import { formatDay } from '../../i18n/format';

/** I9: how long a link stays valid unless the inviter picks another length. */
export const INVITATION_DAYS = 7;
const DAY_MS = 86_400_000;

/** I8, I9: a fresh room secret; the link carries it after '#', so no server ever sees it. Single-use, expiring. */
export async function createInvitation(invitations: InvitationStore, randomBytes: (n: number) => Uint8Array, now: Date, days = INVITATION_DAYS): Promise<Invitation> {
  const secret = base64UrlFromBytes(randomBytes(ROOM_SECRET_BYTES));
  const expiresAt = new Date(now.getTime() + days * DAY_MS).toISOString();
  const invitation: Invitation = { id: crypto.randomUUID(), secret, createdAt: now.toISOString(), label: `Invitation of ${now.toISOString().slice(0, 10)}`, expiresAt, status: 'open' };
  await invitations.add(invitation);
  return invitation;
}

/** `#/join/<secret>.<fingerprint>.<expiry>`: the room secret, the inviter's key fingerprint, and the expiry in Unix seconds (PROTOCOL.md §1.3). */
export function invitationLink(origin: string, secret: string, fingerprint: OrgFingerprint, expiresAt: string): string {
  return `${origin}/#/join/${secret}.${fingerprint}.${Math.floor(Date.parse(expiresAt) / 1000)}`;
}

/**
 * The fragment after `#/join/`. The secret and the fingerprint are required: a link without the
 * inviter's fingerprint cannot tell the invitee whom it meets, so it is refused as invalid rather
 * than trusted blindly. The expiry lets the invitee's own device say "expired" at once (I9).
 */
export function parseInvitation(token: string): { secret: string; fingerprint: OrgFingerprint; expiresAt: Date | null } | null {
  const [secret, fp, expiry, ...rest] = token.split('.');
  if (!secret || !fp || rest.length > 0 || (expiry !== undefined && !/^\d{1,12}$/.test(expiry))) return null;
  const fingerprint = parseFingerprint(fp);
  return fingerprint ? { secret, fingerprint, expiresAt: expiry === undefined ? null : new Date(Number(expiry) * 1000) } : null;
}

export type InvitationState = 'open' | 'used' | 'revoked' | 'expired';

/** Rows written before I9 have no status or expiry: they count from their creation. */
export function invitationState(i: Invitation, now: Date): InvitationState {
  if (i.status === 'used' || i.status === 'revoked') return i.status;
  const expires = i.expiresAt ?? new Date(Date.parse(i.createdAt) + INVITATION_DAYS * DAY_MS).toISOString();
  return now.toISOString() >= expires ? 'expired' : 'open';
}

/** What the inviter reads about one of its links, in the reader's language. */
export function invitationStatusText(i: Invitation, now: Date): string {
  switch (invitationState(i, now)) {
    case 'used':
      return i18next.t('partners.invitationUsed', { partner: i.partnerName ?? '?', date: formatDay(i.usedAt ?? '') });
    case 'revoked':
      return i18next.t('partners.invitationRevoked');
    case 'expired':
      return i18next.t('partners.invitationExpired');
    case 'open':
      return i18next.t('partners.invitationOpenUntil', { date: formatDay(i.expiresAt ?? '') });
  }
}

// What opening a dead link says (never an endless wait): English sentences of the `messages`
// catalog, shown through localizeMessage in the reader's language like the services' sentences.

export function expiredLinkMessage(expiresAt: Date): string {
  return `This invitation expired on ${expiresAt.toISOString().slice(0, 10)}. Ask your partner for a new one.`;
}

/** I9: the server refused the link's room, closed by the inviter (or the partner it bound) when it was used or revoked. */
export function closedLinkMessage(reason: RoomCloseReason): string {
  return reason === 'used'
    ? 'This invitation link was already used by another organisation. A link works once: ask whoever sent it for a new one.'
    : 'This invitation link was revoked by whoever sent it. Ask them for a new one.';
}

/** What a refused join reads: why a closed link is dead (I9), else the server's or the app's sentence for the code. */
export function refusalMessage(refused: { code: string; reason?: RoomCloseReason }): string {
  const { code, reason } = refused;
  if (reason) return closedLinkMessage(reason);
  if (code in SIGNALING_ERROR_MESSAGES) return SIGNALING_ERROR_MESSAGES[code as SignalingErrorCode];
  return isErrorCode(code) ? ERROR_MESSAGES[code] : ERROR_MESSAGES[ErrorCode.SignalingUnavailable];
}

export function deadInvitationMessage(i: Invitation, now: Date): string | null {
  switch (invitationState(i, now)) {
    case 'used':
      return `This invitation was already used: it connected you with ${i.partnerName ?? '?'}. A link works once; create a new one for another partner.`;
    case 'revoked':
      return 'This invitation was revoked. Create a new one.';
    case 'expired':
      return expiredLinkMessage(new Date(i.expiresAt ?? i.createdAt));
    case 'open':
      return null;
  }
}

/**
 * I9: an invitation binds the first partner it meets: both sides keep the pair secret to meet again
 * without the link, and the inviter's link (`invitation`, null on the invitee's side) is used up,
 * listed under that partner's name.
 */
export async function bindPartner(invitations: InvitationStore, partner: { fingerprint: string; name: string }, pairSecret: string, invitation: string | null, now: Date): Promise<Bond> {
  const bond: Bond = { fingerprint: partner.fingerprint, name: partner.name, pairSecret, boundAt: now.toISOString() };
  await invitations.bind(bond, invitation, now.toISOString());
  return bond;
}

/**
 * I9: where opening `secret` here leads. Once bound, two organisations meet under their pair secret,
 * never the link again: the invitee knows the inviter's fingerprint from the link, the inviter whom
 * its link bound. A dead link says so at once, never an endless wait: the invitee reads the expiry
 * from the link, the inviter its own record (used, revoked, expired).
 */
export async function meetingPlace(invitations: InvitationStore, secret: string, expected: OrgFingerprint | null, expiresAt: Date | null, now: Date): Promise<{ bond?: Bond; dead?: string }> {
  const own = expected === null ? await invitations.bySecret(secret) : undefined;
  const partner = expected ?? own?.partnerFingerprint ?? null;
  const bond = partner ? await invitations.bond(partner) : undefined;
  if (bond) return { bond };
  if (expiresAt && now >= expiresAt) return { dead: expiredLinkMessage(expiresAt) };
  const dead = own ? deadInvitationMessage(own, now) : null;
  return dead ? { dead } : {};
}
