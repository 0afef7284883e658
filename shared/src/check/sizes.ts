import type { ContactId } from '../core/ids.js';
import type { CheckProtocol } from '../peer/protocol.js';
import { keyKind } from './psi-hash.js';

/** What one contact brings to a check; see overlap-check.ts for the whole record. */
interface SizedItem {
  readonly contactId: ContactId;
  readonly phoneticIdV0: string | null;
  readonly keys: readonly string[];
}

/**
 * A9: what a side announces before any entry is sent, and what the other side consents to:
 * `count` contacts taking part, `items` entries that will follow on the wire (distinct keys for
 * psi-v2, one uscadi per contact for uscadi-v0, one per distinct key of each contact for uscadi-v1).
 * The partner can test at most `items` entries against our list, so this is the figure consent binds.
 */
export interface Sizes {
  readonly count: number;
  readonly items: number;
}

/** psi-v2's distinct keys, each with its kind and every contact that holds it, in first-seen order. */
export interface PsiEntries {
  readonly keys: readonly { json: string; kind: string }[];
  readonly contacts: readonly ContactId[][];
}

// The asker announces before it hashes, and the flow then hashes the very same list: group it once.
const grouped = new WeakMap<readonly SizedItem[], PsiEntries>();

export function psiEntries(items: readonly SizedItem[]): PsiEntries {
  const cached = grouped.get(items);
  if (cached) return cached;
  const byKey = new Map<string, ContactId[]>();
  for (const item of items) {
    for (const key of new Set(item.keys)) {
      const list = byKey.get(key);
      if (list) list.push(item.contactId);
      else byKey.set(key, [item.contactId]);
    }
  }
  const keys: { json: string; kind: string }[] = [];
  const contacts: ContactId[][] = [];
  for (const [json, ids] of byKey) {
    const kind = keyKind(json);
    if (kind === null) continue;
    keys.push({ json, kind });
    contacts.push(ids);
  }
  const entries = { keys, contacts };
  grouped.set(items, entries);
  return entries;
}

/** The sizes a side announces for `items`, already filtered to those eligible for `protocol`. */
export function announcedSizes(protocol: CheckProtocol, items: readonly SizedItem[]): Sizes {
  switch (protocol) {
    case 'psi-v2':
      return { count: items.length, items: psiEntries(items).keys.length };
    case 'uscadi-v0':
      return { count: items.length, items: items.length };
    case 'uscadi-v1':
      return { count: items.length, items: items.reduce((n, i) => n + new Set(i.keys).size, 0) };
  }
}
