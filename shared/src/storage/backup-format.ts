import * as v from 'valibot';
import { ErrorCode } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';

/**
 * X3: the encrypted backup's file format (PROTOCOL.md, "Backup"). shared holds what a file must look
 * like; the app derives the keys, encrypts and writes the databases.
 *
 *   file  = UTF-8 JSON {format: "ihyid-backup", v: 1, createdAt, kdf, salt, nonce, check, data}
 *   data  = base64 AES-256-GCM(backup key, nonce, payload JSON, aad = backupAad(header))
 */
export const BACKUP_FORMAT = 'ihyid-backup';
export const BACKUP_VERSION = 1;

const B64 = v.pipe(v.string(), v.regex(/^[A-Za-z0-9+/]*={0,2}$/));

export const BackupKdfSchema = v.strictObject({
  alg: v.literal('argon2id13'),
  ops: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)),
  memKiB: v.pipe(v.number(), v.integer(), v.minValue(8 * 1024), v.maxValue(1024 * 1024)),
});

/** Everything but `v` is checked only once the version is known. */
const VersionSchema = v.object({ format: v.literal(BACKUP_FORMAT), v: v.pipe(v.number(), v.integer(), v.minValue(1)) });

export const BackupFileSchema = v.strictObject({
  format: v.literal(BACKUP_FORMAT),
  v: v.literal(BACKUP_VERSION),
  createdAt: v.pipe(v.string(), v.isoTimestamp()),
  kdf: BackupKdfSchema,
  salt: B64,
  nonce: B64,
  check: B64,
  data: B64,
});
export type BackupFile = v.InferOutput<typeof BackupFileSchema>;
export type BackupHeader = Omit<BackupFile, 'data'>;

/** The associated data of the payload's AES-GCM: every header field, so none can be changed unseen. */
export function backupAad(h: BackupHeader): string {
  return ['ihyid-backup-v1', h.createdAt, h.kdf.alg, h.kdf.ops, h.kdf.memKiB, h.salt, h.nonce, h.check].join('\n');
}

const Rows = v.array(v.record(v.string(), v.unknown()));
export const BackupPayloadSchema = v.strictObject({
  v: v.literal(BACKUP_VERSION),
  /** Database name → its schema version and each table's rows, as the app reads them (opened). */
  databases: v.record(v.string(), v.strictObject({ verno: v.number(), tables: v.record(v.string(), Rows) })),
});
export type BackupPayload = v.InferOutput<typeof BackupPayloadSchema>;

export const BackupError = { Damaged: ErrorCode.BackupDamaged, Unsupported: ErrorCode.BackupUnsupported, WrongPassphrase: ErrorCode.BackupWrongPassphrase } as const;
export type BackupError = (typeof BackupError)[keyof typeof BackupError];

/**
 * The file's header, or why not: not a backup of ours, cut short or changed (`backup-damaged`), or
 * written by a newer version (`backup-unsupported`).
 */
export function parseBackupFile(text: string): Result<BackupFile, BackupError> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return err(BackupError.Damaged);
  }
  const version = v.safeParse(VersionSchema, json);
  if (version.success && version.output.v > BACKUP_VERSION) return err(BackupError.Unsupported);
  const file = v.safeParse(BackupFileSchema, json);
  return file.success ? ok(file.output) : err(BackupError.Damaged);
}

/** The decrypted payload, or `backup-damaged` (an authentic file always parses: this is defence in depth). */
export function parseBackupPayload(text: string): Result<BackupPayload, BackupError> {
  try {
    const payload = v.safeParse(BackupPayloadSchema, JSON.parse(text));
    return payload.success ? ok(payload.output) : err(BackupError.Damaged);
  } catch {
    return err(BackupError.Damaged);
  }
}
