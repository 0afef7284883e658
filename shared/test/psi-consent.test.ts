import { describe, expect, it } from 'vitest';
import { items, readyPair, settle, until } from './support/check-org.js';
import { againstRawPeer, guessedPoints } from './support/raw-peer.js';

const CHECK = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';
const HOUMAN = 'H550-H330-B616-M240-19760507';
const blinded = (frame: object) => ({ checkId: CHECK, stream: 'psi-blinded', ...frame });
/** Anything the victim sent that carries its scalar applied to our points. */
const reblindedFrom = (sent: { type: string; stream?: unknown }[]) => sent.filter((m) => m.stream === 'psi-reblinded' || m.type === 'psi-round');

describe('psi-v2 sizes bound to consent (A9)', () => {
  // Mallory announces one entry, is accepted for one, then tries to test 1,000 guesses against the list.
  const overlong: [string, object[]][] = [
    ['a stream that announces 1,000 points', [{ type: 'transfer-begin', ...blinded({ items: 1000 }) }]],
    [
      'a stream that announces 1 point and carries 1,000',
      [{ type: 'transfer-begin', ...blinded({ items: 1 }) }, { type: 'transfer-chunk', ...blinded({ seq: 0, data: guessedPoints(1000) }) }, { type: 'transfer-end', ...blinded({}) }],
    ],
  ];
  for (const [what, script] of overlong) {
    it(`[A9] ${what} after consent to 1 ends the session with size-exceeded before any re-blinded point is sent`, async () => {
      const { victim, send, sent } = await againstRawPeer(items([HOUMAN], 'victim'));
      send({ type: 'check-request', checkId: CHECK, protocol: 'psi-v2', count: 1, items: 1 });
      const consent = await until(victim.events, 'consent-requested');
      expect(consent.theirs).toEqual({ count: 1, items: 1 });
      victim.session.acceptCheck(consent.checkId);
      for (let i = 0; i < 200 && !sent().some((m) => m.type === 'transfer-end'); i++) await settle();
      for (const frame of script) send(frame);
      expect(await until(victim.events, 'closed')).toMatchObject({ by: 'local', error: { code: 'size-exceeded' } });
      // The victim told Mallory why, and sent back nothing that would answer a guess.
      expect(sent().at(-1)).toEqual({ type: 'error', code: 'size-exceeded' });
      expect(reblindedFrom(sent())).toEqual([]);
      expect(victim.events.some((e) => e.type === 'check-completed' || e.type === 'check-answered')).toBe(false);
    });
  }

  it('[A9] as the asker, an answer longer than the partner announced in its accept is refused before any re-blinded point', async () => {
    const { victim, send, sent } = await againstRawPeer([]);
    const requested = victim.session.requestCheck('psi-v2', items([HOUMAN], 'victim'));
    if (!requested.ok) throw new Error('request refused');
    for (let i = 0; i < 50 && !sent().some((m) => m.type === 'check-request'); i++) await settle();
    expect(sent().find((m) => m.type === 'check-request')).toMatchObject({ count: 1, items: 1 });
    const checkId = requested.value;
    send({ type: 'check-accept', checkId, count: 1, items: 1 });
    for (let i = 0; i < 200 && !sent().some((m) => m.type === 'transfer-end'); i++) await settle();
    send({ type: 'transfer-begin', checkId, stream: 'psi-blinded', items: 2 });
    expect(await until(victim.events, 'closed')).toMatchObject({ by: 'local', error: { code: 'size-exceeded' } });
    expect(reblindedFrom(sent())).toEqual([]);
  });

  it('[A9] each side announces its contacts and distinct keys: the prompt gets both, the result the partner\'s', async () => {
    const phone = '{"kind":"phone-v1","number":"+96130000001","v":1}';
    const mine = items([HOUMAN, 'B000-H330-B616-M240-19760507'], 'a', () => [phone]);
    const theirs = items([HOUMAN, 'X000-H330-B616-M240-19760507', 'Y000-H330-B616-M240-19760507'], 'b');
    const { A, B } = await readyPair(mine, theirs);
    A.session.requestCheck('psi-v2', mine);
    // Two contacts sharing one phone key: 2 contacts, 3 distinct keys.
    const consent = await until(B.events, 'consent-requested');
    expect(consent.theirs).toEqual({ count: 2, items: 3 });
    expect((await until(B.events, 'consent-sized')).ours).toEqual({ count: 3, items: 3 });
    B.session.acceptCheck(consent.checkId);
    expect((await until(A.events, 'check-accepted')).theirs).toEqual({ count: 3, items: 3 });
    expect((await until(A.events, 'check-completed')).theirs).toEqual({ count: 3, items: 3 });
    expect((await until(B.events, 'check-completed')).theirs).toEqual({ count: 2, items: 3 });
  });
});
