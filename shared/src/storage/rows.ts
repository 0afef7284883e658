import * as v from 'valibot';
import { SEXES } from '../contact/sex.js';
import { rowChecks, storedHex } from '../core/rows.js';
import { RoundPlanSchema } from '../lists/round.js';
import { RecordKeySchema, VersionBodySchema, VersionIdSchema } from '../sync/version.js';

/**
 * The organisation's database ('ihyid') as the app writes it (#11 item 5), checked on every read
 * after the seal is opened (X2). Objects are loose: a field a newer build adds does not make an older
 * row unreadable, but every field the app reads has the type it reads. Fields that came after the
 * first schema are optional, so a record an older version stored stays readable.
 */
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(256));
const Text = v.string();
const Iso = v.string();
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Hashes = v.array(v.number());

const Birth = v.union([
  v.looseObject({ kind: v.literal('date'), date: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)) }),
  v.looseObject({ kind: v.literal('year'), year: v.pipe(v.number(), v.integer()) }),
]);

const ContactRow = v.looseObject({
  id: Id,
  firstName: Text,
  lastName: Text,
  fatherName: Text,
  motherName: Text,
  birth: Birth,
  sex: v.picklist(SEXES),
  phone: Text,
  documentType: v.optional(Text),
  documentNumber: v.optional(Text),
  location: v.optional(Text),
  householdSize: v.optional(v.nullable(Count)),
  notes: v.optional(Text),
  secretHex: storedHex(32),
  phoneticIdV0: v.optional(v.nullable(Text)),
  matchKeys: v.optional(v.array(Text)),
  keyHashes: v.optional(Hashes),
  nameTerms: v.optional(Hashes),
  // D1: the import jobs that listed the person, and their keyed hashes (the `*importTerms` index).
  imports: v.optional(v.array(Id)),
  importTerms: v.optional(Hashes),
  createdAt: Iso,
  updatedAt: Iso,
  createdBy: Text,
});

const PairRow = v.looseObject({
  id: Id,
  a: Id,
  b: Id,
  keys: v.array(Text),
  status: v.picklist(['pending', 'same', 'different']),
  foundAt: Iso,
  foundBy: Text,
  decidedAt: v.optional(Iso),
  decidedBy: v.optional(Text),
  keptId: v.optional(Id),
});

const Json = v.unknown();
/** X4: a record version as stored (the app's held-versions.ts). */
const VersionRow = v.looseObject({ id: VersionIdSchema, ts: v.number(), record: RecordKeySchema, body: VersionBodySchema });

