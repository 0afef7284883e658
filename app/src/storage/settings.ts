import type { IhyidDb } from './db';

/** I10: this device's own certificate chain, received when it was paired (absent on the organisation's first device). */
export const OWN_CHAIN = 'device-chain';

/** X2 (#14 item 3): minutes without use before the app locks (features/security/idle-lock.ts). */
export const LOCK_KEY = 'lockAfterMinutes';
/** A6: the optional check protocols an admin turned on (features/partners/check-settings.ts). */
export const PROTOCOLS_KEY = 'check.protocols';

/**
 * #16 item 2: the settings that are the organisation's policy rather than one device's habit: a new
 * device takes them from the admin device that pairs it, as stored there (each reader parses its
 * own value defensively). Standing rules (A4) stay behind: they rest on the attesters this device
 * trusts (I7); so does the import's hold-or-flag choice, which is each caseworker's own.
 */
export const POLICY_KEYS = [LOCK_KEY, PROTOCOLS_KEY] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

/** The policy settings this device holds, for a device it pairs; unset ones are left out. */
export async function readPolicy(settings: SettingsStore): Promise<Partial<Record<PolicyKey, unknown>>> {
  const values = await Promise.all(POLICY_KEYS.map((key) => settings.get(key)));
  return Object.fromEntries(POLICY_KEYS.flatMap((key, i) => (values[i] === undefined ? [] : [[key, values[i]]])));
}

/** On a newly paired device: the admin device's policy settings, stored as they came. */
export async function adoptPolicy(settings: SettingsStore, policy: Partial<Record<PolicyKey, unknown>>, now: Date): Promise<void> {
  for (const key of POLICY_KEYS) if (policy[key] !== undefined) await settings.update(key, () => policy[key], now);
}

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
