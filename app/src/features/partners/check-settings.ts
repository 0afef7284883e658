import { parseFingerprint, type CheckProtocol, type OrgFingerprint } from '@ihyid/shared';
import type { IhyidDb } from '../../storage/db';

/**
 * Device-wide check settings, kept in the `settings` table. A6: the uscadi protocols let a partner
 * test guessed names offline, so they are off until an administrator turns them on. A4: standing
 * rules auto-accept psi-v1 checks from one partner key, verified by the I8 handshake: a typed name
 * proves nothing, so a rule never matches on it.
 */
export interface CheckSettings {
  /** Protocols this device may ask with: psi-v1 always, the others only when turned on. */
  enabled: CheckProtocol[];
  standingRules: StandingRule[];
}

export interface StandingRule {
  /** The partner's key fingerprint (I1), which the session verified. */
  fingerprint: OrgFingerprint;
  /** The name the partner gave when the rule was made, to show the rule; never matched on. */
  partnerName: string;
  protocol: 'psi-v1';
  createdAt: string;
}

const PROTOCOLS_KEY = 'check.protocols';
const RULES_KEY = 'check.standing-rules';
export const OPTIONAL_PROTOCOLS = ['uscadi-v0', 'uscadi-v1'] as const;

export async function loadCheckSettings(db: IhyidDb): Promise<CheckSettings> {
  const [protocols, rules] = await Promise.all([db.settings.get(PROTOCOLS_KEY), db.settings.get(RULES_KEY)]);
  // Stored values are read defensively: a setting is data, and old or odd rows must not break checks.
  const on = Array.isArray(protocols?.value) ? (protocols.value as unknown[]).filter((p): p is (typeof OPTIONAL_PROTOCOLS)[number] => OPTIONAL_PROTOCOLS.includes(p as never)) : [];
  // Rules of earlier versions, keyed by a typed name, carry no fingerprint and are dropped.
  const standingRules = Array.isArray(rules?.value)
    ? (rules.value as StandingRule[]).filter((r) => typeof r?.partnerName === 'string' && typeof r.fingerprint === 'string' && parseFingerprint(r.fingerprint) === r.fingerprint && r.protocol === 'psi-v1')
    : [];
  return { enabled: ['psi-v1', ...OPTIONAL_PROTOCOLS.filter((p) => on.includes(p))], standingRules };
}

export async function setProtocolEnabled(db: IhyidDb, protocol: (typeof OPTIONAL_PROTOCOLS)[number], enabled: boolean, now: Date): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const current = (await loadCheckSettings(db)).enabled.filter((p) => p !== 'psi-v1' && p !== protocol);
    await db.settings.put({ key: PROTOCOLS_KEY, value: enabled ? [...current, protocol] : current, updatedAt: now.toISOString() });
  });
}

export async function addStandingRule(db: IhyidDb, fingerprint: OrgFingerprint, partnerName: string, now: Date): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const rules = (await loadCheckSettings(db)).standingRules.filter((r) => r.fingerprint !== fingerprint);
    rules.push({ fingerprint, partnerName, protocol: 'psi-v1', createdAt: now.toISOString() });
    await db.settings.put({ key: RULES_KEY, value: rules, updatedAt: now.toISOString() });
  });
}

export async function removeStandingRule(db: IhyidDb, fingerprint: OrgFingerprint, now: Date): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const rules = (await loadCheckSettings(db)).standingRules.filter((r) => r.fingerprint !== fingerprint);
    await db.settings.put({ key: RULES_KEY, value: rules, updatedAt: now.toISOString() });
  });
}

export function hasStandingRule(settings: CheckSettings, fingerprint: OrgFingerprint, protocol: CheckProtocol): boolean {
  return protocol === 'psi-v1' && settings.standingRules.some((r) => r.fingerprint === fingerprint);
}
