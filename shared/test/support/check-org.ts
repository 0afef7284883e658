import { inMemoryChannelPair, type PeerChannel } from '../../src/peer/channel.js';
import type { ContactId } from '../../src/core/ids.js';
import type { CheckItem, CheckWork } from '../../src/check/overlap-check.js';
import { inlineCheckWork } from '../../src/check/inline-work.js';
import { PeerSession, type IdentifyFailure, type PeerIdentity, type SessionEvent } from '../../src/peer/session.js';
import { fingerprintOf, type PublicKeyHex } from '../../src/identity/keys.js';
import type { IdentityPort } from '../../src/identity/port.js';
import { ok, type Result } from '../../src/core/result.js';
import { bytesToHex } from '../../src/core/hex.js';
import { nobleCurve } from './noble-curve.js';
import { seededRandom } from './seeded.js';
import type { AlertBook } from '../../src/witness/session.js';
import type { SessionSyncOptions } from '../../src/peer/sync-link.js';
import { CHECK_PROTOCOLS, type CheckProtocol } from '../../src/peer/protocol.js';

export const settle = () => new Promise((r) => setTimeout(r, 0));

export async function until<T extends SessionEvent['type']>(events: SessionEvent[], type: T, limit = 2000): Promise<Extract<SessionEvent, { type: T }>> {
  for (let i = 0; i < limit; i++) {
    const found = events.find((e) => e.type === type);
    if (found) return found as Extract<SessionEvent, { type: T }>;
    await settle();
  }
  throw new Error(`no ${type} event; saw ${[...new Set(events.map((e) => e.type))].join(', ')}`);
}

/** Inline work: the same functions the app's workers run, on the test's thread, with noble's curve. */
export const inlineWork: CheckWork = inlineCheckWork(nobleCurve);

/** A phonetic-v0 key as the app writes it (canonical JSON, keys sorted). */
export const phoneticKey = (id: string) => `{"id":${JSON.stringify(id)},"kind":"phonetic-v0","v":0}`;

/** Contacts `c-<prefix>-<i>` with the given phonetic ids; each gets its phonetic key plus any extra keys. */
export function items(ids: string[], seed: string, extraKeys: (i: number) => string[] = () => []): CheckItem[] {
  return ids.map((phoneticIdV0, i) => ({
    contactId: `c-${seed}-${i}` as ContactId,
    phoneticIdV0,
    keys: [phoneticKey(phoneticIdV0), ...extraKeys(i)],
  }));
}

export type Identify = (port: IdentityPort, partnerName: string) => Promise<Result<PeerIdentity, IdentifyFailure>>;

/** A stand-in identity step that exchanges nothing and names the partner by a key made from its name. */
export const trustingIdentify: Identify = async (_port, partnerName) => {
  const peerKey = bytesToHex(seededRandom(`key:${partnerName}`)(32)) as PublicKeyHex;
  return ok({ peerKey, peerFingerprint: fingerprintOf(peerKey) });
};

export function org(
  name: string,
  channel: PeerChannel,
  local: CheckItem[] = [],
  options: { versions?: number[]; work?: CheckWork; onEvent?(e: SessionEvent): void; identify?: Identify; alerts?: AlertBook; sync?: SessionSyncOptions; enabled?: readonly CheckProtocol[] } = {},
) {
  const events: SessionEvent[] = [];
  const session = new PeerSession(channel, {
    orgName: name,
    random: seededRandom(name),
    versions: options.versions,
    work: options.work ?? inlineWork,
    localItems: async () => local,
    identify: options.identify ?? trustingIdentify,
    alerts: options.alerts,
    sync: options.sync,
    // Tests turn every protocol on unless they test the A11 gate.
    answers: (protocol) => (options.enabled ?? CHECK_PROTOCOLS).includes(protocol),
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  return { session, events };
}

/** Two organisations over an in-memory channel pair, both ready. */
export async function readyPair(a: CheckItem[], b: CheckItem[], options: { a?: Parameters<typeof org>[3]; b?: Parameters<typeof org>[3]; wrap?: { a?: (c: PeerChannel) => PeerChannel; b?: (c: PeerChannel) => PeerChannel } } = {}) {
  const [ca, cb] = inMemoryChannelPair();
  const A = org('Org A', options.wrap?.a?.(ca) ?? ca, a, options.a);
  const B = org('Org B', options.wrap?.b?.(cb) ?? cb, b, options.b);
  A.session.start();
  B.session.start();
  await until(A.events, 'ready');
  await until(B.events, 'ready');
  return { A, B, ca, cb };
}
