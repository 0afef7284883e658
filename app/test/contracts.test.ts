import 'fake-indexeddb/auto';
import { openIdentityDb } from '../src/identity/db';
import { DexieLedgerStore } from '../src/identity/ledger-store';
import { inMemoryLinkNetwork } from '../src/network/in-memory-link';
import { SignalingConnection } from '../src/network/signaling';
import { startServer } from '../../signaling-server/test/helpers';
import { runLedgerStoreContract } from '../../shared/test/support/contracts/ledger-store';
import { runPeerChannelContract } from '../../shared/test/support/contracts/peer-channel';
import { runSignalingClientContract } from '../../shared/test/support/contracts/signaling-client';

// The app's implementations of shared's seams, held to the same contracts as shared's fakes
// (shared/test/contracts.test.ts). The WebRTC link itself is held to it in the browser, by the e2e suite.
let n = 0;

runLedgerStoreContract('DexieLedgerStore (fake-indexeddb)', async () => new DexieLedgerStore(openIdentityDb(`ledger-contract-${n++}`)));

runPeerChannelContract('in-memory link (the openWebRtcLink fake)', async () => {
  const links = inMemoryLinkNetwork();
  // The links' signals go straight to each other, as the signaling server would relay them.
  const ends: ReturnType<typeof links.openLink>[] = [];
  ends.push(links.openLink({ initiator: true, iceServers: [], sendSignal: (d) => ends[1]!.signal(d) }));
  ends.push(links.openLink({ initiator: false, iceServers: [], sendSignal: (d) => ends[0]!.signal(d) }));
  await Promise.all(ends.map((l) => l.connected));
  return [ends[0]!.channel, ends[1]!.channel];
});

runSignalingClientContract('SignalingConnection (socket.io-client) against the real server', async () => {
  const server = await startServer();
  const clients: SignalingConnection[] = [];
  let down: Promise<void> | null = null;
  const stop = () => (down ??= server.close());
  return {
    connect: async () => {
      const client = new SignalingConnection(server.url);
      clients.push(client);
      return client;
    },
    lose: stop,
    close: async () => {
      for (const c of clients) c.close();
      await stop();
    },
  };
});

