import { describe, expect, it } from 'vitest';
import { inMemoryChannelPair } from '../src/peer/channel.js';
import type { CheckItem } from '../src/check/overlap-check.js';
import { MAX_FRAME_CHARS, USCADI_BATCH } from '../src/peer/protocol.js';
import { items as makeItems, org as makeOrg, settle, until } from './support/check-org.js';

/** Contacts for the answering side, from phonetic ids alone. */
const local = (ids: string[]): CheckItem[] => makeItems(ids, 'local');
const org = (name: string, channel: Parameters<typeof makeOrg>[1], ids: string[], versions?: number[]) => makeOrg(name, channel, local(ids), { versions });
const items = (ids: string[], seed: string) => makeItems(ids, seed).map((i, n) => ({ ...i, contactId: `c-${n}` as CheckItem['contactId'] }));

async function connected(aIds: string[] = [], bIds: string[] = []) {
  const [ca, cb] = inMemoryChannelPair();
  const a = org('Org A', ca, aIds);
  const b = org('Org B', cb, bIds);
  a.session.start();
  b.session.start();
  await until(a.events, 'ready');
  await until(b.events, 'ready');
  return { a, b, ca, cb };
}

describe('peer session', () => {
  it('[A8][I8] negotiates version 3, runs the identity step, and learns the partner name', async () => {
    const { a, b } = await connected();
    expect(a.events[0]).toMatchObject({ type: 'ready', partnerName: 'Org B', version: 3, identity: { peerKey: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(b.session.partnerName).toBe('Org A');
  });

  it('[A8] closes with incompatible-version when no version is shared', async () => {
    const [ca, cb] = inMemoryChannelPair();
    const a = org('Org A', ca, [], [1]);
    const b = org('Org B', cb, [], [3, 4]);
    // Version 1 (no identity step) is no longer spoken: a v1 peer meets incompatible-version.
    a.session.start();
    b.session.start();
    const closedA = await until(a.events, 'closed');
    const closedB = await until(b.events, 'closed');
    expect([closedA, closedB].map((e) => (e as { error: { code: string } | null }).error?.code)).toContain('incompatible-version');
    expect(a.events.some((e) => e.type === 'ready')).toBe(false);
  });

  it('[A1][A4] runs the seed check: consent, then known/known/unknown for the asker only', async () => {
    const shared = ['H550-N236-G500-A630-19800101', 'H655-N236-G500-A630-19800101'];
    const { a, b } = await connected([], shared);
    const mine = items([...shared, 'V236-N236-G500-A630-19800101'], 'a-secrets');
    const requested = a.session.requestCheck('uscadi-v0', mine);
    expect(requested.ok).toBe(true);
    const consent = await until(b.events, 'consent-requested');
    expect(consent).toMatchObject({ protocol: 'uscadi-v0', theirs: { count: 3, items: 3 } });
    b.session.acceptCheck((consent as { checkId: never }).checkId);
    const done = await until(a.events, 'check-completed');
    expect(done.known.sort()).toEqual(['c-0', 'c-1']);
    expect(done.sent).toBe(3);
    expect(await until(b.events, 'check-answered')).toMatchObject({ count: 3, known: 2 });
  });

  it('[A1] batches large lists below the frame limit and still finds the exact overlap', async () => {
    const n = USCADI_BATCH * 2 + 17;
    const ids = Array.from({ length: n }, (_, i) => `X${String(i).padStart(3, '0')}-A000-B000-C000-19900101`);
    const theirs = ids.filter((_, i) => i % 3 === 0);
    const { a, b, ca } = await connected([], theirs);
    let largest = 0;
    const send = ca.send.bind(ca);
    ca.send = (frame) => {
      largest = Math.max(largest, frame.length);
      send(frame);
    };
    a.session.requestCheck('uscadi-v0', items(ids, 'big'));
    const consent = await until(b.events, 'consent-requested');
    b.session.acceptCheck((consent as { checkId: never }).checkId);
    const done = await until(a.events, 'check-completed');
    expect(done.known.length).toBe(theirs.length);
    expect(largest).toBeLessThan(MAX_FRAME_CHARS);
  });

  it('[A4] a declined check reports the decline and stores no result', async () => {
    const { a, b } = await connected();
    a.session.requestCheck('uscadi-v0', items(['H550-H330-B616-M240-19760507'], 's'));
    const consent = await until(b.events, 'consent-requested');
    b.session.declineCheck((consent as { checkId: never }).checkId);
    expect(await until(a.events, 'check-declined')).toMatchObject({ reason: 'declined' });
    expect(a.events.some((e) => e.type === 'check-completed')).toBe(false);
    expect(a.session.isOpen).toBe(true);
  });

  const hostile: [string, string, string][] = [
    ['not JSON', '{"type":', 'malformed-message'],
    ['an unknown type', JSON.stringify({ type: 'launch-missiles' }), 'malformed-message'],
    ['a known type with a wrong field', JSON.stringify({ type: 'check-accept', checkId: 42 }), 'malformed-message'],
    ['an extra field', JSON.stringify({ type: 'check-decline', checkId: '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4', x: 1 }), 'malformed-message'],
    ['an oversized frame', JSON.stringify({ type: 'error', code: 'x'.repeat(MAX_FRAME_CHARS) }), 'oversized-message'],
    ['an answer nobody asked for', JSON.stringify({ type: 'known-end', checkId: '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4' }), 'unexpected-message'],
    ['a second hello', JSON.stringify({ type: 'hello', protocol: 'ihyid-peer', versions: [3], orgName: 'Again' }), 'unexpected-message'],
  ];
  for (const [what, frame, code] of hostile) {
    it(`[A8] ${what} ends the session with ${code} on both sides`, async () => {
      const { a, b, ca } = await connected();
      ca.send(frame);
      const closedB = await until(b.events, 'closed');
      const closedA = await until(a.events, 'closed');
      expect(closedB).toEqual({ type: 'closed', by: 'local', error: expect.objectContaining({ code }) });
      expect(closedA).toEqual({ type: 'closed', by: 'remote', error: { code } });
    });
  }

  /** A hostile partner: a bare channel end driven by the test, after a valid hello. */
  async function againstRawPeer(localIds: string[] = []) {
    const [raw, mine] = inMemoryChannelPair();
    const victim = org('Org B', mine, localIds);
    const received: string[] = [];
    raw.onMessage((f) => received.push(f));
    victim.session.start();
    raw.send(JSON.stringify({ type: 'hello', protocol: 'ihyid-peer', versions: [3], orgName: 'Mallory' }));
    raw.send(JSON.stringify({ type: 'ready' }));
    await until(victim.events, 'ready');
    return { victim, raw, received };
  }

  it('[A8] a peer that sends more items than it announced is refused and nothing completes', async () => {
    const { victim, raw, received } = await againstRawPeer(['H550-H330-B616-M240-19760507']);
    const checkId = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';
    const hex = 'ab'.repeat(32);
    raw.send(JSON.stringify({ type: 'check-request', checkId, protocol: 'uscadi-v0', count: 1, items: 1 }));
    const consent = await until(victim.events, 'consent-requested');
    victim.session.acceptCheck((consent as { checkId: never }).checkId);
    raw.send(JSON.stringify({ type: 'uscadi-batch', checkId, secrets: [hex, hex], uscadis: [hex, hex] }));
    expect(await until(victim.events, 'closed')).toMatchObject({ by: 'local', error: { code: 'size-exceeded' } });
    expect(victim.events.some((e) => e.type === 'check-answered')).toBe(false);
    // The victim's own alert reconciliation (W5) runs alongside; it is tested in peer-session-alerts.test.ts.
    expect(received.map((f) => JSON.parse(f).type).filter((t) => !t.startsWith('alert'))).toEqual(['hello', 'ready', 'check-accept', 'error']);
  });

  it('[A8] a peer that sends fewer items than it announced is refused', async () => {
    const { victim, raw } = await againstRawPeer();
    const checkId = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';
    raw.send(JSON.stringify({ type: 'check-request', checkId, protocol: 'uscadi-v0', count: 2, items: 2 }));
    const consent = await until(victim.events, 'consent-requested');
    victim.session.acceptCheck((consent as { checkId: never }).checkId);
    raw.send(JSON.stringify({ type: 'uscadi-batch', checkId, secrets: ['ab'.repeat(32)], uscadis: ['cd'.repeat(32)] }));
    raw.send(JSON.stringify({ type: 'uscadi-end', checkId }));
    expect(await until(victim.events, 'closed')).toMatchObject({ error: { code: 'unexpected-message' } });
  });

  it('[A8] an answer for a uscadi never sent ends the check without a result', async () => {
    const { victim, raw, received } = await againstRawPeer();
    const requested = victim.session.requestCheck('uscadi-v0', items(['H550-H330-B616-M240-19760507'], 's'));
    const checkId = requested.ok ? requested.value : '';
    raw.send(JSON.stringify({ type: 'check-accept', checkId, count: 0, items: 0 }));
    await until(victim.events, 'check-accepted');
    for (let i = 0; i < 20 && !received.some((f) => f.includes('uscadi-end')); i++) await settle();
    raw.send(JSON.stringify({ type: 'known-batch', checkId, results: [{ uscadi: 'cd'.repeat(32), known: true }] }));
    raw.send(JSON.stringify({ type: 'known-end', checkId }));
    expect(await until(victim.events, 'closed')).toMatchObject({ by: 'local', error: { code: 'unexpected-message' } });
    expect(victim.events.some((e) => e.type === 'check-completed')).toBe(false);
  });

  it('[A8] an incomplete answer ends the check without a result', async () => {
    const { victim, raw, received } = await againstRawPeer();
    const requested = victim.session.requestCheck('uscadi-v0', items(['H550-H330-B616-M240-19760507', 'B000-H330-B616-M240-19760507'], 's'));
    const checkId = requested.ok ? requested.value : '';
    raw.send(JSON.stringify({ type: 'check-accept', checkId, count: 0, items: 0 }));
    for (let i = 0; i < 20 && !received.some((f) => f.includes('uscadi-end')); i++) await settle();
    const batch = JSON.parse(received.find((f) => f.includes('uscadi-batch'))!);
    raw.send(JSON.stringify({ type: 'known-batch', checkId, results: [{ uscadi: batch.uscadis[0], known: true }] }));
    raw.send(JSON.stringify({ type: 'known-end', checkId }));
    expect(await until(victim.events, 'closed')).toMatchObject({ error: { code: 'unexpected-message' } });
    expect(victim.events.some((e) => e.type === 'check-completed')).toBe(false);
  });

  it('[A7][A8] a transport drop mid-check closes both sessions with peer-closed and no result', async () => {
    const { a, b, ca } = await connected(['H550-H330-B616-M240-19760507']);
    a.session.requestCheck('uscadi-v0', items(['H550-H330-B616-M240-19760507'], 's'));
    await until(b.events, 'consent-requested');
    ca.close();
    expect(await until(a.events, 'closed')).toMatchObject({ by: 'transport', error: { code: 'peer-closed' } });
    expect(await until(b.events, 'closed')).toMatchObject({ by: 'transport' });
    expect(a.events.some((e) => e.type === 'check-completed')).toBe(false);
  });
});
