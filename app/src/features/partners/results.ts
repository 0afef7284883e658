import type { CheckId, CheckItem, ContactId } from '@ihyid/shared';
import type { CheckRecord, IhyidDb, OverlapResult } from '../../storage/db';
import { checkItemsOf, type KeyInput } from './check-keys';

/** Every contact as it may take part in a check; each protocol keeps those it can use. */
export async function loadCheckItems(db: IhyidDb, computeKeys: (inputs: KeyInput[]) => Promise<string[][]>): Promise<CheckItem[]> {
  return checkItemsOf(await db.contacts.toArray(), computeKeys);
}

/**
 * A5: a completed check and its per-contact results are written in one transaction, so a crash or a
 * closed tab never leaves half a result (A8). psi-v1 gives per-contact results to both sides.
 */
export async function storeCompletedCheck(
  db: IhyidDb,
  check: { checkId: CheckId; partnerName: string; protocol: string; role: 'asked' | 'answered'; sent: number; known: readonly ContactId[]; at: Date },
): Promise<void> {
  const checkedAt = check.at.toISOString();
  const record: CheckRecord = { id: check.checkId, partnerName: check.partnerName, protocol: check.protocol, role: check.role, checkedAt, sent: check.sent, known: check.known.length };
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

/** The answering side of a uscadi check learns only a count: one record, no per-contact rows. */
export async function storeAnsweredCheck(
  db: IhyidDb,
  check: { checkId: CheckId; partnerName: string; protocol: string; count: number; known: number; at: Date },
): Promise<void> {
  await db.checks.add({ id: check.checkId, partnerName: check.partnerName, protocol: check.protocol, role: 'answered', checkedAt: check.at.toISOString(), sent: check.count, known: check.known });
}
