import { allows, Permission, Role } from '@ihyid/shared';
import type { Route } from './router';

/**
 * X1: which screens each role opens. The stores refuse what a role may not do (storage/role-guard.ts);
 * this keeps the screens that would only show refusals out of the menu, and a direct URL to one
 * shows a plain "not allowed for your role" instead.
 */
const NEEDS: Record<Route['name'], Permission | null> = {
  home: null,
  contacts: Permission.ReadContacts,
  'new-contact': Permission.WriteContacts,
  'edit-contact': Permission.ReadContacts,
  duplicates: Permission.ReadContacts,
  import: Permission.WriteContacts,
  export: Permission.ReadContacts,
  lists: Permission.ReadContacts,
  settings: Permission.ReadContacts,
  partners: Permission.Check,
  join: Permission.Check,
  witness: null,
  security: null,
  identity: Permission.Admin,
  devices: Permission.Admin,
  pair: null,
};

export function routeAllowed(route: Route['name'], role: Role): boolean {
  const needs = NEEDS[route];
  return needs === null || allows(role, needs);
}

/** The screen an empty address opens: the contact list, or the checks for a checker. */
export function homeOf(role: Role): Route {
  return allows(role, Permission.ReadContacts) ? { name: 'contacts' } : { name: 'partners' };
}

/** The menu's entries, in order, each shown only to the roles that may open it. */
export const NAV = [
  { href: '#/contacts', route: 'contacts', label: 'common.navContacts' },
  { href: '#/duplicates', route: 'duplicates', label: 'common.navDuplicates' },
  { href: '#/import', route: 'import', label: 'common.navImport' },
  { href: '#/export', route: 'export', label: 'common.navExport' },
  { href: '#/lists', route: 'lists', label: 'common.navLists' },
  { href: '#/partners', route: 'partners', label: 'common.navPartners' },
  { href: '#/identity', route: 'identity', label: 'common.navIdentity' },
  { href: '#/security', route: 'security', label: 'common.navSecurity' },
  { href: '#/devices', route: 'devices', label: 'common.navDevices' },
] as const satisfies readonly { href: string; route: Route['name']; label: string }[];

/** A device without a passphrase has no users: whoever holds it is its admin (X1 needs X2). */
export const UNPROTECTED_ROLE: Role = Role.Admin;
