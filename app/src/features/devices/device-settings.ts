import * as v from 'valibot';
import { DEVICE_ROLES, type DeviceCert, type PublicKeyHex } from '@ihyid/shared';
import type { SettingsStore } from '../../storage/settings';

/** X4: when this device last completed a sync (ISO time). */
export const LAST_SYNC = 'sync-last';
/** I10: the devices paired from this one, with the certificate it issued each. */
export const PAIRED_DEVICES = 'devices-paired';
/** I10: this device's own certificate chain, received when it was paired. */
export const OWN_CHAIN = 'device-chain';

export interface PairedDevice {
  key: PublicKeyHex;
  label: string;
  role: (typeof DEVICE_ROLES)[number];
  pairedAt: string;
  cert: DeviceCert;
}

const PairedSchema = v.array(
  v.looseObject({ key: v.string(), label: v.string(), role: v.picklist(DEVICE_ROLES), pairedAt: v.string(), cert: v.unknown() }),
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

export async function recordSync(settings: SettingsStore, now: Date): Promise<void> {
  await settings.update(LAST_SYNC, () => now.toISOString(), now);
}