export const IHYID_ROWS = rowChecks({
  contacts: ContactRow,
  // R8, X8, D1: one write's index terms (app/src/storage/term-index.ts); the arrays line up.
  terms: v.pipe(
    v.looseObject({
      seq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
      ids: v.array(Id),
      gone: v.array(Id),
      full: v.optional(v.boolean()),
      folds: v.optional(v.array(v.pipe(v.number(), v.safeInteger()))),
      terms: v.instance(Float64Array),
      owners: v.instance(Uint32Array),
      kinds: v.instance(Uint8Array),
    }),
    v.check((row) => row.owners.length === row.terms.length && row.kinds.length === row.terms.length && row.owners.every((o) => o < row.ids.length)),
  ),
  profile: v.looseObject({ key: v.literal('self'), orgName: Text, userName: Text, defaultCountry: v.optional(Text), createdAt: Iso }),
  invitations: v.looseObject({
    id: Id,
    secret: Text,
    createdAt: Iso,
    label: Text,
    expiresAt: v.optional(Iso),
    status: v.optional(v.picklist(['open', 'used', 'revoked'])),
    partnerName: v.optional(Text),
    partnerFingerprint: v.optional(Text),
    usedAt: v.optional(Iso),
    roomClosed: v.optional(v.boolean()),
  }),
  overlaps: v.looseObject({ id: Id, contactId: Id, checkId: Id, partnerName: Text, protocol: Text, checkedAt: Iso }),
  checks: v.looseObject({ id: Id, partnerName: Text, protocol: Text, role: v.picklist(['asked', 'answered']), checkedAt: Iso, sent: Count, known: Count }),
  settings: v.looseObject({ key: Id, value: Json, updatedAt: v.optional(Iso) }),
  pairs: PairRow,
  merged: v.looseObject({ id: Id, intoId: Id, mergedAt: Iso, mergedBy: Text, record: ContactRow }),
  importJobs: v.looseObject({
    id: Id,
    fileName: Text,
    createdAt: Iso,
    mapping: v.record(v.string(), v.number()),
    totalRows: Count,
    nextRow: Count,
    imported: Count,
    duplicates: Count,
    rejected: Count,
    errors: v.array(v.looseObject({ row: v.number(), field: Text, message: Text })),
    status: v.picklist(['running', 'paused', 'cancelled', 'done']),
  }),
  // #12: a row an import held for review, with the contact it would have been.
  importHeld: v.looseObject({
    id: Id,
    jobId: Id,
    row: Count,
    contact: ContactRow,
    candidates: v.array(v.looseObject({ id: Id, keys: v.array(Text) })),
    status: v.picklist(['held', 'merged', 'imported']),
    heldAt: Iso,
    decidedAt: v.optional(Iso),
    decidedBy: v.optional(Text),
    intoId: v.optional(Id),
  }),
  // R4: the file itself, its bytes as base64 (X2: sealed on a protected device, opened first), or a Blob as versions before stored it.
  importFiles: v.union([
    v.looseObject({ id: Id, type: Text, data: v.string() }),
    v.looseObject({ id: Id, blob: v.custom<object>((x) => typeof x === 'object' && x !== null, 'a file') }),
  ]),
  mappings: v.looseObject({ id: Text, mapping: v.record(v.string(), v.number()), savedAt: Iso }),
  lists: v.looseObject({
    id: Id,
    name: Text,
    members: v.array(v.looseObject({ contactId: Id, alreadyServing: v.boolean() })),
    startDate: Text,
    endDate: Text,
    createdAt: Iso,
    updatedAt: Iso,
  }),
  listAssignments: v.looseObject({ id: Id, listId: Id, contactId: Id, server: Text, serverName: Text, partner: Text, reason: Text, roundId: Text, checkId: Text, at: Iso }),
  listAudit: v.looseObject({ id: Id, at: Iso, kind: Text, listId: Id, roundId: Text, by: Text, counts: v.record(v.string(), v.number()) }),
  checkAudit: v.looseObject({ id: Id, kind: v.literal('check-exposed'), checkId: Id, partnerName: Text, partnerFingerprint: v.nullable(Text), protocol: Text, upTo: Count, at: Iso }),
  bonds: v.looseObject({ fingerprint: Id, name: Text, pairSecret: Text, boundAt: Iso }),
  // Versions as the app stored them before packs (schema v17), kept for an older backup's rows (backup.ts).
  syncVersions: VersionRow,
  versionPacks: v.looseObject({ pack: Count, rows: v.array(VersionRow) }),
  versionKeys: v.looseObject({ pack: Count, ids: v.array(VersionIdSchema), ts: v.array(v.number()), records: v.array(RecordKeySchema), hops: v.array(v.array(Text)) }),
  syncConflicts: v.looseObject({ record: RecordKeySchema }),
  // Contacts a hundred to a row, each as the seal stored it, and each pack's ids and times (app/src/storage/contact-packs.ts).
  contactPacks: v.looseObject({ pack: Count, rows: v.array(v.looseObject({ id: Id })) }),
  contactKeys: v.looseObject({ pack: Count, ids: v.array(Id), updatedAt: v.array(v.string()) }),
  syncMeta: v.looseObject({ key: v.picklist(['versions', 'contacts']), stamp: Text }),
  listRounds: v.looseObject({ roundId: Id, listId: Id, plan: RoundPlanSchema, planHash: Text, results: v.array(v.looseObject({})), createdAt: Iso }),
});
