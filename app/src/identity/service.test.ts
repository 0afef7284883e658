import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_LEDGER_RULES,
  makeAttestationRequest,
  requestMessage,
  solvePow,
  strictVerify,
  type LedgerRules,
  type PublicKeyHex,
} from '@ihyid/shared';
import { openIdentityDb, type IdentityDb } from './db';
import { signingKeyOf } from './keys';
import { IdentityService, type PowSolver } from './service';

// A small network difficulty keeps the tests fast; the 20-bit vectors live in shared/test/pow.test.ts.
const RULES: LedgerRules = { ...DEFAULT_LEDGER_RULES, registrationBits: 12 };
const T0 = Date.UTC(2026, 0, 1);
const dbs: IdentityDb[] = [];

function random(seed: number): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) =>
    Uint8Array.from({ length: n }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x & 0xff;
    });
}

/** Solves in ranges like the worker pool, reporting progress and honouring the abort signal. */
const solver: PowSolver = async (prefix, bits, o) => {
  for (let start = 0; ; start += 1024) {
    await Promise.resolve();
    if (o.signal.aborted) return null;
    const found = solvePow(prefix, bits, { start, count: 1024 });
    o.onProgress({ tried: start + 1024, expected: 2 ** bits });
    if (found !== null) return found;
  }
};

function track(db: IdentityDb): IdentityDb {
  dbs.push(db);
  return db;
}

function make(name: string, solve: PowSolver = solver, now = () => T0) {
  const db = track(openIdentityDb(name));
  return new IdentityService({ db, solve, randomBytes: random(7), now, verify: strictVerify, rules: RULES });
}

afterEach(async () => {
  const open = dbs.splice(0);
  for (const db of open) db.close();
  for (const db of open) await db.delete();
});

describe('identity service (app)', () => {
  it('[I1] makes an Ed25519 key pair on first run and keeps it: a second start finds the same key', async () => {
    const first = make('id-keys');
    await first.load();
    const again = new IdentityService({ db: track(openIdentityDb('id-keys')), solve: solver, randomBytes: random(1), now: () => T0, verify: strictVerify });
    await again.load();
    expect(first.getSnapshot().fingerprint).toHaveLength(32);
    expect(again.getSnapshot().key).toBe(first.getSnapshot().key);
    // X2: the row holds the key's PKCS#8 (sealed on a protected device), no CryptoKey; the page signs with a non-extractable import.
    const row = await dbs[0]!.keys.get('self');
    expect(row?.privateKey).toBeUndefined();
    expect((await signingKeyOf(row!)).extractable).toBe(false);
  });

  it('[I2] registers with progress; the WebCrypto signature passes the strict verifier; balance 100', async () => {
    const service = make('id-register');
    await service.load();
    const phases: string[] = [];
    service.subscribe(() => phases.push(service.getSnapshot().registration.phase));
    await service.register();
    const snapshot = service.getSnapshot();
    expect(phases).toContain('solving');
    expect(snapshot.registration).toMatchObject({ phase: 'registered', record: { balance: 100, status: 'authenticated' } });
    expect(service.ownRegistration()?.body.kind).toBe('register');
  });

  it('[I2] cancel stops the search and leaves the installation unregistered', async () => {
    const never: PowSolver = (_p, _b, o) =>
      new Promise((resolve) => o.signal.addEventListener('abort', () => resolve(null), { once: true }));
    const service = make('id-cancel', never);
    await service.load();
    const running = service.register();
    expect(service.getSnapshot().registration.phase).toBe('solving');
    service.cancelRegistration();
    await running;
    expect(service.getSnapshot().registration).toEqual({ phase: 'unregistered', error: null });
    expect(await service.store.ids()).toEqual([]);
  });

  it('[I3] the stored ledger is re-validated on load: a tampered record is left out and reported', async () => {
    const service = make('id-reload');
    await service.load();
    await service.register();
    const [row] = await dbs[0]!.events.toArray();
    await dbs[0]!.events.put({ ...row!, body: { ...row!.body, at: row!.body.at + 1 } });
    const reloaded = new IdentityService({ db: track(openIdentityDb('id-reload')), solve: solver, randomBytes: random(2), now: () => T0, verify: strictVerify, rules: RULES });
    await reloaded.load();
    expect(reloaded.getSnapshot().invalidOnLoad).toBe(1);
    expect(reloaded.getSnapshot().registration.phase).toBe('unregistered');
  });

  it('[I7] a request waits for our user; attesting signs an event about the requester and answers it', async () => {
    const attester = make('id-attester');
    await attester.load();
    await attester.register();
    const requester = make('id-requester');
    await requester.load();
    const request = makeAttestationRequest({ name: 'organisation-name', schema: 'text-v1', value: 'Amel', expires: T0 + 86_400_000 }, random(3));
    await attester.receiveAttestationRequest(requester.signer.publicKey, 'Amel', requestMessage(request));
    expect(attester.getSnapshot().incoming).toMatchObject([{ peerName: 'Amel', value: 'Amel', status: 'waiting' }]);

    const answer = await attester.decide(request.requestId, true);
    expect(answer?.event?.body).toMatchObject({ kind: 'attest', subject: requester.signer.publicKey, name: 'organisation-name' });
    expect(attester.getSnapshot().incoming).toEqual([]);
    expect(await attester.decide(request.requestId, false)).toBeNull();
  });

  it('[I4][I7] partners list: balance, name, last seen, and badges once their attester is trusted', async () => {
    let now = T0;
    const a = make('id-a', solver, () => now);
    const b = make('id-b', solver, () => now);
    await Promise.all([a.load(), b.load()]);
    await a.register();
    await b.register();
    const request = makeAttestationRequest({ name: 'organisation-name', schema: 'text-v1', value: 'B', expires: T0 + 86_400_000 }, random(4));
    await a.receiveAttestationRequest(b.signer.publicKey, 'B', requestMessage(request));
    const answer = await a.decide(request.requestId, true);
    // What reconciliation would carry from A to a third party C.
    const c = make('id-c', solver, () => now);
    await c.load();
    now = T0 + 60_000;
    await c.accept([...(await a.store.all()), ...(await b.store.all())].map((e) => ({ body: e.body, sig: e.sig })));
    await c.recordPeer(b.signer.publicKey, 'Org B');
    const partnerB = () => c.getSnapshot().partners.find((p) => p.key === b.signer.publicKey)!;
    expect(partnerB()).toMatchObject({ orgName: 'Org B', lastSeen: now, record: { balance: 100 }, badges: [{ name: 'organisation-name', trusted: false }] });
    await c.setTrusted(a.signer.publicKey as PublicKeyHex, true, 'A');
    expect(partnerB().badges).toMatchObject([{ trusted: true, attestationId: answer!.event && expect.any(String) }]);
  });
});
