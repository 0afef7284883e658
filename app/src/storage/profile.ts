import type { IhyidDb, Profile } from './db';

/** The organisation's profile, set on first run. */
export interface ProfileStore {
  load(): Promise<Profile | undefined>;
  save(input: { orgName: string; userName: string; defaultCountry: string }, now: Date): Promise<Profile>;
}

export class DexieProfileStore implements ProfileStore {
  constructor(private readonly db: IhyidDb) {}

  load(): Promise<Profile | undefined> {
    return this.db.profile.get('self');
  }

  async save(input: { orgName: string; userName: string; defaultCountry: string }, now: Date): Promise<Profile> {
    const existing = await this.load();
    const profile: Profile = {
      key: 'self',
      orgName: input.orgName.trim(),
      userName: input.userName.trim() || 'admin',
      defaultCountry: input.defaultCountry,
      createdAt: existing?.createdAt ?? now.toISOString(),
    };
    await this.db.profile.put(profile);
    return profile;
  }
}
