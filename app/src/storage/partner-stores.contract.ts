import { afterEach, describe, expect, it } from 'vitest';
import type { Bond, CheckAuditEntry, CheckId, Invitation } from '@ihyid/shared';
import type { ContractStores } from './contact-store.contract';

const invitation = (id: string, secret: string, createdAt: string): Invitation => ({ id, secret, createdAt, label: id, expiresAt: '2026-12-30T00:00:00.000Z', status: 'open' });
const bond = (fingerprint: string, name: string): Bond => ({ fingerprint, name, pairSecret: `pair-${fingerprint}`, boundAt: '2026-12-05T08:00:00.000Z' });
const audit = (checkId: string, at: string, upTo = 3): CheckAuditEntry => ({ id: `exposed:${checkId}`, kind: 'check-exposed', checkId: checkId as CheckId, partnerName: 'Org X', partnerFingerprint: null, protocol: 'psi-v2', upTo, at });

/**
 * The partner side of the stores (I8, I9, A10): invitations, the partners they bound, and the audit
 * of checks that stopped, with the same behaviour from every implementation (in memory, Dexie,
 * Dexie sealed under X2). Features reach these only through the stores (AppDeps has no database).
 */
export function runPartnerStoresContract(label: string, make: () => Promise<ContractStores>): void {
  describe(`Invitation and check-audit contract: ${label}`, () => {
    const made: ContractStores[] = [];
    const fresh = async (): Promise<ContractStores> => {
      const stores = await make();
      made.push(stores);
      return stores;
    };
    afterEach(async () => {
      for (const s of made.splice(0)) await s.dispose();
    });

    it('[I8] lists invitations newest first, and finds one by its secret', async () => {
      const { invitations } = await fresh();
      await invitations.add(invitation('i1', 's1', '2026-11-20T10:00:00.000Z'));
      await invitations.add(invitation('i2', 's2', '2026-11-21T10:00:00.000Z'));
      expect((await invitations.list()).map((i) => i.id)).toEqual(['i2', 'i1']);
      expect((await invitations.bySecret('s1'))?.id).toBe('i1');
      expect(await invitations.bySecret('s3')).toBeUndefined();
      // The same id twice is refused.
      await expect(invitations.add(invitation('i1', 's9', '2026-11-22T10:00:00.000Z'))).rejects.toThrow();
      expect((await invitations.bySecret('s9'))).toBeUndefined();
    });

    it('[I9] a revoked link stays listed as revoked; revoking an unknown id changes nothing', async () => {
      const { invitations } = await fresh();
      await invitations.add(invitation('i1', 's1', '2026-11-20T10:00:00.000Z'));
      await invitations.revoke('i1');
      await invitations.revoke('nope');
      expect(await invitations.list()).toEqual([{ ...invitation('i1', 's1', '2026-11-20T10:00:00.000Z'), status: 'revoked' }]);
    });

    it('[I9] binding a partner keeps its bond and uses up the inviter\'s link under its name; the invitee\'s side has no link', async () => {
      const { invitations } = await fresh();
      await invitations.add(invitation('i1', 's1', '2026-11-20T10:00:00.000Z'));
      await invitations.add(invitation('i2', 's2', '2026-11-21T10:00:00.000Z'));
      await invitations.bind(bond('FP-ZAHLE', 'Zahle Relief'), 's1', '2026-12-05T09:00:00.000Z');
      await invitations.bind(bond('FP-AKKAR', 'Akkar Aid'), null, '2026-12-05T09:30:00.000Z');
      expect(await invitations.bySecret('s1')).toMatchObject({ status: 'used', partnerName: 'Zahle Relief', partnerFingerprint: 'FP-ZAHLE', usedAt: '2026-12-05T09:00:00.000Z' });
      expect(await invitations.bySecret('s2')).toMatchObject({ status: 'open' });
      expect(await invitations.bond('FP-ZAHLE')).toEqual(bond('FP-ZAHLE', 'Zahle Relief'));
      expect(await invitations.bond('FP-NONE')).toBeUndefined();
      expect((await invitations.bonds()).map((b) => b.name)).toEqual(['Akkar Aid', 'Zahle Relief']);
      expect(await invitations.countBonds()).toBe(2);
      // Bound again (a new pair secret after a re-invitation): one bond per partner, the newest.
      await invitations.bind({ ...bond('FP-ZAHLE', 'Zahle Relief'), pairSecret: 'renewed' }, null, '2026-12-06T09:00:00.000Z');
      expect(await invitations.countBonds()).toBe(2);
      expect((await invitations.bond('FP-ZAHLE'))?.pairSecret).toBe('renewed');
    });

    it('[I9] a used or revoked link owes the close of its room until it is marked closed; an open one owes nothing', async () => {
      const { invitations } = await fresh();
      await invitations.add(invitation('i1', 's1', '2026-11-21T10:00:00.000Z'));
      await invitations.add(invitation('i2', 's2', '2026-11-20T10:00:00.000Z'));
      await invitations.add(invitation('i3', 's3', '2026-11-22T10:00:00.000Z'));
      expect(await invitations.closesOwed()).toEqual([]);
      await invitations.revoke('i1');
      await invitations.bind(bond('FP-ZAHLE', 'Zahle Relief'), 's2', '2026-12-05T09:00:00.000Z');
      // Oldest first; the open link i3 owes nothing.
      expect((await invitations.closesOwed()).map((i) => [i.id, i.status])).toEqual([['i2', 'used'], ['i1', 'revoked']]);
      await invitations.markRoomClosed('s2');
      // A secret no link carries changes nothing.
      await invitations.markRoomClosed('nope');
      expect((await invitations.closesOwed()).map((i) => i.id)).toEqual(['i1']);
      expect(await invitations.bySecret('s2')).toMatchObject({ status: 'used', roomClosed: true, partnerName: 'Zahle Relief' });
      await invitations.markRoomClosed('s1');
      expect(await invitations.closesOwed()).toEqual([]);
      // Marked closed, a link stays listed with its status.
      expect((await invitations.list()).map((i) => [i.id, i.status ?? null, i.roomClosed ?? false])).toEqual([['i3', 'open', false], ['i1', 'revoked', true], ['i2', 'used', true]]);
    });

    it('[A10] the check audit keeps one entry per check, newest first, at most as many as asked', async () => {
      const { checks } = await fresh();
      await checks.addAudit(audit('k1', '2026-12-04T10:00:00.000Z'));
      await checks.addAudit(audit('k2', '2026-12-05T10:00:00.000Z'));
      // The same check reported again (a cancel, then the close) replaces its entry.
      await checks.addAudit(audit('k1', '2026-12-04T10:00:00.000Z', 7));
      expect(await checks.recentAudit(5)).toEqual([audit('k2', '2026-12-05T10:00:00.000Z'), audit('k1', '2026-12-04T10:00:00.000Z', 7)]);
      expect((await checks.recentAudit(1)).map((e) => e.checkId)).toEqual(['k2']);
    });
  });
}
