import { describe } from 'vitest';
import { MemorySyncStore } from '../src/sync/store.js';
import { runSyncStoreContract } from './support/sync-store-contract.js';

describe('MemorySyncStore (X4)', () => {
  runSyncStoreContract('MemorySyncStore', async () => new MemorySyncStore());
});
