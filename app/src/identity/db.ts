import Dexie, { type EntityTable } from 'dexie';
import { IDENTITY_ROWS, type EventBody, type LedgerEvent, type PublicKeyHex, type SignedRevocation } from '@ihyid/shared';
import type { RecordKeys } from '../storage/at-rest/keyring';
import { IDENTITY_SEALED_TABLES } from '../storage/at-rest/seal-middleware';
import { checkAndSeal } from '../storage/checked-db';

/**
 * The identity database, 'ihyid-identity', apart from the contacts database ('ihyid', db.ts) so
 * the two schemas evolve on their own. Never edit a published version: add `version(n + 1)`.
 */

/**
 * This installation's key pair (I1). `pkcs8`: the private key's PKCS#8 bytes (hex), sealed under
 * the data key on a protected device (X2), imported as a non-extractable CryptoKey in memory only.
 * `privateKey`: a non-extractable CryptoKey stored by versions before the key was wrapped; such a
 * key cannot be exported, so it cannot be wrapped (PROTOCOL.md, "Data at rest").
 */
export interface KeyRow {
  id: 'self';
  publicKey: PublicKeyHex;
  pkcs8?: string;
  privateKey?: CryptoKey;
  createdAt: number;
}

/** A ledger event as stored: the signed body, its id, and columns for the indexes. */
export interface EventRow {
  id: string;
  kind: EventBody['kind'];
  author: string;
  at: number;
  body: EventBody;
  sig: string;
}

/** I7: a request to attest, received (waiting for our user) or sent (waiting for the partner). */
export interface RequestRow {
  requestId: string;
  direction: 'incoming' | 'outgoing';
  peer: PublicKeyHex;
  peerName: string;
  name: string;
  schema: string;
  value: string;
  salt: string;
  expires: number;
  createdAt: number;
  status: 'waiting' | 'attested' | 'refused';
}

/** I7: the value and salt behind an attestation about us, which only we hold and present. */
export interface HeldRow {
  attestationId: string;
  name: string;
  value: string;
  salt: string;
}

/** I7: attesters our user chose to trust (trust badges, A4 standing rules). */
export interface TrustRow {
  key: PublicKeyHex;
  label: string;
  addedAt: number;
}

/** Partners met in sessions: the name they gave and when we last saw them (written by the session). */
export interface PeerRow {
  key: PublicKeyHex;
  orgName: string;
  lastSeen: number;
  /** I10: the root key of the organisation this device key belongs to, when it is not its own root. */
  org?: PublicKeyHex;
}

/**
 * I10: a partner organisation's device revocation, as one of its devices handed it over in a
 * handshake (peer-device.ts); kept so that the revoked key is refused from then on. `id`: the hex
 * SHA-256 of the revocation's signed message; `org`: the organisation's root key.
 */
export interface OrgRevocationRow {
  id: string;
  org: PublicKeyHex;
  revocation: SignedRevocation;
}

export type IdentityDb = Dexie & {
  keys: EntityTable<KeyRow, 'id'>;
  events: EntityTable<EventRow, 'id'>;
  requests: EntityTable<RequestRow, 'requestId'>;
  held: EntityTable<HeldRow, 'attestationId'>;
  trust: EntityTable<TrustRow, 'key'>;
  peers: EntityTable<PeerRow, 'key'>;
  revocations: EntityTable<OrgRevocationRow, 'id'>;
};

/** With `atRest` (a protected device, unlocked), the personal tables are sealed (IDENTITY_SEALED_TABLES). */
export function openIdentityDb(name = 'ihyid-identity', atRest?: { keys: () => RecordKeys }): IdentityDb {
  const db = new Dexie(name) as IdentityDb;
  checkAndSeal(db, IDENTITY_ROWS, atRest, IDENTITY_SEALED_TABLES);
  db.version(1).stores({
    keys: 'id',
    events: 'id, kind, author, at',
    requests: 'requestId, direction, status',
    held: 'attestationId',
    trust: 'key',
    peers: 'key, lastSeen',
  });
  db.version(2).stores({ revocations: 'id, org' });
  return db;
}

export const toRow = (e: LedgerEvent): EventRow => ({ id: e.id, kind: e.body.kind, author: e.body.author, at: e.body.at, body: e.body, sig: e.sig });
export const fromRow = (r: EventRow): LedgerEvent => ({ id: r.id, body: r.body, sig: r.sig });
