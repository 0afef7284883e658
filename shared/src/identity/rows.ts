import * as v from 'valibot';
import { rowChecks, storedHex, StoredTime } from '../core/rows.js';
import { EventBodySchema, EventIdSchema, KeyHexSchema } from './events.js';
import { SignedRevocationSchema } from './revocation.js';

const Text = v.pipe(v.string(), v.maxLength(1024));
/** A WebCrypto CryptoKey, recognised by shape: shared has no DOM types (a non-extractable key is kept as is). */
const StoredCryptoKey = v.custom<object>((x) => typeof x === 'object' && x !== null && 'algorithm' in x && 'type' in x && 'usages' in x, 'a CryptoKey');

/** The identity database's rows (I1, I3, I7): as written by the app's identity service and session. */
export const IDENTITY_ROWS = rowChecks({
  // X2: the key's PKCS#8 bytes (hex; sealed on a protected device), or, in rows made before #14, a non-extractable CryptoKey.
  keys: v.union([
    v.object({ id: v.literal('self'), publicKey: KeyHexSchema, pkcs8: v.pipe(v.string(), v.regex(/^[0-9a-f]{64,256}$/)), createdAt: StoredTime }),
    v.object({ id: v.literal('self'), publicKey: KeyHexSchema, privateKey: StoredCryptoKey, createdAt: StoredTime }),
  ]),
  events: v.object({ id: EventIdSchema, kind: v.string(), author: KeyHexSchema, at: StoredTime, body: EventBodySchema, sig: storedHex(64) }),
  requests: v.object({
    requestId: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
    direction: v.picklist(['incoming', 'outgoing']),
    peer: KeyHexSchema,
    peerName: Text,
    name: Text,
    schema: Text,
    value: Text,
    salt: Text,
    expires: StoredTime,
    createdAt: StoredTime,
    status: v.picklist(['waiting', 'attested', 'refused']),
  }),
  held: v.object({ attestationId: EventIdSchema, name: Text, value: Text, salt: Text }),
  trust: v.object({ key: KeyHexSchema, label: Text, addedAt: StoredTime }),
  peers: v.object({ key: KeyHexSchema, orgName: Text, lastSeen: StoredTime, org: v.optional(KeyHexSchema) }),
  // I10: partner organisations' device revocations, kept from handshakes (peer-device.ts).
  revocations: v.object({ id: storedHex(32), org: KeyHexSchema, revocation: SignedRevocationSchema }),
});
