import {
  acceptEvents,
  answerRequest,
  DEFAULT_LEDGER_RULES,
  fingerprintOf,
  foldLedger,
  loadValidated,
  newRegistrationSeed,
  registerEvent,
  registrationPrefixFor,
  toSigned,
  validateEvent,
  type AttestationStatus,
  type IdentityMessage,
  type IdentityMessageOf,
  type IdentityRecord,
  type LedgerEvent,
  type LedgerRules,
  type LedgerState,
  type OrgFingerprint,
  type PresentedVerdict,
  type PublicKeyHex,
  type Signer,
  type ValidationContext,
  type Verifier,
} from '@ihyid/shared';
import { lazyStrictVerify } from './strict-verify';
import type { PowProgress } from '../workers/pow-client';
import type { IdentityDb, RequestRow } from './db';
import { ensureKeys, signingKeyOf, webCryptoSigner } from './keys';
import { DexieLedgerStore } from './ledger-store';
import { heldViews, partnerViews, type HeldView, type PartnerView } from './views';
import { loadOwnOrganisation, type OrganisationSource, type OwnOrganisation } from './organisation';

/** Solves a proof of work; the app passes its worker pool, tests a synchronous solver. */
export type PowSolver = (prefix: Uint8Array, bits: number, o: { onProgress: (p: PowProgress) => void; signal: AbortSignal }) => Promise<number | null>;

export interface IdentityDeps {
  db: IdentityDb;
  solve: PowSolver;
  randomBytes(n: number): Uint8Array;
  now(): number;
  verify: Verifier;
  rules?: LedgerRules;
  /**
   * Leading zero bits our own registration aims for. It can only raise the work, never the
   * network's rule: a proof with more zero bits is still a proof (used by the cancel e2e test).
   */
  solveBits?: number;
  /** I5's tick, 120 s (CHALLENGE_INTERVAL_MS) unless set: browser tests shorten it to watch a challenge. */
  challengeIntervalMs?: number;
  /** I10: this device's chain and its organisation's revocations; without it the device is its own root. */
  organisation?: OrganisationSource;
}

export type Registration =
  | { phase: 'unregistered'; error: string | null }
  | { phase: 'solving'; progress: PowProgress }
  | { phase: 'registered' | 'revoked'; record: IdentityRecord };

export interface IdentitySnapshot {
  ready: boolean;
  /** This device's key (I1), which signs; on the organisation's first device also its root. */
  key: PublicKeyHex | null;
  /** I10: the organisation's fingerprint (its root's), the one partners see whichever device connects. */
  fingerprint: OrgFingerprint | null;
  registration: Registration;
  partners: PartnerView[];
  incoming: RequestRow[];
  held: HeldView[];
  /** Stored events that failed re-validation on load and are left out (I3). */
  invalidOnLoad: number;
  /** Partners with a live, verified session right now (the attestation buttons need one). */
  connected: PublicKeyHex[];
  /** I7: verifiers that asked to see our attestations and wait for our user's answer (memory only). */
  presentRequests: PresentationRequest[];
  /** I7: what partners showed us when we asked, as verified here; memory only, latest answer per partner. */
  shown: ShownAttestations[];
}

/** One partner's answer to "show your attestations", each item verified on arrival (I7). */
export interface ShownAttestations {
  peer: PublicKeyHex;
  at: number;
  refused: boolean;
  items: { name: string; value: string; status: AttestationStatus; problem: string | null; attester: PublicKeyHex | null }[];
}

export interface PresentationRequest {
  peer: PublicKeyHex;
  peerName: string;
  message: IdentityMessageOf<'id-present-request'>;
}

/** What a live session lends the identity screen: a way to send `id-*` messages to that partner. */
export interface LivePeer {
  key: PublicKeyHex;
  name: string;
  send(message: IdentityMessage): void;
}

const EMPTY: IdentitySnapshot = {
  ready: false,
  key: null,
  fingerprint: null,
  registration: { phase: 'unregistered', error: null },
  partners: [],
  incoming: [],
  held: [],
  invalidOnLoad: 0,
  connected: [],
  presentRequests: [],
  shown: [],
};

/**
 * This installation's identity: keys (I1), registration (I2), the validated ledger and its fold
 * (I3, I4), attestation requests and held attestations (I7). A plain class; React renders it
 * through useSyncExternalStore. The session integration reads `signer`, `store`, `state()` and
 * calls `accept`, `recordPeer` and `receiveAttestationRequest` (see PROTOCOL.md "Identity").
 */
export class IdentityService {
  readonly store: DexieLedgerStore;
  private snapshot = EMPTY;
  private readonly listeners = new Set<() => void>();
  private events: LedgerEvent[] = [];
  private folded: LedgerState | null = null;
  private keySigner: Signer | null = null;
  private own: OwnOrganisation | null = null;
  private solving: AbortController | null = null;
  private loading: Promise<void> | null = null;
  private registering: Promise<void> | null = null;
  private readonly live = new Map<PublicKeyHex, LivePeer>();

