import { owesClose, type Bond, type CheckAuditEntry, type CheckRecord, type CheckResultStore, type Invitation, type InvitationStore, type OverlapResult } from '@ihyid/shared';
import type { IhyidDb } from './db';
import { rowsOfEach } from './index-lookup';

/** A5, A10: checks, overlap results and the check audit (tables `checks`, `overlaps`, `checkAudit`). */
export class DexieCheckResultStore implements CheckResultStore {
  constructor(private readonly db: IhyidDb) {}

  async addCheck(record: CheckRecord, rows: readonly OverlapResult[]): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.checks, db.overlaps, async () => {
      await db.checks.add(record);
      if (rows.length > 0) await db.overlaps.bulkAdd(rows as OverlapResult[]);
    });
  }

  recentChecks(limit: number): Promise<CheckRecord[]> {
    return this.db.checks.orderBy('checkedAt').reverse().limit(limit).toArray();
  }

  async overlapsFor(contactIds: readonly string[]): Promise<OverlapResult[]> {
    if (contactIds.length === 0) return [];
    const rows = await rowsOfEach(this.db.overlaps, 'contactId', [...new Set(contactIds)]);
    return rows.sort((a, b) => (a.checkedAt < b.checkedAt ? 1 : a.checkedAt > b.checkedAt ? -1 : 0));
  }

  async allOverlaps(): Promise<OverlapResult[]> {
    const rows = await this.db.overlaps.toArray();
    return rows.sort((a, b) => (a.checkedAt < b.checkedAt ? -1 : a.checkedAt > b.checkedAt ? 1 : 0));
  }

  async addAudit(entry: CheckAuditEntry): Promise<void> {
    await this.db.checkAudit.put(entry);
  }

  recentAudit(limit: number): Promise<CheckAuditEntry[]> {
    return this.db.checkAudit.orderBy('at').reverse().limit(limit).toArray();
  }
}

/**
 * I8, I9: invitations and the partners they bound (tables `invitations`, `bonds`). A link's secret is
 * sealed with its row (X2), so it is found by reading the invitations, never through an index: an
 * organisation makes few of them.
 */
export class DexieInvitationStore implements InvitationStore {
  constructor(private readonly db: IhyidDb) {}

  async add(invitation: Invitation): Promise<void> {
    await this.db.invitations.add(invitation);
  }

  list(): Promise<Invitation[]> {
    return this.db.invitations.orderBy('createdAt').reverse().toArray();
  }

  bySecret(secret: string): Promise<Invitation | undefined> {
    return this.db.invitations.filter((i) => i.secret === secret).first();
  }

  async revoke(id: string): Promise<void> {
    await this.db.invitations.update(id, { status: 'revoked' });
  }

  async bind(bond: Bond, invitationSecret: string | null, usedAt: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.bonds, db.invitations, async () => {
      await db.bonds.put(bond);
      if (invitationSecret === null) return;
      await db.invitations.filter((i) => i.secret === invitationSecret).modify({ status: 'used', partnerName: bond.name, partnerFingerprint: bond.fingerprint, usedAt });
    });
  }

  bond(fingerprint: string): Promise<Bond | undefined> {
    return this.db.bonds.get(fingerprint);
  }

  bonds(): Promise<Bond[]> {
    return this.db.bonds.toCollection().sortBy('name');
  }

  countBonds(): Promise<number> {
    return this.db.bonds.count();
  }

  async closesOwed(): Promise<Invitation[]> {
    return this.db.invitations.orderBy('createdAt').filter(owesClose).toArray();
  }

  async markRoomClosed(secret: string): Promise<void> {
    await this.db.invitations.filter((i) => i.secret === secret).modify({ roomClosed: true });
  }
}
