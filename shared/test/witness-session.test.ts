import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { inMemoryChannelPair, type PeerChannel } from '../src/peer/channel.js';
import {
  exposedTokens,
  newAlerts,
  runWitnessSession,
  witnessRoleFor,
  witnessToken,
  WITNESS_MAX_FRAME_CHARS,
  type AlertBook,
  type TokenVault,
  type WitnessAlert,
  type WitnessRole,
  type WitnessSessionResult,
  type WitnessToken,
} from '../src/witness/index.js';

const NOW = Date.parse('2026-11-21T10:00:00Z');
const EXPIRY = Date.parse('2026-12-06T03:00:00Z');
const A_ID = '6f1c2a4e-8b3d-4c5a-9e7f-0a1b2c3d4e5f';
const B_ID = '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100';
const TOKEN_AB = witnessToken(A_ID, B_ID);
/** Distinct, realistic tokens: their 16-character prefixes differ as real tokens' do. */
const tok = (n: number): WitnessToken => bytesToHex(sha256(utf8ToBytes(`token ${n}`))) as WitnessToken;
const alert = (n: number): WitnessAlert => ({ token: tok(n), expiresAt: EXPIRY });

/** An in-memory device: its witness tokens, its alerts, and the exposures it found (W6). */
function device(tokens: WitnessToken[] = [], alerts: WitnessAlert[] = []) {
  const held = new Set<string>(tokens);
  const book = new Map<string, WitnessAlert>(alerts.map((a) => [a.token, a]));
  const exposures: WitnessToken[] = [];
  const vault: TokenVault = {
    has: async (t) => held.has(t),
    add: async (t) => (held.has(t) ? false : (held.add(t), true)),
  };
  const alertBook: AlertBook = {
    list: async () => [...book.values()],
    receive: async (received) => {
      const fresh = newAlerts(received, new Set(book.keys()), NOW);
      for (const a of fresh) book.set(a.token, a);
      for (const t of exposedTokens([...held] as WitnessToken[], fresh)) {
        exposures.push(t);
        held.delete(t);
      }
    },
  };
  return { held, book, exposures, vault, alertBook };
}
type Device = ReturnType<typeof device>;

const setTimer = (ms: number, run: () => void) => {
  const t = setTimeout(run, ms);
  return () => clearTimeout(t);
};

function run(channel: PeerChannel, role: WitnessRole, contactId: string, d: Device, timeoutMs?: number) {
  return runWitnessSession(channel, { role, contactId, vault: d.vault, alerts: d.alertBook, setTimer, ...(timeoutMs ? { timeoutMs } : {}) });
}

async function meet(a: Device, b: Device): Promise<[WitnessSessionResult, WitnessSessionResult]> {
  const [ca, cb] = inMemoryChannelPair();
  return Promise.all([run(ca, 'initiator', A_ID, a), run(cb, 'responder', B_ID, b)]);
}

/** Drives one side by hand: what it sends is recorded, and frames are pushed as a hostile peer would. */
function hostile(channel: PeerChannel) {
  const seen: Record<string, unknown>[] = [];
  channel.onMessage((f) => seen.push(JSON.parse(f as string) as Record<string, unknown>));
  const next = async (type: string) => {
    for (let i = 0; i < 100 && !seen.some((m) => m.type === type); i++) await new Promise((r) => setTimeout(r, 1));
    return seen.find((m) => m.type === type);
  };
  return { seen, next, send: (m: unknown) => channel.send(typeof m === 'string' ? m : JSON.stringify(m)) };
}

