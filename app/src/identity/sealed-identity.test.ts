import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { bytesToHex, seededBytes, strictVerify, type PublicKeyHex } from '@ihyid/shared';
import { RecordKeys } from '../storage/at-rest/keyring';
import { sealInPlace } from '../storage/at-rest/migrate';
import { IDENTITY_SEALED_TABLES } from '../storage/at-rest/seal-middleware';
import { openIdentityDb, type IdentityDb } from './db';
import { IdentityService } from './service';

const opened: IdentityDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

function service(db: IdentityDb): IdentityService {
  opened.push(db);
  // No registration here: only the key and the personal tables are looked at.
  return new IdentityService({ db, solve: async () => null, randomBytes: seededBytes(3), now: () => Date.UTC(2026, 0, 1), verify: strictVerify });
}

/** The rows of a table read past the app (plain Dexie, no middleware). */
async function rawRows(name: string, table: string): Promise<Record<string, unknown>[]> {
  const raw = new Dexie(name);
  await raw.open();
  try {
    return (await raw.table(table).toArray()) as Record<string, unknown>[];
  } finally {
    raw.close();
  }
}

describe('X2: the identity database at rest', () => {
  it('[X2][I1] on a protected device the signing key is wrapped under the data key: the raw row holds no key bytes, it signs only with the data key, and a wrong key opens nothing', async () => {
    const name = `identity-sealed-${Math.random()}`;
    const dataKey = seededBytes(11)(32);
    const keys = new RecordKeys(dataKey, seededBytes(12));
    const first = service(openIdentityDb(name, { keys: () => keys }));
    await first.load();
    const publicKey = first.getSnapshot().key!;
    const message = new TextEncoder().encode('ihyid');
    expect(await strictVerify(publicKey, message, await first.signer.sign(message))).toBe(true);

    const [row] = await rawRows(name, 'keys');
    expect(Object.keys(row!).sort()).toEqual(['$x', 'createdAt', 'id', 'publicKey']);
    first.deps.db.close();

    // Unlocked again (same data key): the same key signs.
    const again = service(openIdentityDb(name, { keys: () => new RecordKeys(dataKey, seededBytes(13)) }));
    await again.load();
    expect(again.getSnapshot().key).toBe(publicKey);
    expect(await strictVerify(publicKey, message, await again.signer.sign(message))).toBe(true);
    again.deps.db.close();

    // Another data key (another device's, a guess): the row does not open, nothing signs.
    const other = service(openIdentityDb(name, { keys: () => new RecordKeys(seededBytes(99)(32), seededBytes(14)) }));
    await expect(other.load()).rejects.toThrow();
  });

  it('[X2] the first unlock seals what an unprotected device stored: key bytes, attestation values, trusted attesters and partner names', async () => {
    const name = `identity-migrate-${Math.random()}`;
    const plain = service(openIdentityDb(name));
    await plain.load();
    const publicKey = plain.getSnapshot().key!;
    const [clearRow] = await rawRows(name, 'keys');
    const pkcs8 = clearRow!.pkcs8 as string;
    expect(pkcs8).toMatch(/^[0-9a-f]{64,}$/);
    const partner = bytesToHex(seededBytes(5)(32)) as PublicKeyHex;
    await plain.recordPeer(partner, 'Hidden Partner Relief');
    await plain.deps.db.held.put({ attestationId: 'ab'.repeat(32), name: 'registered-ngo', value: 'LB-NGO-777123', salt: 'c2FsdHNhbHQ' });
    await plain.deps.db.trust.put({ key: partner, label: 'Trusted Attester Label', addedAt: 1 });
    plain.deps.db.close();

    const keys = new RecordKeys(seededBytes(21)(32), seededBytes(22));
    const db = openIdentityDb(name, { keys: () => keys });
    expect(await sealInPlace(db, IDENTITY_SEALED_TABLES)).toBe(4);
    const raw = JSON.stringify(await Promise.all(['keys', 'held', 'trust', 'peers'].map((t) => rawRows(name, t))), (_k, v: unknown) =>
      v instanceof Uint8Array ? new TextDecoder().decode(v) : v,
    );
    for (const secret of [pkcs8, 'Hidden Partner Relief', 'LB-NGO-777123', 'Trusted Attester Label']) expect(raw.includes(secret), secret).toBe(false);

    const unlocked = service(db);
    await unlocked.load();
    expect(unlocked.getSnapshot().key).toBe(publicKey);
    expect((await db.peers.get(partner))?.orgName).toBe('Hidden Partner Relief');
    expect((await db.held.get('ab'.repeat(32)))?.value).toBe('LB-NGO-777123');
  });
});
