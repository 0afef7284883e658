import * as v from 'valibot';
import { DEVICE_ROLES, orgOfChain, type DeviceCert, type PublicKeyHex, type Signer } from '@ihyid/shared';
import type { DeviceIdentity } from './device-link';
import { OWN_CHAIN, type SettingsStore } from '../../storage/settings';
import { parseOwnChain } from '../../identity/organisation';

export { LAST_SYNC } from '../../storage/sync-store';
export { OWN_CHAIN } from '../../storage/settings';
/** I10: the devices paired from this one, with the certificate it issued each. */
export const PAIRED_DEVICES = 'devices-paired';

export interface PairedDevice {
  key: PublicKeyHex;
  label: string;
  role: (typeof DEVICE_ROLES)[number];
  pairedAt: string;
  cert: DeviceCert;
  revokedAt?: string;
}

const PairedSchema = v.array(
  v.looseObject({ key: v.string(), label: v.string(), role: v.picklist(DEVICE_ROLES), pairedAt: v.string(), cert: v.unknown(), revokedAt: v.optional(v.string()) }),
);

/** Stored settings are data to parse: an odd row shows as no devices rather than breaking the screen. */
export async function pairedDevices(settings: SettingsStore): Promise<PairedDevice[]> {
  const parsed = v.safeParse(PairedSchema, await settings.get(PAIRED_DEVICES));
  return parsed.success ? (parsed.output as unknown as PairedDevice[]) : [];
}

export async function recordPaired(settings: SettingsStore, device: PairedDevice, now: Date): Promise<void> {
  await settings.update(PAIRED_DEVICES, (value) => {
    const parsed = v.safeParse(PairedSchema, value);
    return [...(parsed.success ? parsed.output : []), device];
  }, now);
}

export async function markRevoked(settings: SettingsStore, key: string, now: Date): Promise<void> {
  await settings.update(PAIRED_DEVICES, (value) => {
    const parsed = v.safeParse(PairedSchema, value);
    return (parsed.success ? parsed.output : []).map((d) => (d.key === key ? { ...d, revokedAt: now.toISOString() } : d));
  }, now);
}

/**
 * I10: this device as its peers check it. A paired device has the chain it received (its root is
 * the organisation's); a device that was never paired is the organisation's first device, whose
 * identity key is the root.
 */
export async function deviceIdentity(deps: { identity(): Promise<{ load(): Promise<void>; readonly signer: Signer }>; stores: { settings: SettingsStore } }): Promise<DeviceIdentity> {
  const identity = await deps.identity();
  await identity.load();
  const signer = identity.signer;
  const chain = parseOwnChain(await deps.stores.settings.get(OWN_CHAIN));
  return { signer, chain, org: orgOfChain(chain, signer.publicKey) };
}
