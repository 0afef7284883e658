/** Contacts rows into the app's IndexedDB past the app, in its layout (contact-packs-seed.mjs). Run in the page. */
export function writeContactPacks(rows: Record<string, unknown>[]): Promise<void>;
