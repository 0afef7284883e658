import { parseFingerprint, type CheckProtocol, type OrgFingerprint } from '@ihyid/shared';
import { PROTOCOLS_KEY, type SettingsStore } from '../../storage/settings';

/**
 * Device-wide check settings, kept in the `settings` table. A6: the uscadi protocols let a partner
 * test guessed names offline, so they are off until an administrator turns them on. A4: standing
 * rules auto-accept psi-v2 checks from an attested partner: one partner key, verified by the I8
 * handshake (a typed name proves nothing, so a rule never matches on it), and only while that key
 * holds a current attestation of the rule's attribute by an attester this device trusts (I7).
 */
export interface CheckSettings {
  /** Protocols this device may ask with: psi-v2 always, the others only when turned on. */
  enabled: CheckProtocol[];
  standingRules: StandingRule[];
}

export interface StandingRule {
  /** The partner's key fingerprint (I1), which the session verified. */
  fingerprint: OrgFingerprint;
  /** The name the partner gave when the rule was made, to show the rule; never matched on. */
  partnerName: string;
  protocol: 'psi-v2';
  /** I7: the attested attribute (e.g. `organisation-name`) the partner must still hold, by a trusted attester. */
  attribute: string;
  createdAt: string;
}

const RULES_KEY = 'check.standing-rules';
export const OPTIONAL_PROTOCOLS = ['uscadi-v0', 'uscadi-v1'] as const;

export async function loadCheckSettings(settings: SettingsStore): Promise<CheckSettings> {
  const [protocols, rules] = await Promise.all([settings.get(PROTOCOLS_KEY), settings.get(RULES_KEY)]);
  return parseCheckSettings(protocols, rules);
}

/** Stored values are read defensively: a setting is data, and old or odd rows must not break checks. */
function parseCheckSettings(protocols: unknown, rules: unknown): CheckSettings {
  const on = Array.isArray(protocols) ? (protocols as unknown[]).filter((p): p is (typeof OPTIONAL_PROTOCOLS)[number] => OPTIONAL_PROTOCOLS.includes(p as never)) : [];
  // Rules of earlier versions (keyed by a typed name, or by a key without an attestation) are dropped.
  const standingRules = Array.isArray(rules)
    ? (rules as StandingRule[]).filter(
        (r) =>
          typeof r?.partnerName === 'string' &&
          typeof r.fingerprint === 'string' &&
          parseFingerprint(r.fingerprint) === r.fingerprint &&
          r.protocol === 'psi-v2' &&
          typeof r.attribute === 'string' &&
          r.attribute !== '',
      )
    : [];
  return { enabled: ['psi-v2', ...OPTIONAL_PROTOCOLS.filter((p) => on.includes(p))], standingRules };
}

export async function setProtocolEnabled(settings: SettingsStore, protocol: (typeof OPTIONAL_PROTOCOLS)[number], enabled: boolean, now: Date): Promise<void> {
  await settings.update(
    PROTOCOLS_KEY,
    (value) => {
      const current = parseCheckSettings(value, []).enabled.filter((p) => p !== 'psi-v2' && p !== protocol);
      return enabled ? [...current, protocol] : current;
    },
    now,
  );
}

export async function addStandingRule(settings: SettingsStore, rule: { fingerprint: OrgFingerprint; partnerName: string; attribute: string }, now: Date): Promise<void> {
  await settings.update(
    RULES_KEY,
    (value) => {
      const rules = parseCheckSettings([], value).standingRules.filter((r) => r.fingerprint !== rule.fingerprint);
      return [...rules, { ...rule, protocol: 'psi-v2', createdAt: now.toISOString() }];
    },
    now,
  );
}

export async function removeStandingRule(settings: SettingsStore, fingerprint: OrgFingerprint, now: Date): Promise<void> {
  await settings.update(RULES_KEY, (value) => parseCheckSettings([], value).standingRules.filter((r) => r.fingerprint !== fingerprint), now);
}

/**
 * A4: whether a request is accepted without asking. `attested` are the attributes the partner's
 * verified key holds right now by attesters this device trusts (PartnerView badges that are
 * `trusted`, which already leaves out expired and withdrawn ones).
 */
export function hasStandingRule(settings: CheckSettings, fingerprint: OrgFingerprint, protocol: CheckProtocol, attested: ReadonlySet<string>): boolean {
  return protocol === 'psi-v2' && settings.standingRules.some((r) => r.fingerprint === fingerprint && attested.has(r.attribute));
}

/**
 * The attributes a partner holds by trusted attesters at `now`, for `hasStandingRule` and the consent
 * prompt. Badges are folded at the ledger's last change, so expiry is checked again here.
 */
export function trustedAttributes(badges: readonly { name: string; trusted: boolean; expires: number }[], now: number): Set<string> {
  return new Set(badges.filter((b) => b.trusted && b.expires > now).map((b) => b.name));
}
