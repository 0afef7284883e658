import { describe, expect, it } from 'vitest';
import { answerUscadiV0, answerUscadiV1, bytesToHex, hexToBytes, seededBytes, uscadiV0, uscadiV1 } from '@ihyid/shared';
import { answerV0, answerV1, packMessages } from './sha256-kernel';

function check(protocol: 'v0' | 'v1', locals: string[], theirs: string[]) {
  const secrets = theirs.map((_, i) => bytesToHex(seededBytes(i + 7)(32)));
  const hash = protocol === 'v0' ? uscadiV0 : uscadiV1;
  // Half of their entries are ours, half are not; plus a uscadi under a secret they did not send.
  const uscadis = theirs.map((m, i) => hash(m, secrets[i]!));
  uscadis.push(hash(locals[0]!, bytesToHex(seededBytes(999)(32))));
  const reference = protocol === 'v0' ? answerUscadiV0(locals, secrets, uscadis) : answerUscadiV1(locals, secrets, uscadis);
  const flags = new Uint8Array(uscadis.length);
  const kernel = protocol === 'v0' ? answerV0 : answerV1;
  const packedSecrets = hexToBytes(secrets.join(''));
  kernel(packMessages(locals), packedSecrets, hexToBytes(uscadis.join('')), flags);
  expect([...flags].map(Boolean)).toEqual(reference);
  expect(reference.filter(Boolean).length).toBeGreaterThan(0);
}

const lengths = [0, 1, 3, 27, 28, 29, 31, 32, 55, 56, 63, 64, 65, 100, 130];
const message = (len: number, tag: string) => (tag + 'x'.repeat(200)).slice(0, len);

describe('SHA-256 answering kernel (A1, A2)', () => {
  it('[A1] uscadi-v0 kernel agrees with the plain N×M search for phonetic ids', () => {
    const locals = ['H550-H330-B616-M240-19760507', 'H655-N236-H520-M630-19760507', 'V236-N236-G500-A630-19760507'];
    check('v0', locals, [locals[0]!, 'Z000-N236-G500-A630-19760507', locals[2]!]);
  });

  for (const len of lengths) {
    it(`[A1][A2] both kernels agree with the reference for ${len}-byte messages (block boundaries, unaligned secrets)`, () => {
      const locals = [message(len, 'a'), message(len, 'b'), message(Math.max(0, len - 1), 'c')];
      const theirs = [locals[1]!, message(len, 'z'), locals[2]!];
      check('v0', locals, theirs);
      check('v1', locals, theirs);
    });
  }

  it('[A2] uscadi-v1 kernel agrees for canonical JSON keys, Arabic included', () => {
    const locals = ['{"id":"H550-H330-B616-M240-19760507","kind":"phonetic-v0","v":0}', '{"kind":"name-dob","name":"محمد حداد","v":1}'];
    check('v1', locals, [locals[1]!, '{"kind":"phone-v1","number":"+9613000000","v":1}']);
  });
});