  constructor(readonly deps: IdentityDeps) {
    this.store = new DexieLedgerStore(deps.db);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): IdentitySnapshot => this.snapshot;

  get rules(): LedgerRules {
    return this.deps.rules ?? DEFAULT_LEDGER_RULES;
  }

  get signer(): Signer {
    if (!this.keySigner) throw new Error('identity not loaded');
    return this.keySigner;
  }

  /** I10: this device's organisation (root key and chain), read at load; a pairing reloads the page. */
  get organisation(): OwnOrganisation {
    if (!this.own) throw new Error('identity not loaded');
    return this.own;
  }

  validation(): ValidationContext {
    return { now: this.deps.now(), verify: this.deps.verify, rules: this.rules };
  }

  /** Makes the key pair on first run (I1) and re-validates the whole stored ledger (I3). */
  load(): Promise<void> {
    this.loading ??= (async () => {
      const keys = await ensureKeys(this.deps.db, this.deps.now);
      this.keySigner = webCryptoSigner(keys.publicKey, await signingKeyOf(keys));
      this.own = await loadOwnOrganisation(this.deps.organisation, keys.publicKey);
      const loaded = await loadValidated(this.store, this.validation());
      this.events = loaded.events;
      this.snapshot = { ...this.snapshot, key: keys.publicKey, fingerprint: fingerprintOf(this.own.org), invalidOnLoad: loaded.invalid.length };
      await this.refresh();
    })();
    return this.loading;
  }

  /** The ledger folded at this moment (I4). */
  state(): LedgerState {
    return foldLedger(this.events, this.deps.now(), this.rules);
  }

  ownRegistration(): LedgerEvent | null {
    const record = this.folded?.identities.get(this.signer.publicKey);
    return record ? (this.events.find((e) => e.id === record.registrationId) ?? null) : null;
  }

  /**
   * I1, I2 on first run: once loaded, an unregistered installation starts its registration in the
   * background (the Identity screen shows its progress and can cancel it).
   */
  async start(): Promise<void> {
    await this.load();
    if (this.snapshot.registration.phase === 'unregistered') void this.register();
  }

  /** Resolves once no registration is being solved, so a session sends its registration if it has one. */
  async settled(): Promise<void> {
    await this.load();
    await this.registering;
  }

  /** I2: solve the registration proof of work in the worker pool, with progress; cancel() stops it. */
  register(): Promise<void> {
    if (this.solving || this.snapshot.registration.phase !== 'unregistered') return this.registering ?? Promise.resolve();
    const run = this.solveRegistration().finally(() => {
      if (this.registering === run) this.registering = null;
    });
    this.registering = run;
    return run;
  }

  private async solveRegistration(): Promise<void> {
    const controller = new AbortController();
    this.solving = controller;
    const seed = newRegistrationSeed(this.deps.randomBytes);
    const bits = Math.max(this.rules.registrationBits, this.deps.solveBits ?? 0);
    this.setRegistration({ phase: 'solving', progress: { tried: 0, expected: 2 ** bits } });
    let event: LedgerEvent | null = null;
    let error: string | null = null;
    try {
      const prefix = registrationPrefixFor(this.signer.publicKey, seed);
      const onProgress = (progress: PowProgress) => !controller.signal.aborted && this.setRegistration({ phase: 'solving', progress });
      const nonce = await this.deps.solve(prefix, bits, { onProgress, signal: controller.signal });
      if (nonce !== null) {
        event = await registerEvent(this.signer, seed, nonce, this.deps.now());
        // The WebCrypto signature must pass the strict JavaScript verifier every peer may use.
        const checked = await validateEvent(toSigned(event), { ...this.validation(), verify: lazyStrictVerify });
        if (!checked.ok) [event, error] = [null, `Registration could not be signed (${checked.error}).`];
      }
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    } finally {
      this.solving = null;
    }
    if (event) await this.accept([toSigned(event)]);
    else this.setRegistration({ phase: 'unregistered', error });
  }

  cancelRegistration(): void {
    this.solving?.abort();
  }

  /** Validates and stores events from a peer or from ourselves; returns the ids that were new. */
  async accept(raws: readonly unknown[]): Promise<string[]> {
    const report = await acceptEvents(this.store, raws, this.validation());
    if (report.added.length > 0) {
      const fresh = await this.store.get(report.added);
      this.events = [...this.events, ...fresh];
    }
    await this.refresh();
    return report.added;
  }

  /** Events another writer (reconciliation) already stored: take them into the in-memory ledger. */
  async ingest(ids: readonly string[]): Promise<void> {
    const known = new Set(this.events.map((e) => e.id));
    const fresh = await this.store.get(ids.filter((id) => !known.has(id)));
    this.events = [...this.events, ...fresh];
    await this.refresh();
  }

