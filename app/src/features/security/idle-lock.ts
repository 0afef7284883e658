import { LOCK_KEY, type SettingsStore } from '../../storage/settings';

/** X2 (#14 item 3): the idle times an admin can choose, in minutes; 5 unless changed. */
export const LOCK_CHOICES = [1, 2, 5, 10, 15, 30] as const;
export const DEFAULT_LOCK_MINUTES = 5;
type LockMinutes = (typeof LOCK_CHOICES)[number];
const isLockMinutes = (value: unknown): value is LockMinutes => LOCK_CHOICES.includes(value as never);

/** The chosen idle time; a missing or odd stored value (an older version, a hand edit) reads as the default. */
export async function loadLockMinutes(settings: SettingsStore): Promise<number> {
  const stored = await settings.get(LOCK_KEY);
  return isLockMinutes(stored) ? stored : DEFAULT_LOCK_MINUTES;
}

export async function setLockMinutes(settings: SettingsStore, minutes: number, now: Date): Promise<void> {
  if (!isLockMinutes(minutes)) throw new RangeError(`lock time must be one of ${LOCK_CHOICES.join(', ')} minutes`);
  await settings.update(LOCK_KEY, () => minutes, now);
}

export interface IdleLockDeps {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(tick: () => void, ms: number): () => void;
  /** The idle time in force, read at each tick, so a change on the Security screen applies at once. */
  limitMinutes(): Promise<number>;
  lock(): void;
}

/** How often the idle time is checked: a lock comes at most this late. */
export const IDLE_TICK_MS = 15_000;

/**
 * Locks after the chosen minutes without activity. The caller reports activity (a key press, a
 * click, a touch) through the returned `touch`; `stop` ends the watch.
 */
export function idleLock(deps: IdleLockDeps): { touch(): void; stop(): void } {
  let last = deps.now();
  let locked = false;
  const stop = deps.every(() => {
    void deps.limitMinutes().then((minutes) => {
      if (!locked && deps.now() - last > minutes * 60_000) {
        locked = true;
        stop();
        deps.lock();
      }
    });
  }, IDLE_TICK_MS);
  return { touch: () => (last = deps.now()), stop };
}
