import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { seededBytes, solvePow, verifyPow, WITNESS_ERROR_MESSAGES } from '@ihyid/shared';
import { inMemoryLinkNetwork } from '../../network/in-memory-link';
import { openWitnessDb } from '../../storage/witness-db';
import { inMemoryWitnessServer } from './in-memory-server';
import { WitnessService, type WitnessSnapshot } from './service';

// WitnessService on fakes: the in-memory /witness server, in-memory links, a fake geolocation, the
// real WitnessStore over fake-indexeddb. Assertions read the service's snapshot and what the server got.
const T0 = new Date('2026-11-21T14:37:12Z');
const cleanup: (() => Promise<void> | void)[] = [];
let n = 0;

afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function fakeGeolocation() {
  let success: PositionCallback | null = null;
  let failure: PositionErrorCallback | null | undefined = null;
  const geo = {
    watching: false,
    watchPosition(ok: PositionCallback, error?: PositionErrorCallback | null) {
      success = ok;
      failure = error;
      geo.watching = true;
      return 1;
    },
    clearWatch() {
      geo.watching = false;
    },
    fix(latitude: number, longitude: number) {
      success?.({ coords: { latitude, longitude } } as GeolocationPosition);
    },
    deny() {
      failure?.({ code: 1, PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3, message: 'denied' } as GeolocationPositionError);
    },
  };
  return geo;
}

function device(server: ReturnType<typeof inMemoryWitnessServer>, links: ReturnType<typeof inMemoryLinkNetwork>, options: { noGeolocation?: boolean } = {}) {
  const geolocation = options.noGeolocation ? undefined : fakeGeolocation();
  // fake-indexeddb lives in memory: a fresh name per device, nothing to delete (work in flight may still read it).
  const db = openWitnessDb(`witness-service-test-${n++}`);
  const service = new WitnessService({
    randomBytes: seededBytes(n),
    now: () => T0,
    geolocation,
    db,
    openSocket: (handlers) => server.openSocket(handlers),
    openDeclaration: () => server.openDeclaration(),
    openLink: (options) => links.openLink(options),
    solveStamp: async (prefix, bits) => solvePow(prefix, bits, { start: 0, count: 1 << 20 })!,
  });
  cleanup.push(() => service.dispose());
  return { service, geolocation, db };
}

/** Two witness devices in witness mode that the server has introduced, each holding their shared token (W3). */
async function twoDevicesWithAToken() {
  const server = inMemoryWitnessServer();
  const links = inMemoryLinkNetwork();
  const [a, b] = [device(server, links), device(server, links)];
  for (const d of [a, b]) {
    await until(d.service, (s) => s.connected);
    d.service.turnOn();
    await until(d.service, (s) => s.mode === 'on');
  }
  server.introduce(0, 1);
  await Promise.all([until(a.service, (s) => s.tokens === 1), until(b.service, (s) => s.tokens === 1)]);
  return { server, links, a, b };
}

function until(service: WitnessService, test: (s: WitnessSnapshot) => boolean): Promise<WitnessSnapshot> {
  return new Promise((resolve) => {
    const check = () => {
      if (!test(service.getSnapshot())) return;
      stop();
      resolve(service.getSnapshot());
    };
    const stop = service.subscribe(check);
    check();
  });
}

