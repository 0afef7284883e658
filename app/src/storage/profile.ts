import type { IhyidDb, Profile } from './db';

export async function loadProfile(db: IhyidDb): Promise<Profile | undefined> {
  return db.profile.get('self');
}

export async function saveProfile(db: IhyidDb, input: { orgName: string; userName: string; defaultCountry: string }): Promise<Profile> {
  const existing = await loadProfile(db);
  const profile: Profile = {
    key: 'self',
    orgName: input.orgName.trim(),
    userName: input.userName.trim() || 'admin',
    defaultCountry: input.defaultCountry,
    createdAt: existing?.createdAt ?? new Date().toISOString(),
  };
  await db.profile.put(profile);
  return profile;
}
