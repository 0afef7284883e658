import { describe, expect, it } from 'vitest';
import { inMemorySignalingHub, issueDeviceCert, pairingFragment, pairingRoomId, signerFromSecretKey, strictVerify, verifyDeviceChain, type DeviceCert, type DeviceRole } from '@ihyid/shared';
import { inMemoryLinkNetwork } from '../../network/in-memory-link';
import { meet } from './meet';
import { hostPairing, joinPairing, newPairing, PairingNotAllowedError, type HostEvents } from './pairing-flow';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

function setup(now = () => Date.parse('2026-12-05T08:00:00Z')) {
  const hub = inMemorySignalingHub();
  const links = inMemoryLinkNetwork();
  const net = { openSignaling: async () => hub.connect(), openLink: async (o: Parameters<typeof links.openLink>[0]) => links.openLink(o) };
  const admin = signerFromSecretKey(random(32));
  const dataKey = random(32);
  const host = { ...net, signer: admin, chain: [] as DeviceCert[], verify: strictVerify, now, randomBytes: random, payload: async () => ({ dataKey: Buffer.from(dataKey).toString('base64url'), orgName: 'Amal Relief', defaultCountry: 'LB', policy: { lockAfterMinutes: 15, 'check.protocols': ['uscadi-v1'] } }) };
  const joiner = (key = random(32)) => ({ ...net, signer: signerFromSecretKey(key), verify: strictVerify, now });
  return { host, joiner, dataKey, admin };
}

/** Host events that confirm every code and record what happened. */
function recorder(confirm = true, role: DeviceRole = 'caseworker') {
  const log: string[] = [];
  const codes: string[] = [];
  const events: HostEvents = {
    onJoin: ({ code }, answer) => {
      codes.push(code);
      answer(confirm ? role : null);
    },
    onPaired: ({ label }) => log.push(`paired ${label}`),
    onRefused: (reason) => log.push(`refused ${reason}`),
  };
  return { log, codes, events };
}

