import { ErrorCode } from '../core/errors.js';

/**
 * X1: the roles of a device's local users. Each user unlocks with their own passphrase; the role
 * decides what the stores built for that session will do (app/src/storage/role-guard.ts).
 *
 * - admin: everything, including protocol switches, users, lock time, backup and restore, devices.
 * - caseworker: register, search, see and edit the organisation's contacts, resolve duplicates, lists.
 * - checker: run and answer overlap checks; never reads a contact's fields (the check reads keys in
 *   the worker pool), so the screens show counts only.
 */
export const Role = { Admin: 'admin', Caseworker: 'caseworker', Checker: 'checker' } as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES: readonly Role[] = [Role.Admin, Role.Caseworker, Role.Checker];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What a store method needs; each role holds a set of these (`ROLE_GRANTS`). */
export const Permission = {
  /** Counts only: how many contacts, pending pairs, checks. */
  Counts: 'counts',
  /** A contact's fields, its duplicate pairs, merged records, per-contact check results, lists. */
  ReadContacts: 'read-contacts',
  /** Registering, editing, importing, merging, deciding pairs, lists. */
  WriteContacts: 'write-contacts',
  /** Running and answering overlap checks: invitations, check records (counts). */
  Check: 'check',
  /** Protocol switches, lock time, profile, devices, users, backup and restore. */
  Admin: 'admin',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

export const ROLE_GRANTS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  admin: new Set(Object.values(Permission)),
  caseworker: new Set<Permission>([Permission.Counts, Permission.ReadContacts, Permission.WriteContacts, Permission.Check]),
  checker: new Set<Permission>([Permission.Counts, Permission.Check]),
};

export function allows(role: Role, permission: Permission): boolean {
  return ROLE_GRANTS[role].has(permission);
}

/**
 * Thrown (as a rejected promise) by a store method the session's role may not use. It carries the
 * shared error code, so the UI says `ERROR_MESSAGES['role-forbidden']` in the reader's language.
 */
export class RoleForbiddenError extends Error {
  readonly code = ErrorCode.RoleForbidden;
  constructor(
    readonly role: Role,
    readonly operation: string,
  ) {
    super(`${operation} is not allowed for the role ${role}`);
    this.name = 'RoleForbiddenError';
  }
}

export function isRoleForbidden(error: unknown): error is RoleForbiddenError {
  return error instanceof RoleForbiddenError || (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === ErrorCode.RoleForbidden);
}
