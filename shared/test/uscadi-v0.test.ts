import { describe, it, expect } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { seededRandom } from './support/seeded.js';
import { answerUscadiV0, isUscadiSecretHex, makeUscadiRequestV0, newSecretHex, uscadiV0 } from '../src/check/uscadi-v0.js';

const reverse = <T>(xs: T[]): T[] => xs.slice().reverse();
const rotate = <T>(xs: T[]): T[] => [...xs.slice(1), ...xs.slice(0, 1)];

const VECTOR = {
  phoneticId: 'H550-H330-B616-M240-19760507',
  secretHex: '59c55a729967035702716ef6ec26094f65c737605e4220679913ce776d355a3a',
  uscadi: '94be4bebeb7946215f0a41f049eac92ae639d3cf5d14f40f213d3aac42a963fc',
};

describe('uscadi-v0', () => {
  it('[A1] matches the Ihyid test vector for Houman', () =>
    expect(uscadiV0(VECTOR.phoneticId, VECTOR.secretHex)).toBe(VECTOR.uscadi));

  it('[A1] a different secret gives a different uscadi for the same person', () =>
    expect(uscadiV0(VECTOR.phoneticId, newSecretHex(seededRandom('other')))).not.toBe(VECTOR.uscadi));

  it('[A1] makes 32-byte lowercase hex secrets from the injected randomness', () => {
    const secret = newSecretHex(seededRandom('s'));
    expect(isUscadiSecretHex(secret)).toBe(true);
    expect(newSecretHex(seededRandom('s'))).toBe(secret);
    expect(() => newSecretHex(() => new Uint8Array(16))).toThrow(RangeError);
  });

  it('[A1] refuses a malformed secret as a bug, before hashing', () => {
    for (const bad of ['', 'zz', VECTOR.secretHex.toUpperCase(), VECTOR.secretHex.slice(2)]) {
      expect(() => uscadiV0(VECTOR.phoneticId, bad)).toThrow(RangeError);
    }
  });

  it('[A1] shuffles secrets and uscadis each on its own and keeps the way back home', () => {
    const random = seededRandom('request');
    const items = ['A000-B000-C000-D000-19900101', 'E000-F000-G000-H000-19900101', 'I000-J000-K000-L000-19900101']
      .map((phoneticId) => ({ phoneticId, secretHex: newSecretHex(random) }));
    let calls = 0;
    const shuffle = <T>(xs: T[]): T[] => (calls++ === 0 ? reverse(xs) : rotate(xs));
    const { request, indexByUscadi } = makeUscadiRequestV0(items, shuffle);

    expect(request.secrets).toEqual(reverse(items.map((i) => i.secretHex)));
    const inOrder = items.map((i) => uscadiV0(i.phoneticId, i.secretHex));
    expect(request.uscadis).toEqual(rotate(inOrder));
    expect(Object.keys(request).sort()).toEqual(['secrets', 'uscadis']);
    inOrder.forEach((uscadi, index) => expect(indexByUscadi.get(uscadi)).toBe(index));
  });

  it('[A1] the answering side finds exactly the people it holds, in the order received', () => {
    const random = seededRandom('answer');
    const shared = 'H550-H330-B616-M240-19760507';
    const onlyA = 'V236-N361-G500-A630-19800101';
    const items = [onlyA, shared].map((phoneticId) => ({ phoneticId, secretHex: newSecretHex(random) }));
    const { request } = makeUscadiRequestV0(items, (xs) => xs);
    const bLocal = ['X000-Y000-Z000-W000-20000101', shared, shared];
    expect(answerUscadiV0(bLocal, request.secrets, request.uscadis)).toEqual([false, true]);
    expect(answerUscadiV0([], request.secrets, request.uscadis)).toEqual([false, false]);
    expect(answerUscadiV0(bLocal, [], [])).toEqual([]);
  });
});
