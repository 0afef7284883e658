import { createContext, useContext } from 'react';
import type { IdentityService } from '../identity/service';
import type { IhyidDb, Profile } from '../storage/db';
import type { DomainWorker } from '../workers/client';

/** Everything a feature needs, built once in main.tsx and handed down (no module-level singletons). */
export interface AppDeps {
  db: IhyidDb;
  worker: DomainWorker;
  /** Origin of the signaling server; the same origin that served the app (S5). */
  signalingUrl: string;
  randomBytes(n: number): Uint8Array;
  now(): Date;
  /** This installation's identity (I1–I8): one service for the whole page, loaded at start. */
  identity: IdentityService;
}

export const DepsContext = createContext<AppDeps | null>(null);

export function useDeps(): AppDeps {
  const deps = useContext(DepsContext);
  if (!deps) throw new Error('useDeps outside <DepsContext>');
  return deps;
}

export const ProfileContext = createContext<Profile | null>(null);

export function useProfile(): Profile {
  const profile = useContext(ProfileContext);
  if (!profile) throw new Error('useProfile before first-run setup');
  return profile;
}
