import { validateEvent, type EventKind, type EventProblem, type LedgerEvent, type ValidationContext } from './events.js';

/**
 * Where the ledger lives. The app implements it with Dexie (database 'ihyid-identity'); tests
 * and reconciliation use `MemoryLedgerStore`. Events are immutable and keyed by their id, so
 * `add` of an event already held changes nothing (replays are idempotent, I3).
 */
export interface LedgerStore {
  ids(): Promise<string[]>;
  get(ids: readonly string[]): Promise<LedgerEvent[]>;
  all(): Promise<LedgerEvent[]>;
  /** Adds in one transaction (A8: nothing half-stored); returns the ids that were new. */
  add(events: readonly LedgerEvent[]): Promise<string[]>;
}

export class MemoryLedgerStore implements LedgerStore {
  private readonly events = new Map<string, LedgerEvent>();

  constructor(initial: readonly LedgerEvent[] = []) {
    for (const e of initial) this.events.set(e.id, e);
  }

  async ids(): Promise<string[]> {
    return [...this.events.keys()];
  }

  async get(ids: readonly string[]): Promise<LedgerEvent[]> {
    return ids.flatMap((id) => (this.events.has(id) ? [this.events.get(id)!] : []));
  }

  async all(): Promise<LedgerEvent[]> {
    return [...this.events.values()];
  }

  async add(events: readonly LedgerEvent[]): Promise<string[]> {
    const added: string[] = [];
    for (const e of events) {
      if (this.events.has(e.id)) continue;
      this.events.set(e.id, e);
      added.push(e.id);
    }
    return added;
  }
}

export interface AcceptReport {
  added: string[];
  duplicates: number;
  rejected: { index: number; problem: EventProblem }[];
}

/**
 * Validates raw events (from a peer or from storage) and stores the valid ones. An event that
 * fails is reported, never stored; the caller decides whether that ends a session.
 */
export async function acceptEvents(store: LedgerStore, raws: readonly unknown[], ctx: ValidationContext): Promise<AcceptReport> {
  const valid: LedgerEvent[] = [];
  const rejected: AcceptReport['rejected'] = [];
  for (const [index, raw] of raws.entries()) {
    const result = await validateEvent(raw, ctx);
    if (result.ok) valid.push(result.value);
    else rejected.push({ index, problem: result.error });
  }
  const added = await store.add(valid);
  return { added, duplicates: valid.length - added.length, rejected };
}

/**
 * Loads and re-validates the whole ledger (I3 "on load"): an event that no longer passes, for
 * example after the network raised its difficulty, is left out of every computation.
 */
export async function loadValidated(store: LedgerStore, ctx: ValidationContext): Promise<{ events: LedgerEvent[]; invalid: string[] }> {
  const events: LedgerEvent[] = [];
  const invalid: string[] = [];
  for (const stored of await store.all()) {
    const result = await validateEvent({ body: stored.body, sig: stored.sig }, ctx);
    if (result.ok && result.value.id === stored.id) events.push(result.value);
    else invalid.push(stored.id);
  }
  return { events, invalid };
}

const KIND_ORDER: Record<EventKind, number> = { register: 0, challenge: 1, solution: 2, ignore: 3, attest: 4, 'revoke-attestation': 5 };

/**
 * The one order in which every installation folds the ledger: by time, then kind, then id. It
 * depends only on the events, never on when or from whom they arrived.
 */
export function ledgerOrder(a: LedgerEvent, b: LedgerEvent): number {
  return a.body.at - b.body.at || KIND_ORDER[a.body.kind] - KIND_ORDER[b.body.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Events in ledger order, so a receiver meets a key's registration before its challenges and solutions. */
export function sendingOrder(events: readonly LedgerEvent[]): LedgerEvent[] {
  return events.slice().sort(ledgerOrder);
}
