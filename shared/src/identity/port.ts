import type { PeerChannel } from '../peer/channel.js';
import { err, ok, type Result } from '../core/result.js';
import { identityFailure, IdentityErrorCode, type IdentityFailure } from './errors.js';
import { parseIdentityMessage, serializeIdentityMessage, type IdentityMessage, type IdentityMessageOf, type IdentityMessageType } from './messages.js';

/**
 * What the identity state machines need from a connection: send a message, wait for the next one,
 * and end the exchange with a typed error. The session will implement it over its own channel
 * (routing `id-*` frames here); tests use `portFromChannel` over `inMemoryChannelPair()`.
 */
export interface IdentityPort {
  send(message: IdentityMessage): void;
  /** The next message; an error once the peer closed, sent `id-error`, or sent a bad frame. */
  receive(): Promise<Result<IdentityMessage, IdentityFailure>>;
  /**
   * Sends `id-error {code}` and closes: the partner reads the same code (A8). With `peerCode`, the
   * partner is sent that one instead, written from its side (I10: `self-device-revoked` to the device
   * this side reads as `device-revoked`). Idempotent.
   */
  fail(code: IdentityErrorCode, peerCode?: IdentityErrorCode): void;
}

/** An IdentityPort that owns a whole PeerChannel: every frame must be an identity message. */
export function portFromChannel(channel: PeerChannel): IdentityPort {
  const inbox: Result<IdentityMessage, IdentityFailure>[] = [];
  const waiting: ((r: Result<IdentityMessage, IdentityFailure>) => void)[] = [];
  let ended: IdentityFailure | null = null;

  const deliver = (r: Result<IdentityMessage, IdentityFailure>) => {
    const w = waiting.shift();
    if (w) w(r);
    else inbox.push(r);
  };
  const end = (failure: IdentityFailure) => {
    if (ended) return;
    ended = failure;
    deliver(err(failure));
    for (const w of waiting.splice(0)) w(err(failure));
  };
  const fail = (code: IdentityErrorCode, peerCode?: IdentityErrorCode) => {
    if (ended) return;
    try {
      channel.send(serializeIdentityMessage({ type: 'id-error', code: peerCode ?? code }));
    } catch {
      // Already closed: the partner learns of it from the close.
    }
    end(identityFailure(code));
    channel.close();
  };

  channel.onMessage((frame) => {
    if (ended) return;
    const parsed = parseIdentityMessage(frame);
    if (!parsed.ok) return fail(parsed.error.code);
    if (parsed.value.type === 'id-error') {
      end({ code: IdentityErrorCode.PeerError, peerCode: parsed.value.code });
      channel.close();
      return;
    }
    deliver(parsed);
  });
  channel.onClose(() => end(identityFailure(IdentityErrorCode.PeerClosed)));

  return {
    send(message) {
      if (!ended) channel.send(serializeIdentityMessage(message));
    },
    receive() {
      const queued = inbox.shift();
      if (queued) return Promise.resolve(queued);
      if (ended) return Promise.resolve(err(ended));
      return new Promise((resolve) => waiting.push(resolve));
    },
    fail,
  };
}

/** The next message, which must be of `type`; anything else ends the exchange (unexpected-message). */
export async function expectMessage<T extends IdentityMessageType>(
  port: IdentityPort,
  type: T,
): Promise<Result<IdentityMessageOf<T>, IdentityFailure>> {
  const next = await port.receive();
  if (!next.ok) return next;
  if (next.value.type !== type) {
    port.fail(IdentityErrorCode.UnexpectedMessage);
    return err(identityFailure(IdentityErrorCode.UnexpectedMessage, `expected ${type}, got ${next.value.type}`));
  }
  return ok(next.value as IdentityMessageOf<T>);
}

/** Ends the exchange with `code` on both sides and returns the failure, for `return failWith(...)`. */
export function failWith(port: IdentityPort, code: IdentityErrorCode, detail?: string): Result<never, IdentityFailure> {
  port.fail(code);
  return err(identityFailure(code, detail));
}
