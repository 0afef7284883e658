import { describe, expect, it } from 'vitest';
import { inMemoryChannelPair } from '../src/peer/channel.js';
import { ErrorCode, ERROR_MESSAGES } from '../src/core/errors.js';
import { IDENTITY_ERROR_MESSAGES, IdentityErrorCode } from '../src/identity/errors.js';
import { expectMessage } from '../src/identity/port.js';
import { err } from '../src/core/result.js';
import { org, settle, trustingIdentify, until, type Identify } from './support/check-org.js';

// The identity step inside the session (PROTOCOL.md §3.1, version 2): after both hellos, `id-*` frames
// go to the injected step over an IdentityPort; a `ready` each way opens the session.

/** A step that exchanges one frame each way before it trusts the partner. */
const pingIdentify: Identify = async (port, name) => {
  port.send({ type: 'id-ids-end' });
  const got = await expectMessage(port, 'id-ids-end');
  if (!got.ok) return err({ code: got.error.code });
  return trustingIdentify(port, name);
};

function pair(ia: Identify, ib: Identify) {
  const [ca, cb] = inMemoryChannelPair();
  const sent: string[] = [];
  const send = ca.send.bind(ca);
  ca.send = (f) => {
    sent.push(JSON.parse(f).type);
    send(f);
  };
  const a = org('Org A', ca, [], { identify: ia });
  const b = org('Org B', cb, [], { identify: ib });
  a.session.start();
  b.session.start();
  return { a, b, ca, cb, sent };
}

describe('peer session identity step', () => {
  it('[I8] every identity code is a session code with the same sentence both users read', () => {
    for (const code of Object.values(IdentityErrorCode)) {
      expect(Object.values(ErrorCode)).toContain(code);
      if (!['too-many-items'].includes(code)) expect(ERROR_MESSAGES[code]).toBe(IDENTITY_ERROR_MESSAGES[code]);
    }
  });

  it('[I8] routes id-* frames to the step between hello and ready, then sends ready', async () => {
    const { a, b, sent } = pair(pingIdentify, pingIdentify);
    expect(await until(a.events, 'ready')).toMatchObject({ version: 3, identity: { peerFingerprint: expect.stringMatching(/^[A-Z2-7]{32}$/) } });
    await until(b.events, 'ready');
    // After ready, alert reconciliation (W5) follows; it is tested in peer-session-alerts.test.ts.
    expect(sent.filter((t) => !t.startsWith('alert'))).toEqual(['hello', 'id-ids-end', 'ready']);
    expect(a.session.partnerIdentity).not.toBeNull();
  });

  it('[I5] id-* frames after ready reach the port for gossip and attestations', async () => {
    const { a, b } = pair(trustingIdentify, trustingIdentify);
    await until(a.events, 'ready');
    await until(b.events, 'ready');
    a.session.identityPort.send({ type: 'id-push', events: [] });
    expect(await b.session.identityPort.receive()).toEqual({ ok: true, value: { type: 'id-push', events: [] } });
  });

  it('[I6] a refusal shows this side its code and sends the partner the peer code', async () => {
    const refuse: Identify = async () => err({ code: ErrorCode.PeerUnregistered, peerCode: ErrorCode.SelfUnregistered });
    const wait: Identify = async (port) => {
      await port.receive();
      return err({ code: ErrorCode.PeerClosed });
    };
    const { a, b } = pair(refuse, wait);
    expect(await until(a.events, 'closed')).toEqual({ type: 'closed', by: 'local', error: { code: 'identity-unregistered' } });
    expect(await until(b.events, 'closed')).toEqual({ type: 'closed', by: 'remote', error: { code: 'self-unregistered' } });
    expect(a.events.some((e) => e.type === 'ready') || b.events.some((e) => e.type === 'ready')).toBe(false);
  });

  it('[I8] a handshake failure through the port ends both sessions with the same typed warning', async () => {
    const failing: Identify = async (port) => {
      port.fail(IdentityErrorCode.HandshakeFailed);
      return err({ code: ErrorCode.HandshakeFailed });
    };
    const { a, b } = pair(failing, pingIdentify);
    expect(await until(a.events, 'closed')).toMatchObject({ by: 'local', error: { code: 'handshake-failed' } });
    expect(await until(b.events, 'closed')).toMatchObject({ by: 'remote', error: { code: 'handshake-failed' } });
  });

  const outOfOrder: [string, string][] = [
    ['an identity frame before hello', JSON.stringify({ type: 'id-ids-end' })],
    ['ready before hello', JSON.stringify({ type: 'ready' })],
    ['a check request before ready', JSON.stringify({ type: 'check-decline', checkId: '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4', reason: 'declined' })],
  ];
  for (const [what, frame] of outOfOrder) {
    it(`[A8] ${what} ends the session with unexpected-message`, async () => {
      const [raw, mine] = inMemoryChannelPair();
      const received: string[] = [];
      raw.onMessage((f) => received.push(f as string));
      const never: Identify = () => new Promise(() => undefined);
      const victim = org('Org B', mine, [], { identify: never });
      victim.session.start();
      if (!what.includes('before hello')) raw.send(JSON.stringify({ type: 'hello', protocol: 'ihyid-peer', versions: [3], orgName: 'Mallory' }));
      await settle();
      raw.send(frame);
      expect(await until(victim.events, 'closed')).toMatchObject({ by: 'local', error: { code: 'unexpected-message' } });
      expect(received.at(-1)).toBe('{"type":"error","code":"unexpected-message"}');
    });
  }

  it('[A8] a malformed identity frame is malformed-message', async () => {
    const [raw, mine] = inMemoryChannelPair();
    const victim = org('Org B', mine, [], { identify: () => new Promise(() => undefined) });
    victim.session.start();
    raw.send(JSON.stringify({ type: 'hello', protocol: 'ihyid-peer', versions: [3], orgName: 'Mallory' }));
    raw.send(JSON.stringify({ type: 'id-proof', sig: 'zz' }));
    expect(await until(victim.events, 'closed')).toMatchObject({ error: { code: 'malformed-message' } });
  });
});
