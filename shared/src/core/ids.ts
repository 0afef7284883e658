/** Branded ids: a ContactId cannot be passed where a RoomId is expected, although both are strings. */
export type ContactId = string & { readonly __brand: 'ContactId' };
export type PeerId = string & { readonly __brand: 'PeerId' };
export type RoomId = string & { readonly __brand: 'RoomId' };
export type CheckId = string & { readonly __brand: 'CheckId' };
export type PhoneticIdV0 = string & { readonly __brand: 'PhoneticIdV0' };
export type OrgFingerprint = string & { readonly __brand: 'OrgFingerprint' };

/** A lowercase UUID v4, the form of every id this project makes (contacts, checks, requests, witness ids). */
export const UUID_V4_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuidV4(value: string): boolean {
  return UUID_V4_PATTERN.test(value);
}