  /** A verified session lends us its partner while it lasts; the returned function takes it back. */
  attachPeer(peer: LivePeer): () => void {
    this.live.set(peer.key, peer);
    this.publish({ ...this.snapshot, connected: [...this.live.keys()] });
    return () => {
      if (this.live.get(peer.key) !== peer) return;
      this.live.delete(peer.key);
      this.publish({ ...this.snapshot, connected: [...this.live.keys()] });
    };
  }

  livePeer(key: PublicKeyHex): LivePeer | null {
    return this.live.get(key) ?? null;
  }

  /** I7: a verifier asks to see our attestations; it waits for our user while the session lasts. */
  receivePresentationRequest(peer: PublicKeyHex, peerName: string, message: IdentityMessageOf<'id-present-request'>): void {
    this.publish({ ...this.snapshot, presentRequests: [...this.snapshot.presentRequests, { peer, peerName, message }] });
  }

  takePresentationRequest(requestId: string): PresentationRequest | null {
    const found = this.snapshot.presentRequests.find((r) => r.message.requestId === requestId) ?? null;
    if (found) this.publish({ ...this.snapshot, presentRequests: this.snapshot.presentRequests.filter((r) => r !== found) });
    return found;
  }

  /** I7: keeps a partner's verified presentation for the partner card, replacing its previous one. */
  recordShown(peer: PublicKeyHex, refused: boolean, verdicts: readonly PresentedVerdict[]): void {
    const items = verdicts.map((v) => ({ name: v.record?.name ?? '?', value: v.value, status: v.status, problem: v.problem, attester: v.record?.attester ?? null }));
    this.publish({ ...this.snapshot, shown: [...this.snapshot.shown.filter((s) => s.peer !== peer), { peer, at: this.deps.now(), refused, items }] });
  }

  /** The session tells us whom it met (I8 handshake passed): name, time and organisation (I10) for the partner card. */
  async recordPeer(key: PublicKeyHex, orgName: string, org: PublicKeyHex = key): Promise<void> {
    await this.deps.db.peers.put({ key, orgName, lastSeen: this.deps.now(), ...(org !== key && { org }) });
    await this.refresh();
  }

  async setTrusted(key: PublicKeyHex, trusted: boolean, label: string): Promise<void> {
    if (trusted) await this.deps.db.trust.put({ key, label, addedAt: this.deps.now() });
    else await this.deps.db.trust.delete(key);
    await this.refresh();
  }

  /** I7: a partner asks us to attest; it waits for our user in "Requests waiting for me". */
  async receiveAttestationRequest(peer: PublicKeyHex, peerName: string, m: IdentityMessageOf<'id-attest-request'>): Promise<void> {
    const { requestId, name, schema, value, salt, expires } = m;
    await this.deps.db.requests.put({ requestId, direction: 'incoming', peer, peerName, name, schema, value, salt, expires, createdAt: this.deps.now(), status: 'waiting' });
    await this.refresh();
  }

  /** I7: our user attests or refuses; the returned message is for the session to send to the requester. */
  async decide(requestId: string, agreed: boolean): Promise<IdentityMessageOf<'id-attest-response'> | null> {
    const row = await this.deps.db.requests.get(requestId);
    if (!row || row.direction !== 'incoming' || row.status !== 'waiting') return null;
    const answer = await answerRequest(this.signer, row, row.peer, agreed, this.deps.now());
    if (answer.event) await this.accept([toSigned(answer.event)]);
    await this.deps.db.requests.update(requestId, { status: agreed ? 'attested' : 'refused' });
    await this.refresh();
    return answer.message;
  }

  private setRegistration(registration: Registration): void {
    this.publish({ ...this.snapshot, registration });
  }

  async refresh(): Promise<void> {
    const db = this.deps.db;
    const [peers, trust, held, requests] = await Promise.all([db.peers.toArray(), db.trust.toArray(), db.held.toArray(), db.requests.toArray()]);
    const state = this.state();
    this.folded = state;
    const self = this.keySigner?.publicKey ?? null;
    const record = self ? state.identities.get(self) : undefined;
    const registration: Registration = this.solving
      ? this.snapshot.registration
      : record
        ? { phase: record.status === 'revoked' ? 'revoked' : 'registered', record }
        : { phase: 'unregistered', error: this.snapshot.registration.phase === 'unregistered' ? this.snapshot.registration.error : null };
    this.publish({
      ...this.snapshot,
      ready: true,
      registration,
      partners: partnerViews(state, self, { peers, trust, held, requests }),
      incoming: requests.filter((r) => r.direction === 'incoming' && r.status === 'waiting'),
      held: heldViews(state, held),
    });
  }

  private publish(next: IdentitySnapshot): void {
    this.snapshot = next;
    for (const l of this.listeners) l();
  }
}
