/** Branded ids: a ContactId cannot be passed where a RoomId is expected, although both are strings. */
export type ContactId = string & { readonly __brand: 'ContactId' };
export type PeerId = string & { readonly __brand: 'PeerId' };
export type RoomId = string & { readonly __brand: 'RoomId' };
export type CheckId = string & { readonly __brand: 'CheckId' };
export type PhoneticIdV0 = string & { readonly __brand: 'PhoneticIdV0' };
export type OrgFingerprint = string & { readonly __brand: 'OrgFingerprint' };

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuidV4(value: string): boolean {
  return UUID_V4.test(value);
}
