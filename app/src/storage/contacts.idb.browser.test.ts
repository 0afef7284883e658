import { describe, expect, it } from 'vitest';
import { openDb } from './db';
import { RecordKeys } from './at-rest/keyring';
import { dexieContractStores, runContactStoreContract } from './contact-store.contract';
import { runPartnerStoresContract } from './partner-stores.contract';

// #14 item 1: the stores' contract suites in real Chromium, on its own IndexedDB (no fake-indexeddb):
// the Dexie stores as the app opens them, in the clear and sealed under a data key (X2).
// vitest.browser.config.ts runs this file; `npm test` runs it after the unit tests.
const name = (label: string) => `contract-${label}-${Math.random().toString(36).slice(2)}`;
const clear = async () => dexieContractStores(openDb(name('clear')));
const sealed = async () => {
  const keys = new RecordKeys(crypto.getRandomValues(new Uint8Array(32)), (n) => crypto.getRandomValues(new Uint8Array(n)));
  return dexieContractStores(openDb(name('sealed'), undefined, undefined, { keys: () => keys, role: () => null }));
};

runContactStoreContract('Dexie on Chromium IndexedDB', clear);
runContactStoreContract('Dexie on Chromium IndexedDB, sealed', sealed);
runPartnerStoresContract('Dexie on Chromium IndexedDB', clear);
runPartnerStoresContract('Dexie on Chromium IndexedDB, sealed', sealed);

describe('where the contracts above ran', () => {
  it("[X2] in Chromium, on the browser's own IndexedDB", () => {
    expect(navigator.userAgent).toMatch(/Chrome\//);
    expect(Object.prototype.toString.call(indexedDB)).toBe('[object IDBFactory]');
    expect(IDBFactory.prototype.open.toString()).toContain('[native code]');
  });
});
