import type { CheckId, CheckItemV0, ContactId } from '@ihyid/shared';
import type { CheckRecord, IhyidDb, OverlapResult } from '../../storage/db';

/** The contacts that can take part in a seed check: those with a phonetic id (both parents named). */
export async function checkItemsV0(db: IhyidDb): Promise<{ items: CheckItemV0[]; excluded: number }> {
  const all = await db.contacts.toArray();
  const items: CheckItemV0[] = [];
  for (const c of all) if (c.phoneticIdV0) items.push({ contactId: c.id, phoneticId: c.phoneticIdV0, secretHex: c.secretHex });
  return { items, excluded: all.length - items.length };
}

/** Our distinct phonetic ids, read from the index alone (no record scan), for the answering side. */
export async function localPhoneticIdsV0(db: IhyidDb): Promise<string[]> {
  return (await db.contacts.orderBy('phoneticIdV0').uniqueKeys()) as string[];
}

/**
 * A5: a completed check and its per-contact results are written in one transaction, so a crash or a
 * closed tab never leaves half a result (A8).
 */
export async function storeCompletedCheck(
  db: IhyidDb,
  check: { checkId: CheckId; partnerName: string; protocol: string; sent: number; known: readonly ContactId[]; at: Date },
): Promise<void> {
  const checkedAt = check.at.toISOString();
  const record: CheckRecord = { id: check.checkId, partnerName: check.partnerName, protocol: check.protocol, role: 'asked', checkedAt, sent: check.sent, known: check.known.length };
  const rows: OverlapResult[] = check.known.map((contactId) => ({
    id: `${check.checkId}:${contactId}`,
    contactId,
    checkId: check.checkId,
    partnerName: check.partnerName,
    protocol: check.protocol,
    checkedAt,
  }));
  await db.transaction('rw', db.checks, db.overlaps, async () => {
    await db.checks.add(record);
    await db.overlaps.bulkAdd(rows);
  });
}

export async function storeAnsweredCheck(
  db: IhyidDb,
  check: { checkId: CheckId; partnerName: string; protocol: string; count: number; known: number; at: Date },
): Promise<void> {
  await db.checks.add({ id: check.checkId, partnerName: check.partnerName, protocol: check.protocol, role: 'answered', checkedAt: check.at.toISOString(), sent: check.count, known: check.known });
}
