import * as v from 'valibot';
import { base64UrlFromBytes, bytesFromBase64Url, type Contact, type ContactId, type RecordKey } from '@ihyid/shared';
import type { RecordKeys } from './at-rest/keyring';

/**
 * X4: the records that replicate among an organisation's devices, by collection (`<collection>/<key>`,
 * PROTOCOL.md §6.1), and the sealer of their versions' data: every value is sealed under the
 * organisation's record key with its record as associated data, so a value moved to another record
 * does not open. What a received version may carry is checked here before anything is stored.
 */
export const CONTACTS_COLLECTION = 'contacts';
/** The setting that holds when this device last completed a sync. */
export const LAST_SYNC = 'sync-last';

export const contactRecord = (id: string): RecordKey => `${CONTACTS_COLLECTION}/${id}` as RecordKey;
export const contactIdOf = (record: RecordKey): ContactId => record.slice(CONTACTS_COLLECTION.length + 1) as ContactId;

/** A version's data is sealed with its record as associated data (also what a contact row stored as its version opens with, seal-middleware.ts). */
export const versionAad = (record: RecordKey) => `sync\u0000${record}`;

/** What a version's data opens to: a contact whose id is the record's (a sealed contact moved to another record does not open). */
const SealedContactSchema = v.looseObject({
  id: v.string(),
  firstName: v.string(),
  lastName: v.string(),
  createdAt: v.string(),
  updatedAt: v.string(),
});

export class SyncDataError extends Error {}

/** I10: a device revocation (shared identity/revocation.ts) replicates as `revocations/<device key>`. */
export const REVOCATIONS_COLLECTION = 'revocations';
export const revocationRecord = (deviceKey: string): RecordKey => `${REVOCATIONS_COLLECTION}/${deviceKey}` as RecordKey;
const RevocationShape = v.looseObject({ body: v.looseObject({ device: v.string() }) });
/**
 * I10, X4: a device the organisation paired replicates as `devices/<device key>` with the chain its
 * admin issued, so every device learns whom to meet (auto-sync). Nobody relies on it for trust: the
 * other device proves its chain when they meet.
 */
export const DEVICES_COLLECTION = 'devices';
export const deviceRecord = (deviceKey: string): RecordKey => `${DEVICES_COLLECTION}/${deviceKey}` as RecordKey;
export const DeviceShape = v.looseObject({ key: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)), chain: v.array(v.unknown()) });
export type DeviceEntry = v.InferOutput<typeof DeviceShape>;

/** Seals and opens version data: contacts, and signed revocations (checked by whoever relies on them). */
export class ContactSealer {
  constructor(private readonly keys: () => RecordKeys) {}

  seal(contact: Contact): string {
    return this.sealValue(contactRecord(contact.id), contact);
  }

  sealValue(record: RecordKey, value: unknown): string {
    return base64UrlFromBytes(this.keys().seal(value, versionAad(record)));
  }

  /** `seal` for many contacts at once, on WebCrypto (RecordKeys.sealMany): only outside an IndexedDB transaction. */
  async sealMany(contacts: readonly Contact[]): Promise<string[]> {
    return (await this.keys().sealMany(contacts.map((contact) => ({ value: contact, aad: versionAad(contactRecord(contact.id)) })))).map(base64UrlFromBytes);
  }


  /** Throws SyncDataError when the data is not a contact of this record under this organisation's key. */
  open(record: RecordKey, data: string): Contact {
    return this.contactOf(record, this.openValue(record, data));
  }

  /** Throws SyncDataError unless the opened `value` is a contact of this record. */
  contactOf(record: RecordKey, value: unknown): Contact {
    const parsed = v.safeParse(SealedContactSchema, value);
    if (!parsed.success || contactRecord(parsed.output.id) !== record) throw new SyncDataError(`${record}: data is not this contact`);
    return parsed.output as unknown as Contact;
  }

  /**
   * What a received version may carry: a contact, or a revocation of the device its record names.
   * Any other collection is refused: a newer app's records wait for this device's update.
   */
  check(record: RecordKey, data: string): void {
    this.checkValue(record, this.openValue(record, data));
  }

  /** `check` of data already opened. */
  checkValue(record: RecordKey, value: unknown): void {
    if (record.startsWith(`${CONTACTS_COLLECTION}/`)) return void this.contactOf(record, value);
    if (record.startsWith(`${DEVICES_COLLECTION}/`)) {
      const device = v.safeParse(DeviceShape, value);
      if (!device.success || deviceRecord(device.output.key) !== record) throw new SyncDataError(`${record}: data is not this device`);
      return;
    }
    if (!record.startsWith(`${REVOCATIONS_COLLECTION}/`)) throw new SyncDataError(`${record}: not a collection this version syncs`);
    const parsed = v.safeParse(RevocationShape, value);
    if (!parsed.success || revocationRecord(parsed.output.body.device) !== record) throw new SyncDataError(`${record}: data is not this revocation`);
  }

  /**
   * `openValue` for many versions at once, on WebCrypto's AES-GCM (RecordKeys.openMany): only outside
   * an IndexedDB transaction. Throws SyncDataError when any of them does not open.
   */
  async openMany(items: readonly { record: RecordKey; data: string }[]): Promise<{ values: unknown[]; bytes: Uint8Array[] }> {
    const sealed = items.map(({ record, data }) => {
      const bytes = bytesFromBase64Url(data);
      if (!bytes) throw new SyncDataError(`${record}: data is not base64url`);
      return { sealed: bytes, aad: versionAad(record) };
    });
    try {
      // The decoded bytes too: a contact shown as its version stores them (sync-store.ts `shownRow`), decoded once.
      return { values: await this.keys().openMany(sealed), bytes: sealed.map((item) => item.sealed) };
    } catch {
      throw new SyncDataError("a version's data does not open under this organisation's key");
    }
  }

  openValue(record: RecordKey, data: string): unknown {
    const bytes = bytesFromBase64Url(data);
    if (!bytes) throw new SyncDataError(`${record}: data is not base64url`);
    try {
      return this.keys().open(bytes, versionAad(record));
    } catch {
      throw new SyncDataError(`${record}: data does not open under this organisation's key`);
    }
  }
}