describe('WitnessService (on fakes)', () => {
  it('[W2] reports nothing before consent; once on, the first fix goes to the server, and off stops the watch and the connection', async () => {
    const server = inMemoryWitnessServer();
    const { service, geolocation } = device(server, inMemoryLinkNetwork());
    await until(service, (s) => s.connected);
    expect(geolocation!.watching).toBe(false);
    service.turnOn();
    await until(service, (s) => s.mode === 'on');
    geolocation!.fix(33.89, 35.5);
    expect(server.sockets[0]!.positions).toEqual([[33.89, 35.5]]);
    service.turnOff();
    expect(geolocation!.watching).toBe(false);
    expect(server.sockets[0]!.connected).toBe(false);
    // A fresh connection, with no position and no session, waits for the next consent.
    expect(service.getSnapshot().mode).toBe('off');
    await until(service, (s) => s.connected);
    expect(server.sockets[1]!.sessionId).toBeNull();
  });

  it('[W2] a browser without geolocation, or a refused permission, leaves witness mode off with a sentence', async () => {
    const server = inMemoryWitnessServer();
    const without = device(server, inMemoryLinkNetwork(), { noGeolocation: true });
    without.service.turnOn();
    expect(without.service.getSnapshot()).toMatchObject({ mode: 'off', problem: 'This browser cannot share its location, so witness mode cannot run.' });

    const refused = device(server, inMemoryLinkNetwork());
    await until(refused.service, (s) => s.connected);
    refused.service.turnOn();
    refused.geolocation!.deny();
    expect(refused.service.getSnapshot().mode).toBe('off');
    expect(refused.service.getSnapshot().problem).toMatch(/^Location permission was refused/);
    expect(refused.geolocation!.watching).toBe(false);
  });

  it('[W3][W1] two devices the server finds near each other make one shared token each', async () => {
    const { server, a, b } = await twoDevicesWithAToken();
    const [ta, tb] = await Promise.all([a.db.ownTokens.toArray(), b.db.ownTokens.toArray()]);
    expect(ta.map((t) => t.token)).toEqual(tb.map((t) => t.token));
    // W1: only the token and its day are kept; no session or contact id is written.
    expect(Object.keys(ta[0]!).sort()).toEqual(['day', 'expiresAt', 'id', 'token']);
  });

  it('[W5][W6] a declaration sends every token with a valid stamp and deletes it; the other device sees an exposure, the declarer none', async () => {
    const { server, a, b } = await twoDevicesWithAToken();

    await a.service.declare();
    expect(a.service.getSnapshot().declaration).toEqual({ state: 'done', count: 1 });
    expect(server.declared).toHaveLength(1);
    expect(await a.db.ownTokens.count()).toBe(0);
    const exposed = await until(b.service, (s) => s.exposures.length === 1);
    expect(exposed.exposures[0]).toMatchObject({ day: '2026-11-21' });
    // Its own token heard back from the server is no exposure for the declarer (W6).
    await a.service.refresh();
    expect(a.service.getSnapshot().exposures).toEqual([]);
  });

  it('[W5] with no token to declare, nothing is sent and the user reads why', async () => {
    const server = inMemoryWitnessServer();
    const { service } = device(server, inMemoryLinkNetwork());
    await service.declare();
    expect(service.getSnapshot().declaration).toEqual({ state: 'failed', message: 'There are no witness tokens on this device to declare.' });
    expect(server.declared).toEqual([]);
  });

  it('[W5] a stamp the server refuses keeps the tokens and shows the server\'s sentence', async () => {
    const { server, links, a } = await twoDevicesWithAToken();
    const cheat = new WitnessService({
      randomBytes: seededBytes(99),
      now: () => T0,
      geolocation: undefined,
      db: a.db,
      openSocket: (handlers) => server.openSocket(handlers),
      openDeclaration: () => server.openDeclaration(),
      openLink: (options) => links.openLink(options),
      // The first nonce that does NOT meet the difficulty: a stamp the server must refuse.
      solveStamp: async (prefix, bits) => {
        let nonce = 0;
        while (verifyPow(prefix, nonce, bits)) nonce++;
        return nonce;
      },
    });
    cleanup.push(() => cheat.dispose());
    await cheat.declare();
    expect(server.declared).toEqual([]);
    expect(cheat.getSnapshot().declaration).toEqual({ state: 'failed', message: WITNESS_ERROR_MESSAGES['invalid-stamp'] });
    expect(await a.db.ownTokens.count()).toBe(1);
  });

  it('[W7] a dropped connection ends the session; the reconnection starts a new one with a new session id', async () => {
    const server = inMemoryWitnessServer();
    const { service } = device(server, inMemoryLinkNetwork());
    await until(service, (s) => s.connected);
    service.turnOn();
    await until(service, (s) => s.mode === 'on');
    const first = server.sockets[0]!.sessionId;
    server.drop(0);
    expect(service.getSnapshot().connected).toBe(false);
    await until(service, (s) => s.connected);
    await new Promise((r) => setTimeout(r, 0));
    expect(server.sockets[0]!.sessionId).not.toBeNull();
    expect(server.sockets[0]!.sessionId).not.toBe(first);
  });
});
