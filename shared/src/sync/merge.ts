import { compareHlc, parseHlc, type HlcClock } from './hlc.js';
import { makeVersion, type RecordKey, type RecordVersion, type VersionId } from './version.js';

/**
 * X4: what each record is, as a pure function of the set of versions a device holds. Because it
 * depends on the set alone (not on the order versions arrived in), two devices holding the same
 * set show the same records: that is the whole convergence argument.
 *
 * - live: one head, a put.
 * - deleted: every head is a tombstone (two devices deleting the same record agree).
 * - conflict: several heads and at least one put: concurrent edits, or an edit concurrent with a
 *   delete or a merge. Every head is kept until a caseworker resolves it with a version whose
 *   parents are all of them.
 */
export type RecordState =
  | { readonly kind: 'live'; readonly record: RecordKey; readonly head: RecordVersion }
  | { readonly kind: 'deleted'; readonly record: RecordKey; readonly heads: readonly RecordVersion[] }
  | { readonly kind: 'conflict'; readonly record: RecordKey; readonly heads: readonly RecordVersion[] };

/** Newest first by HLC, then by id: one order on every device. */
function byNewest(a: RecordVersion, b: RecordVersion): number {
  return compareHlc(parseHlc(b.body.hlc)!, parseHlc(a.body.hlc)!) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Heads of every record: the held versions that no held version names as a parent. */
export function headsByRecord(versions: Iterable<RecordVersion>): Map<RecordKey, RecordVersion[]> {
  const all: RecordVersion[] = [];
  const superseded = new Set<VersionId>();
  for (const version of versions) {
    all.push(version);
    for (const parent of version.body.parents) superseded.add(parent);
  }
  const heads = new Map<RecordKey, RecordVersion[]>();
  for (const version of all) {
    if (superseded.has(version.id)) continue;
    const list = heads.get(version.body.record);
    if (list) list.push(version);
    else heads.set(version.body.record, [version]);
  }
  for (const list of heads.values()) list.sort(byNewest);
  return heads;
}

export function stateOf(record: RecordKey, heads: readonly RecordVersion[]): RecordState {
  if (heads.length === 0) throw new Error(`no heads for ${record}`);
  if (heads.every((h) => h.body.op === 'delete')) return { kind: 'deleted', record, heads };
  if (heads.length === 1) return { kind: 'live', record, head: heads[0]! };
  return { kind: 'conflict', record, heads };
}

/**
 * What a record shows in a collection that has no caseworker review (lists, decisions, results,
 * audit entries): the newest put head, so every device that holds the same set shows the same row;
 * null when deleted. The other heads stay held, and the next local write names them all as parents.
 */
export function winnerOf(state: RecordState): RecordVersion | null {
  if (state.kind === 'live') return state.head;
  if (state.kind === 'deleted') return null;
  return [...state.heads].sort(byNewest).find((head) => head.body.op === 'put') ?? null;
}

export function recordStates(versions: Iterable<RecordVersion>): Map<RecordKey, RecordState> {
  const out = new Map<RecordKey, RecordState>();
  for (const [record, heads] of headsByRecord(versions)) out.set(record, stateOf(record, heads));
  return out;
}

/** A flat record as the caseworker compares it: field name → value (decrypted and decoded by the caller). */
export type Fields = Readonly<Record<string, unknown>>;

export interface FieldChoice {
  readonly field: string;
  /** Each distinct value and the heads that hold it, newest head first. */
  readonly options: readonly { readonly value: unknown; readonly from: readonly VersionId[] }[];
}

export interface ConflictFields {
  /** Fields every head agrees on, or that only one head changed since the common version: merged for free. */
  readonly merged: Record<string, unknown>;
  /** Fields the heads changed in different ways: a caseworker picks one value for each. */
  readonly choices: readonly FieldChoice[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Field-by-field view of a conflict. `base` is the version the heads last had in common (null when
 * unknown, e.g. two devices created the same record id): a field that only one head changed from
 * the base takes that change; a field changed differently on several heads, or on any head when no
 * base is known, becomes a choice. A field absent from a head (a tombstone has none) reads as
 * undefined, so "deleted" is itself one of the options shown.
 */
export function conflictFields(base: Fields | null, heads: readonly { readonly id: VersionId; readonly fields: Fields | null }[]): ConflictFields {
  const names = new Set<string>();
  for (const h of heads) for (const name of Object.keys(h.fields ?? {})) names.add(name);
  if (base) for (const name of Object.keys(base)) names.add(name);
  const merged: Record<string, unknown> = {};
  const choices: FieldChoice[] = [];
  for (const field of [...names].sort()) {
    const options: { value: unknown; from: VersionId[] }[] = [];
    for (const h of heads) {
      const value = h.fields?.[field];
      const option = options.find((o) => same(o.value, value));
      if (option) option.from.push(h.id);
      else options.push({ value, from: [h.id] });
    }
    if (options.length === 1) {
      merged[field] = options[0]!.value;
      continue;
    }
    const changed = base ? options.filter((o) => !same(o.value, base[field])) : options;
    if (base && changed.length === 1) merged[field] = changed[0]!.value;
    else choices.push({ field, options });
  }
  return { merged, choices };
}

/**
 * The version that resolves a conflict: its parents are every head, so once it has replicated
 * every device sees one head again. `data` is the resolved record (a delete resolves it as deleted).
 */
export function resolveConflict(clock: HlcClock, state: RecordState, data: string | null): RecordVersion {
  const heads = state.kind === 'live' ? [state.head] : state.heads;
  return makeVersion(clock, {
    record: state.record,
    parents: heads.map((h) => h.id),
    ...(data === null ? { op: 'delete' as const } : { op: 'put' as const, data }),
  });
}

/**
 * R5 across devices: merging duplicate `drop` into `keep` writes a new version of `keep` (the
 * merged content) and a tombstone of `drop` that says where it went. An edit of `drop` made
 * meanwhile on another device is not a parent of that tombstone, so after sync `drop` shows as a
 * conflict (merged here, edited there) and the edit survives.
 */
export function mergeRecords(
  clock: HlcClock,
  keep: { readonly record: RecordKey; readonly heads: readonly VersionId[]; readonly data: string },
  drop: { readonly record: RecordKey; readonly heads: readonly VersionId[] },
): [RecordVersion, RecordVersion] {
  const kept = makeVersion(clock, { record: keep.record, parents: keep.heads, op: 'put', data: keep.data });
  const dropped = makeVersion(clock, { record: drop.record, parents: drop.heads, op: 'delete', mergedInto: keep.record });
  return [kept, dropped];
}
