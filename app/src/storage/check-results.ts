import {
  matchKeys,
  type CheckId,
  type CheckItem,
  type CheckRecord,
  type CheckResultStore,
  type Contact,
  type ContactId,
  type ContactStore,
  type OverlapResult,
} from '@ihyid/shared';
import { checkItemsOf } from './check-keys';

/** Contacts per page read by a check worker: a page crosses to the page's thread as one short task. */
export const CHECK_ITEMS_PAGE = 5000;

export interface CheckItemsPage {
  items: CheckItem[];
  /** The last contact id of this page, to read on after it; null when this was the last page. */
  last: string | null;
}

/**
 * One page of every contact as it may take part in a check, in id order after `after` and up to
 * `upTo` (inclusive, when given). It runs in a check worker (R9), which reads the records and keys
 * any stored without keys itself: 100,000 whole records never cross to the page, only the items, a
 * page at a time.
 */
export async function readCheckItemsPage(contacts: ContactStore, after: string | null, upTo?: string, limit = CHECK_ITEMS_PAGE): Promise<CheckItemsPage> {
  return checkItemsPageOf(await contacts.page(after, limit, upTo), limit);
}

/** The check items of a page of `limit` contacts read in id order; a full page has a next one. */
export async function checkItemsPageOf(page: readonly Contact[], limit: number): Promise<CheckItemsPage> {
  const items = await checkItemsOf(page, async (inputs) => inputs.map((c) => matchKeys(c)));
  return { items, last: page.length === limit ? page[page.length - 1]!.id : null };
}

/**
 * The id ranges a check reads at once, each by its inclusive upper bound (the last: no bound), so
 * that every worker of the pool reads. Contact ids are random UUIDs: sixteen ranges by first hex
 * digit split a caseload evenly; any other id falls in exactly one range too.
 */
export const CHECK_RANGES: readonly (string | undefined)[] = [...[...'0123456789abcde'].map((d) => `${d}\uffff`), undefined];

/**
 * Every contact as it may take part in a check, range by range (all at once) and page by page; each
 * protocol keeps those it can use. Each page is its own read, so the list is not one snapshot: a
 * contact merged or imported while a check reads may be in it or not, as if the check had started a
 * moment earlier or later; one present throughout is read exactly once.
 */
export async function loadCheckItems(readPage: (after: string | null, upTo: string | undefined) => Promise<CheckItemsPage>): Promise<CheckItem[]> {
  const ranges = await Promise.all(
    CHECK_RANGES.map(async (upTo, i) => {
      const items: CheckItem[] = [];
      for (let after = i === 0 ? null : CHECK_RANGES[i - 1]!; ; ) {
        const page = await readPage(after, upTo);
        for (const item of page.items) items.push(item);
        if (page.last === null) return items;
        after = page.last;
      }
    }),
  );
  return ranges.flat();
}

/**
 * A5: a completed check and its per-contact results are written in one transaction, so a crash or a
 * closed tab never leaves half a result (A8). psi-v2 gives per-contact results to both sides.
 */
export async function storeCompletedCheck(
  checks: CheckResultStore,
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
  await checks.addCheck(record, rows);
}

/** The answering side of a uscadi check learns only a count: one record, no per-contact rows. */
export async function storeAnsweredCheck(
  checks: CheckResultStore,
  check: { checkId: CheckId; partnerName: string; protocol: string; count: number; known: number; at: Date },
): Promise<void> {
  await checks.addCheck({ id: check.checkId, partnerName: check.partnerName, protocol: check.protocol, role: 'answered', checkedAt: check.at.toISOString(), sent: check.count, known: check.known }, []);
}
