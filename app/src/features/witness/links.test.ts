import type { AlertBook, TokenVault, WitnessSessionResult } from '@ihyid/shared';
import { inMemoryLinkNetwork } from '../../network/in-memory-link';
import type { LinkOptions } from '../../network/webrtc-channel';
import { describe, expect, it } from 'vitest';
import { PeerLinks, type WitnessLink } from './links';

const LOW = '10000000-0000-4000-8000-000000000000';
const HIGH = '20000000-0000-4000-8000-000000000000';

/** The in-memory links (openWebRtcLink's fake), noting which side each link was opened as. */
function fakeNetwork() {
  const links = inMemoryLinkNetwork();
  const opened: boolean[] = [];
  const openLink = (options: LinkOptions): WitnessLink => {
    opened.push(options.initiator);
    return links.openLink(options);
  };
  return { openLink, opened };
}

function device(sessionId: string, contactId: string, net: ReturnType<typeof fakeNetwork>, relay: Map<string, PeerLinks>) {
  const tokens = new Set<string>();
  const results: WitnessSessionResult[] = [];
  const vault: TokenVault = { has: async (t) => tokens.has(t), add: async (t) => (tokens.has(t) ? false : (tokens.add(t), true)) };
  const alerts: AlertBook = { list: async () => [], receive: async () => {} };
  const links = new PeerLinks({
    sessionId: () => sessionId,
    contactId,
    vault,
    alerts,
    iceServers: () => [],
    signal: (to, data) => relay.get(to)?.onSignal(sessionId, data),
    openLink: net.openLink,
    onResult: (r) => results.push(r),
    now: () => 0,
  });
  relay.set(sessionId, links);
  return { links, tokens, results };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('witness peer links (W3)', () => {
  it('[W3] the lower session id opens the link; the other answers its signal; both hold one token', async () => {
    const net = fakeNetwork();
    const relay = new Map<string, PeerLinks>();
    const low = device(LOW, '6f1c2a4e-8b3d-4c5a-9e7f-0a1b2c3d4e5f', net, relay);
    const high = device(HIGH, '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100', net, relay);
    high.links.onPeer(LOW);
    low.links.onPeer(HIGH);
    await settle();
    expect(net.opened).toEqual([true, false]);
    expect([...low.tokens]).toEqual([...high.tokens]);
    expect(low.tokens.size).toBe(1);
    expect(low.results[0]?.endedBy).toBe('complete');
  });

  it('[W3] a device already met in this app start is not connected to again', async () => {
    const net = fakeNetwork();
    const relay = new Map<string, PeerLinks>();
    const low = device(LOW, '6f1c2a4e-8b3d-4c5a-9e7f-0a1b2c3d4e5f', net, relay);
    const high = device(HIGH, '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100', net, relay);
    high.links.onPeer(LOW);
    low.links.onPeer(HIGH);
    await settle();
    low.links.onPeer(HIGH);
    high.links.onPeer(LOW);
    await settle();
    expect(net.opened).toHaveLength(2);
  });

  it('[W3] an offer that overtakes the server\'s notice is held until the notice arrives', async () => {
    const net = fakeNetwork();
    const relay = new Map<string, PeerLinks>();
    const low = device(LOW, '6f1c2a4e-8b3d-4c5a-9e7f-0a1b2c3d4e5f', net, relay);
    const high = device(HIGH, '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100', net, relay);
    low.links.onPeer(HIGH);
    await settle();
    expect(net.opened).toEqual([true]);
    expect(high.tokens.size).toBe(0);
    high.links.onPeer(LOW);
    await settle();
    expect(high.tokens.size).toBe(1);
    expect([...low.tokens]).toEqual([...high.tokens]);
  });

  it('[W3] ignores a notice about itself and signals from devices the server never named', async () => {
    const net = fakeNetwork();
    const relay = new Map<string, PeerLinks>();
    const high = device(HIGH, '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100', net, relay);
    high.links.onPeer(HIGH);
    high.links.onSignal(LOW, { type: 'offer', key: 'nothing' });
    await settle();
    expect(net.opened).toEqual([]);
  });
});
