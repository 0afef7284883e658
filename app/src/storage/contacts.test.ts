import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MemoryCheckResultStore, MemoryContactStore, MemoryInvitationStore } from '@ihyid/shared';
import { saveNewContact } from './contacts';
import { contactFields, dexieContractStores, runContactStoreContract } from './contact-store.contract';
import { openDb } from './db';
import { DexieContactStore } from './dexie-stores';
import { contactBlockingTerms } from '@ihyid/shared';
import { keyHashes, nameTermHashes } from './key-hashes';
import { runPartnerStoresContract } from './partner-stores.contract';

const memory = async () => ({
  contacts: new MemoryContactStore(),
  checks: new MemoryCheckResultStore(),
  invitations: new MemoryInvitationStore(),
  dispose: async () => {},
});
const dexie = async () => dexieContractStores(openDb(`test-${Math.random().toString(36).slice(2)}`));

runContactStoreContract('in memory', memory);
runContactStoreContract('Dexie on fake-indexeddb', dexie);
runPartnerStoresContract('in memory', memory);
runPartnerStoresContract('Dexie on fake-indexeddb', dexie);

describe('Dexie ContactStore', () => {
  it('[R3] keeps contacts when the database is closed and opened again, with their index hashes in one terms row beside them', async () => {
    const db = openDb(`reopen-${Math.random()}`);
    const meta = { createdBy: 'amal', now: new Date('2026-11-21T08:00:00Z'), randomBytes: (n: number) => crypto.getRandomValues(new Uint8Array(n)) };
    const saved = await saveNewContact(new DexieContactStore(db), contactFields(), meta);
    db.close();
    const again = openDb(db.name);
    expect(await new DexieContactStore(again).get(saved.id)).toEqual(saved);
    expect(await again.contacts.get(saved.id)).toEqual(saved);
    const [row, ...more] = await again.terms.toArray();
    expect(more).toEqual([]);
    expect(row!.ids).toEqual([saved.id]);
    const byKind = (k: number) => [...row!.terms.filter((_, i) => row!.kinds[i] === k)].sort();
    expect(byKind(0)).toEqual(keyHashes(saved.matchKeys).sort());
    expect(byKind(1)).toEqual(nameTermHashes(saved).sort());
    expect(byKind(2)).toEqual(keyHashes(contactBlockingTerms(saved)).sort());
    again.close();
    await again.delete();
  });
});
