import { ed25519 } from '@noble/curves/ed25519.js';
import { inMemoryChannelPair } from '../../src/peer/channel.js';
import type { CheckItem } from '../../src/check/overlap-check.js';
import { bytesToBase64 } from '../../src/core/hex.js';
import { PEER_PROTOCOL_VERSIONS } from '../../src/peer/protocol.js';
import { org, until } from './check-org.js';

/**
 * The attacker's side of a session: a bare channel end driven frame by frame, after a valid hello and
 * ready, against a victim running the real `PeerSession`. Everything the victim sends is in `received`.
 */
export async function againstRawPeer(local: CheckItem[], options: Parameters<typeof org>[3] = {}) {
  const [raw, mine] = inMemoryChannelPair();
  const victim = org('Victim', mine, local, options);
  const received: string[] = [];
  raw.onMessage((f) => received.push(f as string));
  victim.session.start();
  const send = (frame: object) => raw.send(JSON.stringify(frame));
  send({ type: 'hello', protocol: 'ihyid-peer', versions: [...PEER_PROTOCOL_VERSIONS], orgName: 'Mallory' });
  send({ type: 'ready' });
  await until(victim.events, 'ready');
  /** What the victim sent, parsed, without its alert reconciliation (W5, tested elsewhere). */
  const sent = () => received.map((f) => JSON.parse(f) as { type: string; [k: string]: unknown }).filter((m) => !m.type.startsWith('alert'));
  return { victim, raw, send, received, sent };
}

/** `n` distinct valid psi-v2 points (u-coordinates of multiples of the base point), as one base64 chunk. */
export function guessedPoints(n: number, from = 7n): string {
  const all = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) all.set(ed25519.utils.toMontgomery(ed25519.Point.BASE.multiply(from + BigInt(i)).toBytes()), i * 32);
  return bytesToBase64(all);
}

/** A whole `psi-blinded` stream of `n` guessed points, as the three frames an attacker sends. */
export function blindedStream(checkId: string, n: number): object[] {
  return [
    { type: 'transfer-begin', checkId, stream: 'psi-blinded', items: n },
    { type: 'transfer-chunk', checkId, stream: 'psi-blinded', seq: 0, data: guessedPoints(n) },
    { type: 'transfer-end', checkId, stream: 'psi-blinded' },
  ];
}