describe('witness token exchange (W3)', () => {
  it('[W3] the lower session id initiates', () => {
    expect(witnessRoleFor(B_ID, A_ID)).toBe('initiator');
    expect(witnessRoleFor(A_ID, B_ID)).toBe('responder');
  });

  it('[W3] both devices end with the same token, FANNY\'s hash of the sorted contact ids', async () => {
    const a = device();
    const b = device();
    const [ra, rb] = await meet(a, b);
    expect(ra).toMatchObject({ token: { outcome: 'stored', token: TOKEN_AB }, endedBy: 'complete', error: null });
    expect(rb).toMatchObject({ token: { outcome: 'stored', token: TOKEN_AB }, endedBy: 'complete', error: null });
    expect([...a.held]).toEqual([TOKEN_AB]);
    expect([...b.held]).toEqual([TOKEN_AB]);
  });

  it('[W3] a token the initiator already holds aborts the exchange: the responder stores nothing', async () => {
    const a = device([TOKEN_AB]);
    const b = device();
    const [ra, rb] = await meet(a, b);
    expect(ra.token?.outcome).toBe('exists');
    expect(rb.token?.outcome).toBe('exists');
    expect(b.held.size).toBe(0);
  });

  it('[W3] a token the responder already holds is refused with ACK false: the initiator stores nothing', async () => {
    const a = device();
    const b = device([TOKEN_AB]);
    const [ra, rb] = await meet(a, b);
    expect(ra.token?.outcome).toBe('exists');
    expect(rb.token?.outcome).toBe('exists');
    expect(a.held.size).toBe(0);
  });

  it('[W3] the responder stores the token before it acknowledges, the initiator only after the ACK', async () => {
    const [ca, cb] = inMemoryChannelPair();
    const b = device();
    const peer = hostile(ca);
    const session = run(cb, 'responder', B_ID, b);
    expect(await peer.next('PONG')).toEqual({ type: 'PONG', protocol: 'ihyid-witness', versions: [1] });
    peer.send({ type: 'PRIVATE_UUID', v: 1, uuid: A_ID });
    expect(await peer.next('PRIVATE_UUID')).toEqual({ type: 'PRIVATE_UUID', v: 1, uuid: B_ID });
    expect(b.held.size).toBe(0);
    peer.send({ type: 'TOKEN', token: TOKEN_AB });
    expect(await peer.next('ACK')).toEqual({ type: 'ACK', ack: true, token: TOKEN_AB });
    expect([...b.held]).toEqual([TOKEN_AB]);
    peer.send({ type: 'ALERT_HAVE', prefixes: [], last: true });
    peer.send({ type: 'ALERTS', alerts: [], last: true });
    expect((await session).endedBy).toBe('complete');
  });

  const refusals: [string, unknown[], string][] = [
    ['a token that does not match the contact ids', [{ type: 'PRIVATE_UUID', v: 1, uuid: A_ID }, { type: 'TOKEN', token: tok(7) }], 'invalid-item'],
    ['the responder\'s own contact id sent back', [{ type: 'PRIVATE_UUID', v: 1, uuid: B_ID }], 'invalid-item'],
    ['a TOKEN before PRIVATE_UUID', [{ type: 'TOKEN', token: TOKEN_AB }], 'unexpected-message'],
    ['alerts before the token phase ends', [{ type: 'ALERT_HAVE', prefixes: [], last: true }], 'unexpected-message'],
    ['a version the responder does not speak', [{ type: 'PRIVATE_UUID', v: 9, uuid: A_ID }], 'incompatible-version'],
    ['a frame that is not JSON', ['{"type":'], 'malformed-message'],
    ['an unknown field', [{ type: 'PRIVATE_UUID', v: 1, uuid: A_ID, extra: 1 }], 'malformed-message'],
    ['an upper-case contact id', [{ type: 'PRIVATE_UUID', v: 1, uuid: A_ID.toUpperCase() }], 'malformed-message'],
    ['an oversized frame', ['x'.repeat(WITNESS_MAX_FRAME_CHARS + 1)], 'oversized-message'],
  ];
  for (const [what, frames, code] of refusals) {
    it(`[W3] ends the exchange on ${what} with ${code}, storing nothing`, async () => {
      const [ca, cb] = inMemoryChannelPair();
      const b = device();
      const peer = hostile(ca);
      const session = run(cb, 'responder', B_ID, b);
      await peer.next('PONG');
      for (const f of frames) peer.send(f);
      const result = await session;
      expect(result.error?.code).toBe(code);
      expect(result.endedBy).toBe('local');
      expect(await peer.next('ERROR')).toEqual({ type: 'ERROR', code });
      expect(b.held.size).toBe(0);
    });
  }

  it('[W3] lets go of a silent peer after the time-out, storing nothing', async () => {
    const [, cb] = inMemoryChannelPair();
    const b = device();
    const result = await run(cb, 'responder', B_ID, b, 30);
    expect(result.error?.code).toBe('peer-closed');
    expect(result.token).toBeNull();
  });

  it('[W3] ends with peer-closed when the channel drops mid-exchange', async () => {
    const [ca, cb] = inMemoryChannelPair();
    const session = run(cb, 'responder', B_ID, device());
    ca.close();
    expect(await session).toMatchObject({ endedBy: 'transport', error: { code: 'peer-closed' }, token: null });
  });
});

describe('alert reconciliation between two devices (W5, W6)', () => {
  it('[W5] each side sends only what the other lacks, and both end with the union', async () => {
    const a = device([], [alert(1), alert(2), alert(3)]);
    const b = device([], [alert(3), alert(4)]);
    const [ra, rb] = await meet(a, b);
    expect(ra).toMatchObject({ alertsSent: 2, alertsReceived: 1, endedBy: 'complete' });
    expect(rb).toMatchObject({ alertsSent: 1, alertsReceived: 2, endedBy: 'complete' });
    expect([...a.book.keys()].sort()).toEqual([1, 2, 3, 4].map(tok).sort());
    expect([...b.book.keys()].sort()).toEqual([1, 2, 3, 4].map(tok).sort());
  });

  it('[W5] reconciles thousands of alerts over many bounded frames', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => alert(i + 10));
    const a = device([], many);
    const b = device([], many.slice(0, 1000));
    const [ra] = await meet(a, b);
    expect(ra.alertsSent).toBe(4000);
    expect(b.book.size).toBe(5000);
  });

  it('[W5] still reconciles when the token exchange was aborted because the token existed', async () => {
    const a = device([TOKEN_AB], [alert(1)]);
    const b = device([TOKEN_AB]);
    const [ra] = await meet(a, b);
    expect(ra.token?.outcome).toBe('exists');
    expect(b.book.has(tok(1))).toBe(true);
  });

  it('[W6] an alert learnt from a peer that names one of our tokens is an exposure, and the token is deleted', async () => {
    const mine = tok(99);
    const a = device([], [alert(99)]);
    const d = device([mine]);
    await meet(a, d);
    expect(d.exposures).toEqual([mine]);
    expect(d.held.has(mine)).toBe(false);
  });
});
