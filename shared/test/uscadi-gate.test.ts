import { describe, expect, it } from 'vitest';
import { uscadiV0 } from '../src/check/uscadi-v0.js';
import { items, settle, until } from './support/check-org.js';
import { againstRawPeer } from './support/raw-peer.js';

const CHECK = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';
const HOUMAN = 'H550-H330-B616-M240-19760507';
const HEX = 'ab'.repeat(32);

describe('uscadi gated on both sides, with fresh secrets (A11)', () => {
  for (const protocol of ['uscadi-v0', 'uscadi-v1'] as const) {
    it(`[A11] ${protocol} to a side whose admin did not turn it on gets protocol-disabled; nothing is asked or answered`, async () => {
      const { victim, send, sent } = await againstRawPeer(items([HOUMAN], 'victim'), { enabled: ['psi-v2'] });
      send({ type: 'check-request', checkId: CHECK, protocol, count: 1, items: 1 });
      for (let i = 0; i < 100 && !sent().some((m) => m.type === 'check-decline'); i++) await settle();
      expect(sent().filter((m) => m.type.startsWith('check-'))).toEqual([{ type: 'check-decline', checkId: CHECK, reason: 'protocol-disabled' }]);
      expect(victim.events.some((e) => e.type === 'consent-requested')).toBe(false);
      expect(victim.session.isOpen).toBe(true);
      // Mallory sends its list anyway: out of order, the session ends and not one answer went back.
      send({ type: 'uscadi-batch', checkId: CHECK, secrets: [HEX], uscadis: [HEX] });
      send({ type: 'uscadi-end', checkId: CHECK });
      expect(await until(victim.events, 'closed')).toMatchObject({ error: { code: 'unexpected-message' } });
      expect(sent().some((m) => m.type === 'known-batch')).toBe(false);
    });
  }

  it('[A11] the same side with uscadi-v0 turned on is asked as usual', async () => {
    const { victim, send } = await againstRawPeer(items([HOUMAN], 'victim'), { enabled: ['psi-v2', 'uscadi-v0'] });
    send({ type: 'check-request', checkId: CHECK, protocol: 'uscadi-v0', count: 1, items: 1 });
    expect(await until(victim.events, 'consent-requested')).toMatchObject({ protocol: 'uscadi-v0', theirs: { count: 1, items: 1 } });
  });

  it('[A11] each check sends fresh secrets (seed formula, byte for byte): two checks of the same contacts share no secret or uscadi', async () => {
    const mine = items([HOUMAN, 'B000-H330-B616-M240-19760507'], 'victim');
    const { victim, send, sent } = await againstRawPeer([]);
    const seen: { secrets: string[]; uscadis: string[] }[] = [];
    for (let check = 0; check < 2; check++) {
      const requested = victim.session.requestCheck('uscadi-v0', mine);
      if (!requested.ok) throw new Error('request refused');
      const checkId = requested.value;
      send({ type: 'check-accept', checkId, count: 0, items: 0 });
      for (let i = 0; i < 200 && !sent().some((m) => m.type === 'uscadi-end' && m.checkId === checkId); i++) await settle();
      const batch = sent().find((m) => m.type === 'uscadi-batch' && m.checkId === checkId) as unknown as { secrets: string[]; uscadis: string[] };
      seen.push(batch);
      // Every uscadi is SHA-256(phonetic id ‖ one of the secrets sent with it), as in the seed.
      const recomputed = new Set(batch.secrets.flatMap((s) => mine.map((m) => uscadiV0(m.phoneticIdV0!, s))));
      expect(batch.uscadis.every((u) => recomputed.has(u))).toBe(true);
      send({ type: 'known-batch', checkId, results: batch.uscadis.map((uscadi) => ({ uscadi, known: false })) });
      send({ type: 'known-end', checkId });
      await until(victim.events, 'check-completed');
      victim.events.length = 0;
    }
    const [first, second] = seen as [{ secrets: string[]; uscadis: string[] }, { secrets: string[]; uscadis: string[] }];
    expect(first.secrets.filter((s) => second.secrets.includes(s))).toEqual([]);
    expect(first.uscadis.filter((u) => second.uscadis.includes(u))).toEqual([]);
  });
});
