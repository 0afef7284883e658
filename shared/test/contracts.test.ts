import { inMemoryChannelPair } from '../src/peer/channel.js';
import { MemoryLedgerStore } from '../src/identity/ledger.js';
import { inMemorySignalingHub } from '../src/signaling/client.js';
import { runLedgerStoreContract } from './support/contracts/ledger-store.js';
import { runPeerChannelContract } from './support/contracts/peer-channel.js';
import { runSignalingClientContract } from './support/contracts/signaling-client.js';

// shared's own fakes against the seams' contracts; the app's implementations run the same suites in
// app/test/contracts.test.ts, the server's Seats and Proximity in signaling-server/test/contracts.test.ts.
runPeerChannelContract('inMemoryChannelPair', async () => inMemoryChannelPair());
runLedgerStoreContract('MemoryLedgerStore', async () => new MemoryLedgerStore());
runSignalingClientContract('inMemorySignalingHub', async () => {
  const hub = inMemorySignalingHub();
  return { connect: async () => hub.connect(), lose: async () => hub.restart(), close: async () => undefined };
});
