import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckId } from '@ihyid/shared';
import { openDb, type IhyidDb } from './db';
import { auditSentence, recordExposure } from './audit';
import { DexieCheckResultStore } from './partner-stores';

let db: IhyidDb | null = null;
afterEach(async () => {
  await db?.delete();
  db = null;
});

describe('check audit (A10)', () => {
  it('[A10] an unfinished check that exposed entries leaves one entry: who, when, how many, no partner data', async () => {
    db = openDb('audit-test');
    const checkId = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4' as CheckId;
    const entry = { checkId, partnerName: 'Org X', partnerFingerprint: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', protocol: 'psi-v2', upTo: 12, at: new Date('2026-12-04T10:00:00Z') };
    const checks = new DexieCheckResultStore(db);
    await recordExposure(checks, entry);
    // The same check reported twice (a cancel, then the close) stays one entry.
    await recordExposure(checks, entry);
    const rows = await checks.recentAudit(10);
    expect(rows).toEqual([{ id: `exposed:${checkId}`, kind: 'check-exposed', checkId, partnerName: 'Org X', partnerFingerprint: entry.partnerFingerprint, protocol: 'psi-v2', upTo: 12, at: '2026-12-04T10:00:00.000Z' }]);
    expect(auditSentence(rows[0]!)).toBe('Org X may have learned whether you hold up to 12 of its entries (shared contacts): the psi-v2 check of 2026-12-04 stopped before it finished, and nothing of it was saved here.');
  });
});
