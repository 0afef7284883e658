import 'fake-indexeddb/auto';
import { inMemoryChannelPair, runWitnessSession, witnessToken, type WitnessAlert, type WitnessToken } from '@ihyid/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { openWitnessDb, type WitnessDb } from './witness-db';
import { localDay, WitnessStore } from './witness-store';

const opened: WitnessDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

function device(name: string, clock: { now: Date }) {
  const db = openWitnessDb(`witness-test-${name}-${Math.random()}`);
  opened.push(db);
  return { db, store: new WitnessStore(db, () => clock.now) };
}

const A = '6f1c2a4e-8b3d-4c5a-9e7f-0a1b2c3d4e5f';
const B = '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100';
const setTimer = (ms: number, run: () => void) => {
  const t = setTimeout(run, ms);
  return () => clearTimeout(t);
};

describe('witness storage on the device (Dexie, ihyid-witness)', () => {
  it('[W3][W4] stores a token once, with its fixed-hour expiry and the day only', async () => {
    const clock = { now: new Date('2026-11-21T14:37:12Z') };
    const { db, store } = device('a', clock);
    const token = witnessToken(A, B);
    expect(await store.vault.add(token)).toBe(true);
    expect(await store.vault.add(token)).toBe(false);
    expect(await store.vault.has(token)).toBe(true);
    const row = await db.ownTokens.get(token);
    expect(row).toEqual({ id: token, token, expiresAt: Date.parse('2026-12-07T03:00:00Z'), day: localDay(clock.now) });
  });

  it('[W4] sweeps expired tokens and alerts, keeping the rest', async () => {
    const clock = { now: new Date('2026-11-21T14:00:00Z') };
    const { db, store } = device('sweep', clock);
    await store.vault.add('a'.repeat(64) as WitnessToken);
    await db.heldAlerts.put({ id: 'b'.repeat(64), token: 'b'.repeat(64), expiresAt: Date.parse('2026-11-25T03:00:00Z') });
    clock.now = new Date('2026-11-25T03:00:00Z');
    expect(await store.sweep()).toBe(1);
    expect(await store.counts()).toEqual({ tokens: 1, alerts: 0 });
    clock.now = new Date('2026-12-07T03:00:00Z');
    expect(await store.sweep()).toBe(1);
    expect(await store.counts()).toEqual({ tokens: 0, alerts: 0 });
  });

  it('[W6] an alert naming one of our tokens records an exposure for that day and deletes the token', async () => {
    const clock = { now: new Date('2026-11-21T14:00:00Z') };
    const { db, store } = device('exposed', clock);
    const mine = witnessToken(A, B);
    await store.vault.add(mine);
    await store.vault.add('c'.repeat(64) as WitnessToken);
    clock.now = new Date('2026-11-24T09:00:00Z');
    const alerts: WitnessAlert[] = [{ token: mine, expiresAt: Date.parse('2026-12-07T03:00:00Z') }];
    expect(await store.receiveAlerts(alerts)).toMatchObject([{ day: localDay(new Date('2026-11-21T14:00:00Z')) }]);
    expect(await db.ownTokens.get(mine)).toBeUndefined();
    expect((await store.exposures()).map((e) => e.day)).toEqual([localDay(new Date('2026-11-21T14:00:00Z'))]);
    // W5: the alert itself is kept to pass on; hearing it again raises nothing new.
    expect(await store.heldAlerts()).toEqual(alerts);
    expect(await store.receiveAlerts(alerts)).toEqual([]);
  });

  it('[W5] a declaration takes every unexpired token; they are deleted once acknowledged', async () => {
    const clock = { now: new Date('2026-11-21T14:00:00Z') };
    const { store } = device('declare', clock);
    await store.vault.add(witnessToken(A, B));
    const declared = await store.tokensToDeclare();
    expect(declared).toEqual([{ token: witnessToken(A, B), expiresAt: Date.parse('2026-12-07T03:00:00Z') }]);
    await store.deleteTokens(declared.map((a) => a.token));
    expect(await store.counts()).toEqual({ tokens: 0, alerts: 0 });
  });

  it('[W3][W5] two Dexie-backed devices exchange a token and reconcile alerts through the shared session', async () => {
    const clock = { now: new Date('2026-11-21T14:00:00Z') };
    const a = device('peer-a', clock);
    const d = device('peer-d', clock);
    const alert = { token: 'e'.repeat(64) as WitnessToken, expiresAt: Date.parse('2026-12-06T03:00:00Z') };
    await a.store.receiveAlerts([alert]);
    const [ca, cd] = inMemoryChannelPair();
    const [ra, rd] = await Promise.all([
      runWitnessSession(ca, { role: 'initiator', contactId: B, vault: a.store.vault, alerts: a.store.alertBook(() => {}), setTimer }),
      runWitnessSession(cd, { role: 'responder', contactId: A, vault: d.store.vault, alerts: d.store.alertBook(() => {}), setTimer }),
    ]);
    expect([ra.endedBy, rd.endedBy]).toEqual(['complete', 'complete']);
    expect(await a.db.ownTokens.get(witnessToken(A, B))).toBeDefined();
    expect(await d.db.ownTokens.get(witnessToken(A, B))).toBeDefined();
    expect(await d.store.heldAlerts()).toEqual([alert]);
  });
});

describe('witness data at start', () => {
  it('[W4] loads witnessing at start only where witness data is held, without creating a database elsewhere', async () => {
    const { holdsWitnessData } = await import('./witness-db');
    const Dexie = (await import('dexie')).default;
    const name = `witness-test-start-${Math.random()}`;
    expect(await holdsWitnessData(name)).toBe(false);
    expect(await Dexie.exists(name)).toBe(false);
    const clock = { now: new Date('2026-11-21T14:00:00Z') };
    const db = openWitnessDb(name);
    opened.push(db);
    await new WitnessStore(db, () => clock.now).vault.add('d'.repeat(64) as WitnessToken);
    expect(await holdsWitnessData(name)).toBe(true);
  });
});
