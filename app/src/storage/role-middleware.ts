import type { DBCore, DBCoreTable, Middleware } from 'dexie';
import { allows, Permission, RoleForbiddenError, type Role } from '@ihyid/shared';

/**
 * Tables whose rows name or describe contacts: their fields, duplicate decisions, merged records,
 * per-contact check results, imports (and their files and mappings), lists and who serves whom,
 * record versions. A checker's page connection neither reads nor writes them; counting stays open.
 */
export const CONTACT_TABLES: ReadonlySet<string> = new Set([
  'contacts',
  // Where the contacts rest (contact-packs.ts), each as the seal stored it.
  'contactPacks',
  'contactKeys',
  // The contacts' index terms (term-index.ts): keyed hashes, by contact.
  'terms',
  'pairs',
  'merged',
  'overlaps',
  'importJobs',
  'importFiles',
  'importHeld',
  'mappings',
  'lists',
  'listAssignments',
  'listAudit',
  'listRounds',
  'versionPacks',
  'versionKeys',
  'syncConflicts',
  // Only random stamps, but written with the versions and the contacts, by whoever may write them.
  'syncMeta',
]);

/**
 * Tables a checker adds rows to without reading them: the per-contact results of a check the
 * checker ran (ids and the partner's name, stored with the check, A5) for caseworkers to see.
 */
const ADD_ONLY: ReadonlySet<string> = new Set(['overlaps']);

/**
 * X1, below the stores: the page's own connection refuses a checker every read and write of the
 * contact tables (RoleForbiddenError), so code that still holds the database itself (AppDeps.db for
 * the invitation, bond and check-audit tables) cannot reach a contact either. `role()` is null while
 * the page sets up (the first unlock's sealing, the sync clock), which reads every table; the check
 * workers open connections of their own without it (storage/raw-rows.ts).
 */
export function roleMiddleware(role: () => Role | null): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'x1-role',
    create(down) {
      return {
        ...down,
        table(name) {
          const table = down.table(name);
          if (!CONTACT_TABLES.has(name)) return table;
          const refused = (operation: string): Promise<never> | null => {
            const r = role();
            return r !== null && !allows(r, Permission.ReadContacts) ? Promise.reject(new RoleForbiddenError(r, `${name}.${operation}`)) : null;
          };
          const guarded: DBCoreTable = {
            ...table,
            get: (req) => refused('get') ?? table.get(req),
            getMany: (req) => refused('getMany') ?? table.getMany(req),
            query: (req) => refused('query') ?? table.query(req),
            openCursor: (req) => refused('openCursor') ?? table.openCursor(req),
            mutate: (req) => (req.type === 'add' && ADD_ONLY.has(name) ? table.mutate(req) : (refused('mutate') ?? table.mutate(req))),
          };
          return guarded;
        },
      };
    },
  };
}
