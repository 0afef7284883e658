import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { inMemorySignalingHub } from '@ihyid/shared';
import { inMemoryLinkNetwork } from '../../network/in-memory-link';
import type { ConnectionView } from './connection';
import { cleanupOrgs, connected, directory, org, T0, until, type Org } from './fake-orgs';
import { closedLinkMessage, createInvitation } from './invitations';

// I9 on fakes (fake-orgs.ts): a used or revoked link says so at once, with its inviter offline.
afterEach(cleanupOrgs);

const USED = closedLinkMessage('used');
const REVOKED = closedLinkMessage('revoked');

async function orgs(...names: string[]) {
  const hub = inMemorySignalingHub();
  const links = inMemoryLinkNetwork();
  return { hub, orgs: await Promise.all(names.map((name) => org(name, hub, links))) };
}

/** `o` starts its directory and makes an invitation (as the Partners screen does). */
async function invite(o: Org) {
  const d = directory(o);
  await d.start();
  return { d, invitation: await createInvitation(o.deps.stores.invitations, o.deps.randomBytes, new Date(T0)) };
}

/** `o` starts its directory and opens `inviter`'s link. */
async function opened(o: Org, inviter: Org, secret: string) {
  const d = directory(o);
  await d.start();
  await d.openLink(secret, inviter.fingerprint, null);
  return d;
}

/** What `o` opens from a link: every status it showed, and what it stored. */
async function open(o: Org, inviter: Org, secret: string): Promise<{ final: ConnectionView; seen: string[]; stored: number }> {
  const d = directory(o);
  await d.start();
  const seen: string[] = [];
  d.snapshot().invite.subscribe(() => seen.push(d.snapshot().invite.snapshot().status));
  await d.openLink(secret, inviter.fingerprint, null);
  const final = await until(d.snapshot().invite, (v) => v.status === 'closed');
  return { final, seen, stored: (await o.db.bonds.count()) + (await o.db.invitations.count()) };
}

describe('closed links (I9, on fakes)', () => {
  it('[I9] a used link: the inviter closes its room once bound, and a third organisation reads "already used" at once with the inviter gone', async () => {
    const { orgs: [a, b, c] } = await orgs('Org A', 'Org B', 'Org C');
    const { d: da, invitation } = await invite(a!);
    await da.snapshot().invite.open(invitation.secret);
    const db = await opened(b!, a!, invitation.secret);
    await until(da.snapshot().partners[0]?.connection ?? da.snapshot().invite, connected);
    // The bind closed the room through its own connection, and the row owes nothing any more.
    while ((await a!.db.invitations.get(invitation.id))?.roomClosed !== true) await new Promise((r) => setTimeout(r, 5));
    expect(await a!.db.invitations.get(invitation.id)).toMatchObject({ status: 'used', roomClosed: true });
    da.leaveAll();
    db.leaveAll();

    const { final, seen, stored } = await open(c!, a!, invitation.secret);
    expect(final.error).toBe(USED);
    expect(seen).not.toContain('waiting');
    expect(stored).toBe(0);
  });

  it('[I9] a revoke made while the server is unreachable is owed, sent on the next connection, and the link then reads "revoked" at once', async () => {
    const { hub, orgs: [a, c] } = await orgs('Org A', 'Org C');
    let reachable = false;
    const offline = { ...a!, deps: { ...a!.deps, openSignaling: async () => (reachable ? hub.connect() : Promise.reject(new Error('offline'))) } };
    const { d: da, invitation } = await invite(offline);
    await a!.deps.stores.invitations.revoke(invitation.id);
    expect(await da.closeRooms()).toBe(0);
    expect((await a!.db.invitations.get(invitation.id))?.roomClosed).toBeUndefined();

    reachable = true;
    expect(await da.closeRooms()).toBe(1);
    expect((await a!.db.invitations.get(invitation.id))?.roomClosed).toBe(true);
    // Nothing is owed any more: the next round sends nothing.
    expect(await da.closeRooms()).toBe(0);
    da.leaveAll();

    const { final, seen, stored } = await open(c!, a!, invitation.secret);
    expect(final.error).toBe(REVOKED);
    expect(seen).not.toContain('waiting');
    expect(stored).toBe(0);
  });

  it('[I9] an invitee already waiting on the link is told at once when the inviter revokes it', async () => {
    const { orgs: [a, b] } = await orgs('Org A', 'Org B');
    const { d: da, invitation } = await invite(a!);
    const db = await opened(b!, a!, invitation.secret);
    await until(db.snapshot().invite, (v) => v.status === 'waiting');
    await a!.deps.stores.invitations.revoke(invitation.id);
    await da.closeRooms();
    const final = await until(db.snapshot().invite, (v) => v.status === 'closed');
    expect(final.error).toBe(REVOKED);
    expect(await b!.db.bonds.count()).toBe(0);
  });
});
