import 'fake-indexeddb/auto';
import { inMemoryChannelPair, ok, PeerSession, witnessToken, type PublicKeyHex, type OrgFingerprint, type SessionEvent } from '@ihyid/shared';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { openWitnessDb } from '../../storage/witness-db';
import { partnerAlertBook } from './partner-alerts';
import { WitnessStore } from '../../storage/witness-store';

const A = '6f1c2a4e-8b3d-4c5a-9e7f-0a1b2c3d4e5f';
const B = '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100';
const clock = { now: () => new Date('2026-11-21T14:37:12Z') };
// fake-indexeddb lives in memory: fresh names per test, nothing to delete.
const dbName = () => `partner-alerts-${Math.random()}`;

function session(channel: ReturnType<typeof inMemoryChannelPair>[0], name: string, db: string) {
  const events: SessionEvent[] = [];
  const s = new PeerSession(channel, {
    orgName: name,
    random: (n) => new Uint8Array(n),
    work: {} as never,
    localItems: async () => [],
    onEvent: (e) => events.push(e),
    identify: async () => ok({ peerKey: 'ab'.repeat(32) as PublicKeyHex, peerFingerprint: 'fp' as OrgFingerprint }),
    alerts: partnerAlertBook(clock, db),
  });
  return { s, events };
}

describe('partner alert book over the ihyid-witness database', () => {
  it('[W5] lists nothing and creates no database on a device that never used witness mode', async () => {
    const name = dbName();
    expect(await partnerAlertBook(clock, name).list()).toEqual([]);
    expect(await Dexie.exists(name)).toBe(false);
  });

  it('[W5][W6] an alert held by one partner reaches the other over the session and matches its own token', async () => {
    const heldBy = dbName();
    const ownerOf = dbName();
    const token = witnessToken(A, B);
    // The partner holding the alert learnt it earlier (as from the server); we hold the token itself.
    const holder = new WitnessStore(openWitnessDb(heldBy), clock.now);
    const owner = new WitnessStore(openWitnessDb(ownerOf), clock.now);
    await owner.vault.add(token);
    const [expiry] = await owner.tokensToDeclare();
    await holder.receiveAlerts([expiry!]);

    const [ca, cb] = inMemoryChannelPair();
    const a = session(ca, 'Org A', ownerOf);
    const b = session(cb, 'Org B', heldBy);
    a.s.start();
    b.s.start();
    for (let i = 0; i < 200 && (await owner.exposures()).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(await owner.exposures()).toMatchObject([{ day: '2026-11-21' }]);
    expect(await owner.counts()).toEqual({ tokens: 0, alerts: 1 });
    expect(a.events.some((e) => e.type === 'closed')).toBe(false);
    a.s.close();
  });
});
