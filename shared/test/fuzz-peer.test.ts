// A8, I8, W3: every decoder at the peer edge takes mutated frames (fields flipped, dropped or added,
// frames truncated, oversized, reordered, duplicated, spliced, not text) through the real state
// machine over the in-memory channel pair. Per decoder: 0 uncaught exceptions, every ending a typed
// error, 0 rows stored once a mutated frame arrived in a session that then fails, and no identity
// other than the honest partner's ever accepted. A session that fails after a mutated frame may keep
// only rows the honest session keeps too (a frame spliced in may be an honest one, arriving early). Fixed seeds; FUZZ_FRAMES sets the count (CI: 5,000;
// `FUZZ_FRAMES=100000 node node_modules/vitest/vitest.mjs run shared/test/fuzz-peer.test.ts` by hand).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bytesToHex,
  identityHandshake,
  inlinePsiWork,
  PeerSession,
  runWitnessSession,
  strictVerify,
  witnessTokenExpiry,
  type AlertBook,
  type CheckItem,
  type PeerChannel,
  type PeerIdentity,
  type SessionEvent,
  type TokenVault,
  type WitnessAlert,
  type WitnessRole,
} from '../src/index.js';
import { org as identityOrg, T0 } from './identity-fixtures.js';
import { inlineWork, items, trustingIdentify, type Identify } from './support/check-org.js';
import { fastGroup } from './support/fast-group.js';
import { fuzzCount, planner, record, replay, tally, type CaseResult, type Victim, type VictimFactory } from './support/fuzz.js';
import { seededRandom } from './support/seeded.js';

const COUNT = fuzzCount(5000);
const TIMEOUT = Math.max(120_000, COUNT * 40);

