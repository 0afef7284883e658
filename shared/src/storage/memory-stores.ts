import type { Contact } from '../contact/contact.js';
import type { MergeChoices } from '../contact/merge-fields.js';
import { err, ok, type Result } from '../core/result.js';
import { ContactStoreError, type CheckResultStore, type ContactStore, type InvitationStore } from './contact-store.js';
import { contactBlockingTerms } from '../matching/blocking-keys.js';
import { matchesNameQuery } from './name-search.js';
import { owesClose, pairId, planMerge, type Bond, type CheckAuditEntry, type CheckRecord, type Decider, type DuplicatePair, type Invitation, type MergedContact, type OverlapResult } from './records.js';

const newestFirst = (a: { updatedAt: string }, b: { updatedAt: string }): number => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0);
const byKey = <T>(key: (t: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
// Records are plain JSON data (no Date, no Blob): a JSON round trip copies them as IndexedDB would.
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The in-memory ContactStore, for tests. Records are copied in and out, as IndexedDB does, so a
 * caller holding a returned record cannot change what is stored.
 */
export class MemoryContactStore implements ContactStore {
  private readonly contacts = new Map<string, Contact>();
  private readonly pairsById = new Map<string, DuplicatePair>();
  private readonly merged = new Map<string, MergedContact>();

  async add(contacts: readonly Contact[]): Promise<void> {
    const ids = new Set<string>();
    for (const c of contacts) {
      if (this.contacts.has(c.id) || ids.has(c.id)) throw new Error(`contact ${c.id} already stored`);
      ids.add(c.id);
    }
    for (const c of contacts) this.contacts.set(c.id, clone(c));
  }

  async update(id: string, change: (existing: Contact) => Contact): Promise<Result<Contact, ContactStoreError>> {
    const existing = this.contacts.get(id);
    if (!existing) return err(ContactStoreError.NotFound);
    const updated = change(clone(existing));
    this.contacts.set(id, clone(updated));
    return ok(updated);
  }

  async get(id: string): Promise<Contact | undefined> {
    const c = this.contacts.get(id);
    return c && clone(c);
  }

  async getMany(ids: readonly string[]): Promise<(Contact | undefined)[]> {
    return ids.map((id) => {
      const c = this.contacts.get(id);
      return c && clone(c);
    });
  }

  async count(): Promise<number> {
    return this.contacts.size;
  }

  async recent(limit: number): Promise<Contact[]> {
    return [...this.contacts.values()].sort(newestFirst).slice(0, limit).map(clone);
  }

  async search(query: string, limit: number): Promise<Contact[]> {
    if (query.trim() === '') return this.recent(limit);
    return [...this.contacts.values()].filter((c) => matchesNameQuery(c, query)).sort(newestFirst).slice(0, limit).map(clone);
  }

  async withMatchKeys(keys: readonly string[]): Promise<Contact[]> {
    const wanted = new Set(keys);
    return [...this.contacts.values()].filter((c) => (c.matchKeys ?? []).some((k) => wanted.has(k))).map(clone);
  }

  async ids(): Promise<string[]> {
    return [...this.contacts.keys()];
  }

  async idsWithMatchKeys(keys: readonly string[]): Promise<Map<string, string[]>> {
    const wanted = new Set(keys);
    const found = new Map<string, string[]>();
    for (const c of this.contacts.values()) {
      const held = [...new Set(c.matchKeys ?? [])].filter((k) => wanted.has(k));
      if (held.length > 0) found.set(c.id, held);
    }
    return found;
  }

  async withBlockingTerms(terms: readonly string[], cap: number): Promise<Contact[]> {
    const byTerm = new Map(terms.map((t) => [t, [] as Contact[]]));
    for (const c of this.contacts.values()) for (const t of contactBlockingTerms(c)) byTerm.get(t)?.push(c);
    const found = new Map<string, Contact>();
    for (const list of byTerm.values()) if (list.length <= cap) for (const c of list) found.set(c.id, c);
    return [...found.values()].map(clone);
  }

  async page(after: string | null, limit: number, upTo?: string): Promise<Contact[]> {
    return [...this.contacts.values()]
      .filter((c) => (after === null || c.id > after) && (upTo === undefined || c.id <= upTo))
      .sort(byKey((c) => c.id))
      .slice(0, limit)
      .map(clone);
  }

  async pairs(ids: readonly string[]): Promise<(DuplicatePair | undefined)[]> {
    return ids.map((id) => {
      const p = this.pairsById.get(id);
      return p && clone(p);
    });
  }

  async addPendingPairs(pairs: readonly DuplicatePair[]): Promise<void> {
    for (const p of pairs) if (!this.pairsById.has(p.id)) this.pairsById.set(p.id, clone(p));
  }

  async putPair(pair: DuplicatePair): Promise<void> {
    this.pairsById.set(pair.id, clone(pair));
  }

  async merge(keepId: string, mergeId: string, who: Decider, choices?: MergeChoices): Promise<boolean> {
    const keep = this.contacts.get(keepId);
    const gone = this.contacts.get(mergeId);
    if (!keep || !gone) return false;
    const touching = [...this.pairsById.values()].filter((p) => p.a === mergeId || p.b === mergeId);
    const plan = planMerge(keep, gone, this.pairsById.get(pairId(keepId, mergeId)), touching, (id) => this.pairsById.has(id), who, choices);
    this.contacts.set(keepId, clone(plan.kept));
    this.merged.set(plan.merged.id, clone(plan.merged));
    this.contacts.delete(mergeId);
    for (const id of plan.deletePairs) this.pairsById.delete(id);
    for (const p of plan.putPairs) this.pairsById.set(p.id, clone(p));
    return true;
  }

  async pendingPairs(limit: number): Promise<DuplicatePair[]> {
    return [...this.pairsById.values()].filter((p) => p.status === 'pending').sort(byKey((p) => p.id)).slice(0, limit).map(clone);
  }

  async countPending(): Promise<number> {
    return [...this.pairsById.values()].filter((p) => p.status === 'pending').length;
  }

  async allPairs(): Promise<DuplicatePair[]> {
    return [...this.pairsById.values()].sort(byKey((p) => p.foundAt)).map(clone);
  }

  async mergedInto(id: string): Promise<MergedContact[]> {
    return [...this.merged.values()].filter((m) => m.intoId === id).sort(byKey((m) => m.mergedAt)).map(clone);
  }

  async mergedRecords(ids: readonly string[]): Promise<(MergedContact | undefined)[]> {
    return ids.map((id) => {
      const m = this.merged.get(id);
      return m && clone(m);
    });
  }
}

export class MemoryCheckResultStore implements CheckResultStore {
  private readonly checks = new Map<string, CheckRecord>();
  private readonly overlaps = new Map<string, OverlapResult>();
  private readonly audit = new Map<string, CheckAuditEntry>();

  async addCheck(record: CheckRecord, rows: readonly OverlapResult[]): Promise<void> {
    if (this.checks.has(record.id) || rows.some((r) => this.overlaps.has(r.id))) throw new Error(`check ${record.id} already stored`);
    this.checks.set(record.id, clone(record));
    for (const r of rows) this.overlaps.set(r.id, clone(r));
  }

  async recentChecks(limit: number): Promise<CheckRecord[]> {
    return [...this.checks.values()].sort(byKey((c) => c.checkedAt)).reverse().slice(0, limit).map(clone);
  }

  async overlapsFor(contactIds: readonly string[]): Promise<OverlapResult[]> {
    const wanted = new Set(contactIds);
    return [...this.overlaps.values()].filter((r) => wanted.has(r.contactId)).sort(byKey((r) => r.checkedAt)).reverse().map(clone);
  }

  async allOverlaps(): Promise<OverlapResult[]> {
    return [...this.overlaps.values()].sort(byKey((r) => r.checkedAt)).map(clone);
  }

  async addAudit(entry: CheckAuditEntry): Promise<void> {
    this.audit.set(entry.id, clone(entry));
  }

  async recentAudit(limit: number): Promise<CheckAuditEntry[]> {
    return [...this.audit.values()].sort(byKey((e) => e.at)).reverse().slice(0, limit).map(clone);
  }
}

export class MemoryInvitationStore implements InvitationStore {
  private readonly invitations = new Map<string, Invitation>();
  private readonly bondsByKey = new Map<string, Bond>();

  async add(invitation: Invitation): Promise<void> {
    if (this.invitations.has(invitation.id)) throw new Error(`invitation ${invitation.id} already stored`);
    this.invitations.set(invitation.id, clone(invitation));
  }

  async list(): Promise<Invitation[]> {
    return [...this.invitations.values()].sort(byKey((i) => i.createdAt)).reverse().map(clone);
  }

  async bySecret(secret: string): Promise<Invitation | undefined> {
    const found = [...this.invitations.values()].find((i) => i.secret === secret);
    return found && clone(found);
  }

  async revoke(id: string): Promise<void> {
    const invitation = this.invitations.get(id);
    if (invitation) this.invitations.set(id, { ...invitation, status: 'revoked' });
  }

  async bind(bond: Bond, invitationSecret: string | null, usedAt: string): Promise<void> {
    this.bondsByKey.set(bond.fingerprint, clone(bond));
    const invitation = invitationSecret === null ? undefined : [...this.invitations.values()].find((i) => i.secret === invitationSecret);
    if (invitation) this.invitations.set(invitation.id, { ...invitation, status: 'used', partnerName: bond.name, partnerFingerprint: bond.fingerprint, usedAt });
  }

  async bond(fingerprint: string): Promise<Bond | undefined> {
    const found = this.bondsByKey.get(fingerprint);
    return found && clone(found);
  }

  async bonds(): Promise<Bond[]> {
    return [...this.bondsByKey.values()].sort(byKey((b) => b.name)).map(clone);
  }

  async countBonds(): Promise<number> {
    return this.bondsByKey.size;
  }

  async closesOwed(): Promise<Invitation[]> {
    return [...this.invitations.values()].filter(owesClose).sort(byKey((i) => i.createdAt)).map(clone);
  }

  async markRoomClosed(secret: string): Promise<void> {
    for (const i of this.invitations.values()) if (i.secret === secret) this.invitations.set(i.id, { ...i, roomClosed: true });
  }
}
