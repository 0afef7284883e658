import type { IhyidDb } from './db';

/** I10: this device's own certificate chain, received when it was paired (absent on the organisation's first device). */
export const OWN_CHAIN = 'device-chain';

/** Device-wide settings an admin changes (A6 protocol switches, A4 standing rules, …), one value per key. */
export interface SettingsStore {
  /** The stored value, as data to parse (old or odd rows must not break a reader); undefined when unset. */
  get(key: string): Promise<unknown>;
  /** Reads, changes and writes one setting in one transaction. */
  update(key: string, change: (value: unknown) => unknown, now: Date): Promise<void>;
}

export class DexieSettingsStore implements SettingsStore {
  constructor(private readonly db: IhyidDb) {}

  async get(key: string): Promise<unknown> {
    return (await this.db.settings.get(key))?.value;
  }

  async update(key: string, change: (value: unknown) => unknown, now: Date): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.settings, async () => {
      const value = change((await db.settings.get(key))?.value);
      await db.settings.put({ key, value, updatedAt: now.toISOString() });
    });
  }
}