// Uncaught exceptions and unhandled rejections anywhere in the process while the fuzzers run.
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);
beforeAll(() => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
});
afterAll(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

const EXPIRY = witnessTokenExpiry(new Date(T0)).getTime();
const alert = (n: number): WitnessAlert => ({ token: n.toString(16).padStart(64, 'a') as WitnessAlert['token'], expiresAt: EXPIRY });

/** An alert book holding `held`, recording every alert it is given as a stored row. */
function book(held: WitnessAlert[], stored: string[]): AlertBook {
  return { list: async () => held, receive: async (alerts) => void stored.push(...alerts.map((a) => `alert:${a.token}`)) };
}

interface SessionVictimOptions {
  readonly name: string;
  readonly local: CheckItem[];
  readonly identify: Identify;
  readonly alerts: WitnessAlert[];
  /** Once ready, ask for a psi-v2 check of these (the honest partner does; the victim never does). */
  readonly ask?: CheckItem[];
}

/** A real PeerSession; it consents to every check, and stores results, alerts and the partner it accepted. */
function sessionSide(channel: PeerChannel, o: SessionVictimOptions): Victim & { session: PeerSession } {
  const stored: string[] = [];
  let end: { error: { code: string } | null } | undefined;
  const session: PeerSession = new PeerSession(channel, {
    orgName: o.name,
    random: seededRandom(`fuzz:${o.name}`),
    // The session and its flows are real; only the curve is a fast stand-in (support/fast-group.ts).
    work: { ...inlineWork, psi: inlinePsiWork(fastGroup) },
    localItems: async () => o.local,
    identify: o.identify,
    alerts: book(o.alerts, stored),
    onEvent: (e: SessionEvent) => {
      if (e.type === 'ready') {
        stored.push(`ready:${e.identity.peerKey}`);
        if (o.ask) session.requestCheck('psi-v2', o.ask);
      }
      if (e.type === 'consent-requested') session.acceptCheck(e.checkId);
      if (e.type === 'check-completed') stored.push(...e.known.map((id) => `known:${id}`), `theirs:${e.theirs}`);
      if (e.type === 'check-answered') stored.push(`answered:${e.known}`);
      if (e.type === 'closed') end ??= { error: e.error };
    },
  });
  session.start();
  return { session, stored, ended: () => end };
}

/** Runs `cases` mutated replays of `recorded` against fresh victims and checks the invariants. */
async function fuzz(
  label: string,
  seed: number,
  recorded: Awaited<ReturnType<typeof record>>,
  victim: VictimFactory,
  honestRows: readonly string[],
  count = COUNT,
) {
  const plan = planner(seed);
  const results: CaseResult[] = [];
  const started = Date.now();
  for (let i = 0; i < count; i++) results.push(await replay(plan(recorded), victim));
  const figures = tally(results);
  console.log(JSON.stringify({ fuzz: label, seed, frames: count, transcript: recorded.length, ms: Date.now() - started, ...figures }));

  expect(uncaught).toEqual([]);
  expect(results.filter((r) => r.outcome === 'untyped')).toEqual([]);
  expect(results.flatMap((r) => r.untypedFrames)).toEqual([]);
  // Nothing half-written: a session that fails keeps nothing from the mutated frame on that the honest
  // session would not keep.
  const honest = new Set(honestRows);
  expect(results.filter((r) => r.outcome === 'typed' && r.rowsAfter.some((row) => !honest.has(row)))).toEqual([]);
  // The mutations did reach the decoders: most replays end in a typed refusal.
  expect(figures.outcomes.typed ?? 0).toBeGreaterThan(count / 2);
  return results;
}

describe('fuzzing the peer edges', () => {
  it(`[A8] the peer session decoder: ${COUNT} mutated frames of a psi-v2 check through a real PeerSession`, { timeout: TIMEOUT }, async () => {
    const victimOptions: SessionVictimOptions = {
      name: 'Org A',
      local: items(['H550-N236-G500-A630-19800101', 'V236-N236-G500-A630-19800101'], 'victim'),
      identify: trustingIdentify,
      alerts: [alert(1)],
    };
    const partnerItems = items(['H550-N236-G500-A630-19800101', 'K420-N236-G500-A630-19700101'], 'partner');
    let honest: Victim | undefined;
    const recorded = await record((victimEnd, partnerEnd) => {
      honest = sessionSide(victimEnd, victimOptions);
      sessionSide(partnerEnd, { name: 'Org B', local: partnerItems, identify: trustingIdentify, alerts: [alert(2)], ask: partnerItems });
    });
    // The honest run: ready, the partner's alert kept, one shared contact found on both sides.
    expect(honest!.stored.some((row) => row.startsWith('known:'))).toBe(true);
    const unmutated = await replay({ mutation: 'flip', frames: recorded.map((r) => ({ frame: r.frame, after: r.after })), at: recorded.length }, (c) =>
      sessionSide(c, victimOptions),
    );
    expect(unmutated.outcome).toBe('open');
    await fuzz('peer-session', 20261204, recorded, (c) => sessionSide(c, victimOptions), honest!.stored);
  });

  it(`[I8] the identity decoder: ${COUNT} mutated frames of the identity handshake through a real PeerSession`, { timeout: TIMEOUT }, async () => {
    const [A, B] = [identityOrg('A'), identityOrg('B')];
    const fp = (byte: string) => Array.from({ length: 32 }, () => byte).join(':');
    const sdp = (fingerprint: string) =>
      ['v=0', 'o=- 46117 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', `a=fingerprint:sha-256 ${fingerprint}`, ''].join('\r\n');
    // Ed25519 is deterministic: the same message gets the same real signature and verdict, so they
    // are computed once and looked up on every replay (100,000 replays sign the same transcript).
    const signatures = new Map<string, Uint8Array>();
    const memoSigner = (signer: typeof A.signer): typeof A.signer => ({
      publicKey: signer.publicKey,
      sign: async (message) => {
        const key = `${signer.publicKey}:${bytesToHex(message)}`;
        let signature = signatures.get(key);
        if (signature === undefined) signatures.set(key, (signature = await signer.sign(message)));
        return signature;
      },
    });
    const verdicts = new Map<string, boolean>();
    const memoVerify: typeof strictVerify = async (publicKey, message, signature) => {
      const key = `${publicKey}:${bytesToHex(message)}:${bytesToHex(signature)}`;
      let verdict = verdicts.get(key);
      if (verdict === undefined) verdicts.set(key, (verdict = await strictVerify(publicKey, message, signature)));
      return verdict;
    };
    const handshake = (self: typeof A, local: string, remote: string): Identify => {
      const signer = memoSigner(self.signer);
      return async (port) => {
        const outcome = await identityHandshake(port, {
          signer,
          localSdp: sdp(local),
          remoteSdp: sdp(remote),
          roomId: 'ab'.repeat(32),
          linkKey: new Uint8Array(32).fill(5),
          expectedFingerprint: null,
          registration: null,
          random: seededRandom(`fuzz-handshake:${self.label}`),
          now: T0,
          verify: memoVerify,
        });
        if (!outcome.ok) return outcome;
        const identity: PeerIdentity = { peerKey: outcome.value.peerKey, peerFingerprint: outcome.value.peerFingerprint };
        return { ok: true, value: identity };
      };
    };
    const victimOptions: SessionVictimOptions = { name: 'Org A', local: [], identify: handshake(A, fp('AA'), fp('BB')), alerts: [] };
    let honest: Victim | undefined;
    const recorded = await record((victimEnd, partnerEnd) => {
      honest = sessionSide(victimEnd, victimOptions);
      sessionSide(partnerEnd, { name: 'Org B', local: [], identify: handshake(B, fp('BB'), fp('AA')), alerts: [] });
    });
    expect(honest!.stored).toEqual([`ready:${B.key}`]);
    expect(recorded.some((r) => r.frame.includes('"id-proof"'))).toBe(true);
    const results = await fuzz('identity', 20261205, recorded, (c) => sessionSide(c, victimOptions), honest!.stored);
    // No mutation ever makes the victim accept anyone but the partner who signed the handshake.
    const accepted = new Set(results.flatMap((r) => r.rowsAfter.filter((row) => row.startsWith('ready:'))));
    expect([...accepted].filter((row) => row !== `ready:${B.key}`)).toEqual([]);
  });

  it(`[W3] the witness decoder: ${COUNT} mutated frames of a token exchange through runWitnessSession`, { timeout: TIMEOUT }, async () => {
    const side = (channel: PeerChannel, role: WitnessRole, contactId: string, held: WitnessAlert[]): Victim => {
      const stored: string[] = [];
      const tokens = new Set<string>();
      const vault: TokenVault = {
        has: async (t) => tokens.has(t),
        add: async (t) => {
          if (tokens.has(t)) return false;
          tokens.add(t);
          stored.push(`token:${t}`);
          return true;
        },
      };
      let end: { error: { code: string } | null } | undefined;
      void runWitnessSession(channel, { role, contactId, vault, alerts: book(held, stored), setTimer: () => () => {} }).then((r) => (end = { error: r.error }));
      return { stored, ended: () => end };
    };
    const ids = ['1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100', '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'];
    for (const role of ['initiator', 'responder'] as const) {
      const other = role === 'initiator' ? 'responder' : 'initiator';
      let honest: Victim | undefined;
      const recorded = await record((victimEnd, partnerEnd) => {
        honest = side(victimEnd, role, ids[0]!, [alert(3)]);
        side(partnerEnd, other, ids[1]!, [alert(4), alert(5)]);
      });
      expect(honest!.ended()).toEqual({ error: null });
      expect(honest!.stored.filter((row) => row.startsWith('token:'))).toHaveLength(1);
      // Half the frames against each role, COUNT in all.
      const count = role === 'initiator' ? Math.ceil(COUNT / 2) : Math.floor(COUNT / 2);
      await fuzz(`witness-${role}`, role === 'initiator' ? 20261206 : 20261207, recorded, (c) => side(c, role, ids[0]!, [alert(3)]), honest!.stored, count);
    }
  });
});

