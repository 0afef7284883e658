/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { blindKeys, reblindPoints, uscadiV0, uscadiV1, type PackedKeys, type Result, type UscadiProtocol } from '@ihyid/shared';
import { workerCheckItemsPage } from '../storage/check-items-reader';
import type { CheckItemsPage } from '../storage/check-results';
import { loadX25519Psi } from './x25519-psi';
import { answerV0, answerV1, packMessages, unpackMessages, WantedTable, type PackedMessages } from './sha256-kernel';
import { answerV0Simd } from './uscadi-simd';

let curve: ReturnType<typeof loadX25519Psi> | null = null;
const group = (): ReturnType<typeof loadX25519Psi> => (curve ??= loadX25519Psi());

/**
 * One worker of the check pool (A3, A1, A2): batches in, batches out, buffers transferred both ways.
 * It keeps nothing between calls: a session's scalar arrives with each batch and is dropped after it.
 */
const api = {
  /** Loads libsodium and checks WebCrypto's X25519 ahead of the first batch, so the first progress step is not the WebAssembly compile. */
  async warm(): Promise<'webcrypto' | 'libsodium'> {
    return (await group()).blinding;
  },
  /** One batch of our keys, packed (two strings cross, not an object per key), hashed and blinded. */
  async psiBlind(scalar: Uint8Array, checkId: string, keys: PackedKeys): Promise<Uint8Array> {
    const out = await blindKeys(await group(), scalar, checkId, keys);
    return Comlink.transfer(out, [out.buffer]);
  },
  async psiReblind(scalar: Uint8Array, points: Uint8Array): Promise<Result<Uint8Array, number>> {
    const out = await reblindPoints(await group(), scalar, points);
    return out.ok ? Comlink.transfer(out, [out.value.buffer]) : out;
  },
  /** A page of the check's own items, read from IndexedDB here rather than on the page's thread (storage/check-items-reader.ts). */
  checkItemsPage(after: string | null, upTo: string | undefined, dataKey: Uint8Array | null): Promise<CheckItemsPage> {
    return workerCheckItemsPage(after, upTo, dataKey);
  },
  uscadis(protocol: UscadiProtocol, pairs: readonly { message: string; secretHex: string }[]): string[] {
    return pairs.map((p) => (protocol === 'uscadi-v0' ? uscadiV0(p.message, p.secretHex) : uscadiV1(p.message, p.secretHex)));
  },
  /** One slice of the answering side's N×M search; flags[i] = 1 when wanted uscadi i was found. */
  answer(protocol: UscadiProtocol, local: PackedMessages, secrets: Uint8Array, wanted: Uint8Array): Uint8Array {
    const flags = new Uint8Array(wanted.length / 32);
    if (protocol === 'uscadi-v1') answerV1(local, secrets, wanted, flags);
    else {
      // WebAssembly SIMD where the engine has it and the ids fit; the JavaScript kernel for the rest.
      const table = new WantedTable(wanted);
      const rest = answerV0Simd(unpackMessages(local), secrets, wanted, (digest) => table.findBytes(digest), flags);
      if (rest.length > 0) answerV0(packMessages(rest), secrets, wanted, flags);
    }
    return Comlink.transfer(flags, [flags.buffer]);
  },
};

export type CheckWorkerApi = typeof api;

Comlink.expose(api);