describe('pairing a device (I10, X4)', () => {
  it('[I10][I9] the new device gets its certificate, the data key, the profile and the policy settings; both show the same code; a second use is refused at once by the server', async () => {
    const { host, joiner, dataKey, admin } = setup();
    const { pending, org } = newPairing(host);
    const stop = new AbortController();
    const rec = recorder();
    const hosting = hostPairing(host, pending, rec.events, stop.signal);
    let shown = '';
    const joined = await joinPairing(joiner(), pairingFragment(pending.secret, org), 'Field phone 2', (code) => (shown = code), new AbortController().signal);
    expect(joined.ok).toBe(true);
    if (!joined.ok) return;
    expect(shown).toMatch(/^\d{3} \d{3}$/);
    expect(rec.codes).toEqual([shown]);
    expect(joined.chain[0]!.body.org).toBe(admin.publicKey);
    expect(joined.chain[0]!.body.label).toBe('Field phone 2');
    expect(Buffer.from(joined.payload.dataKey, 'base64url')).toEqual(Buffer.from(dataKey));
    expect(joined.payload.orgName).toBe('Amal Relief');
    // #16 item 2: and the organisation's policy settings, as the admin device stores them.
    expect(joined.payload.policy).toEqual({ lockAfterMinutes: 15, 'check.protocols': ['uscadi-v1'] });
    // The spent code closed its room: the admin device stops hosting, and the server refuses the link.
    await hosting;
    const again = await joinPairing(joiner(), pairingFragment(pending.secret, org), 'Stolen link', () => undefined, new AbortController().signal);
    expect(again).toEqual({ ok: false, reason: 'room-used' });
    expect(rec.log).toEqual(['paired Field phone 2']);
  });

  it('[I10][X1] the admin gives the new device its role when the codes match: its certificate says checker, and so does its chain', async () => {
    const { host, joiner, admin } = setup();
    const { pending, org } = newPairing(host);
    const hosting = hostPairing(host, pending, recorder(true, 'checker').events, new AbortController().signal);
    const joined = await joinPairing(joiner(), pairingFragment(pending.secret, org), 'Checker laptop', () => undefined, new AbortController().signal);
    await hosting;
    expect(joined.ok && joined.chain.map((c) => c.body.role)).toEqual(['checker']);
    const checked = joined.ok && (await verifyDeviceChain(joined.chain, { now: Date.parse('2026-12-05T08:00:00Z'), verify: strictVerify, revoked: new Set() }));
    expect(checked && checked.ok && [checked.value.role, checked.value.org]).toEqual(['checker', admin.publicKey]);
  });

  it('[I10][X1] a device paired as admin pairs the next one: that one\'s chain goes through it to the root, one organisation fingerprint', async () => {
    const { host, joiner, admin } = setup();
    const at = Date.parse('2026-12-05T08:00:00Z');
    const laptop = signerFromSecretKey(random(32));
    const laptopCert = await issueDeviceCert(admin, { org: admin.publicKey, device: laptop.publicKey, role: 'admin', label: 'Coordinator laptop', issuedAt: at, expiresAt: at + 86_400_000 });
    const fromLaptop = { ...host, signer: laptop, chain: [laptopCert] };
    const { pending, org } = newPairing(fromLaptop);
    // The link names the organisation (the root), not the laptop.
    expect(org).toBe(newPairing(host).org);
    const rec = recorder();
    const granted: (readonly DeviceCert[])[] = [];
    const hosting = hostPairing(fromLaptop, pending, { ...rec.events, onPaired: ({ chain }) => granted.push(chain) }, new AbortController().signal);
    const joined = await joinPairing(joiner(), pairingFragment(pending.secret, org), 'Field phone 3', () => undefined, new AbortController().signal);
    await hosting;
    expect(joined.ok).toBe(true);
    if (!joined.ok) return;
    // The laptop learns the chain it granted, whole: the device record every device meets it by carries it.
    expect(granted).toEqual([joined.chain]);
    expect(joined.chain.map((c) => [c.body.issuer, c.body.role])).toEqual([
      [laptop.publicKey, 'caseworker'],
      [admin.publicKey, 'admin'],
    ]);
    const checked = await verifyDeviceChain(joined.chain, { org: admin.publicKey, now: at, verify: strictVerify, revoked: new Set() });
    expect(checked.ok && checked.value.orgFingerprint).toBe(org);
    // Its certificate ends when the laptop's does: none outlives its issuer's.
    expect(joined.chain[0]!.body.expiresAt).toBe(laptopCert.body.expiresAt);
  });

  it('[I10][X1] a caseworker\'s device does not host a pairing at all: every peer would refuse what it certified', async () => {
    const { host, admin } = setup();
    const at = Date.parse('2026-12-05T08:00:00Z');
    const phone = signerFromSecretKey(random(32));
    const phoneCert = await issueDeviceCert(admin, { org: admin.publicKey, device: phone.publicKey, role: 'caseworker', label: 'Field phone', issuedAt: at, expiresAt: at + 86_400_000 });
    const fromPhone = { ...host, signer: phone, chain: [phoneCert] };
    await expect(hostPairing(fromPhone, newPairing(fromPhone).pending, recorder().events, new AbortController().signal)).rejects.toBeInstanceOf(PairingNotAllowedError);
  });

  it('[I10][I9] a code withdrawn unspent (the code screen closed) is refused at once, with the admin device gone', async () => {
    const { host, joiner } = setup();
    const { pending, org } = newPairing(host);
    const stop = new AbortController();
    const hosting = hostPairing(host, pending, recorder().events, stop.signal);
    stop.abort();
    await hosting;
    const late = await joinPairing(joiner(), pairingFragment(pending.secret, org), 'Late phone', () => undefined, new AbortController().signal);
    expect(late).toEqual({ ok: false, reason: 'room-revoked' });
  });

  it('[I10][I9] a new device waiting on the link is told at once when the admin withdraws the code', async () => {
    const { host, joiner } = setup();
    const { pending, org } = newPairing(host);
    // The new device comes first and waits in the room; the admin shows the code, then closes it unanswered.
    const waiting = joinPairing(joiner(), pairingFragment(pending.secret, org), 'Early phone', () => undefined, new AbortController().signal);
    const stop = new AbortController();
    stop.abort();
    await hostPairing(host, pending, recorder().events, stop.signal);
    expect(await waiting).toEqual({ ok: false, reason: 'room-revoked' });
  });

  it('[I10] whoever knows only the room id is refused and does not spend the code; an expired code is refused at once', async () => {
    let now = Date.parse('2026-12-05T08:00:00Z');
    const { host, joiner } = setup(() => now);
    const { pending, org } = newPairing(host);
    const stop = new AbortController();
    const rec = recorder();
    const hosting = hostPairing(host, pending, rec.events, stop.signal);
    // The attacker: the room id (as the server knows it), a real link, a join with a made-up MAC.
    const attacker = await meet(host, pairingRoomId(pending.secret), new AbortController().signal);
    const got: unknown[] = [];
    attacker.link.channel.onMessage((frame) => got.push(JSON.parse(frame as string)));
    const closed = new Promise<void>((resolve) => attacker.link.channel.onClose(resolve));
    const thief = signerFromSecretKey(random(32));
    attacker.link.channel.send(JSON.stringify({ type: 'pair-join', v: 1, key: thief.publicKey, label: 'Thief', sig: '00'.repeat(64), mac: '00'.repeat(32) }));
    await closed;
    attacker.close();
    expect(got).toEqual([{ type: 'pair-refuse', reason: 'bad-proof' }]);
    // The code still works for the device that has the link.
    const joined = await joinPairing(joiner(), pairingFragment(pending.secret, org), 'Field phone', () => undefined, new AbortController().signal);
    expect(joined.ok).toBe(true);
    await hosting;
    now += 11 * 60 * 1000;
    const late = await joinPairing(joiner(), pairingFragment(pending.secret, org), 'Late phone', () => undefined, new AbortController().signal);
    expect(late).toEqual({ ok: false, reason: 'room-used' });
    expect(rec.log).toEqual(['refused bad-proof', 'paired Field phone']);
  });

  it('[I10][I9] a link whose code is past its ten minutes is refused by the new device itself, before any network', async () => {
    let now = Date.parse('2026-12-05T08:00:00Z');
    const { host, joiner } = setup(() => now);
    const { pending, org } = newPairing(host);
    let connections = 0;
    const device = { ...joiner(), openSignaling: async () => (connections++, host.openSignaling()) };
    now += 11 * 60 * 1000;
    const late = await joinPairing(device, pairingFragment(pending.secret, org, pending.expiresAt), 'Late phone', () => undefined, new AbortController().signal);
    expect(late).toEqual({ ok: false, reason: 'refused-expired' });
    expect(connections).toBe(0);
  });

  it('[I10] a code past its ten minutes is refused at once', async () => {
    let now = Date.parse('2026-12-05T08:00:00Z');
    const { host, joiner } = setup(() => now);
    const { pending, org } = newPairing(host);
    const stop = new AbortController();
    const rec = recorder();
    const hosting = hostPairing(host, pending, rec.events, stop.signal);
    now += 11 * 60 * 1000;
    const late = await joinPairing(joiner(), pairingFragment(pending.secret, org), 'Late phone', () => undefined, new AbortController().signal);
    expect(late).toEqual({ ok: false, reason: 'refused-expired' });
    expect(rec.log).toEqual(['refused expired']);
    stop.abort();
    await hosting;
  });
});
