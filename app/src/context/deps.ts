import { createContext, use, useContext } from 'react';
import type { SignalingClient } from '@ihyid/shared';
import type { IdentityService } from '../identity/service';
import type { LinkOptions, WebRtcLink } from '../network/webrtc-channel';
import type { AtRestSession } from '../storage/at-rest/session';
import type { Profile } from '../storage/records';
import type { Stores } from '../storage/stores';
import type { CheckPool } from '../workers/check-work';
import type { ListStore } from '../storage/lists';
import type { DomainWorker } from '../workers/client';
import type { WitnessHandle } from './witness';

/** Everything a feature needs, built once in main.tsx and handed down (no module-level singletons). */
import type { BackupError, Result, Role } from '@ihyid/shared';
import { UNPROTECTED_ROLE } from './route-access';
import type { Restored } from '../storage/at-rest/backup';

export interface AppDeps {
  /** X3: this device's records as one encrypted file, and back (storage/at-rest/backup.ts). */
  backup: { make(passphrase: string): Promise<string>; restore(file: string, passphrase: string): Promise<Result<Restored, BackupError>> };
  /** The organisation's data, only through its stores (storage/stores.ts): features never see a table. */
  stores: Stores;
  /** X2: the vault and, while unlocked, the record keys. */
  atRest: AtRestSession;
  worker: DomainWorker;
  randomBytes(n: number): Uint8Array;
  now(): Date;
  /**
   * This installation's identity (I1–I8): one service for the whole page, loaded and started on the
   * first call (App calls it once the first screen shows: #12 item 9). Components read it through
   * useIdentityService(), which suspends until it is there.
   */
  identity(): Promise<IdentityService>;
  /*
   * Partner sessions' adapters. Each loads its code on first use (Socket.IO, WebRTC, the check
   * workers), so none of it is part of the first paint; tests pass in-memory ones.
   */
  /** A new connection to the signaling server (the in-memory hub in tests). */
  openSignaling(): Promise<SignalingClient>;
  /** One WebRTC data channel to one partner, set up through the given signaling. */
  openLink(options: LinkOptions): Promise<WebRtcLink>;
  /** The pool of check workers, started once and shared by every session. */
  checkPool(): Promise<CheckPool>;
  /** Witness mode's service for this app start, loaded on first use with its real adapters (W1–W7). */
  witness: WitnessHandle;
  /** D1–D5: lists, assignments and the audit trail (the only way features reach those tables). */
  lists: ListStore;
}

export const DepsContext = createContext<AppDeps | null>(null);

export function useDeps(): AppDeps {
  const deps = useContext(DepsContext);
  if (!deps) throw new Error('useDeps outside <DepsContext>');
  return deps;
}

/** X1: the role of the user who unlocked this page (an unprotected device has no users: admin). */
export function useRole(): Role {
  return useDeps().atRest.user?.role ?? UNPROTECTED_ROLE;
}

export const ProfileContext = createContext<Profile | null>(null);

export function useProfile(): Profile {
  const profile = useContext(ProfileContext);
  if (!profile) throw new Error('useProfile before first-run setup');
  return profile;
}

/** The page's identity service, loaded on first use; the component suspends until then (React's use). */
export function useIdentityService(): IdentityService {
  return use(useDeps().identity());
}
