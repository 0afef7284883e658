import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { negotiateWitnessVersion, WITNESS_PEER_PROTOCOL, WITNESS_PEER_VERSIONS, type WitnessPeerMessage } from './peer-messages.js';
import { witnessToken, type WitnessToken } from './token.js';

/**
 * W3: FANNY's token exchange between two devices the server found near each other.
 *
 *   responder → initiator  PONG {protocol, versions}          (on channel open)
 *   initiator → responder  PRIVATE_UUID {v, uuid}             (the chosen version, its contact id)
 *   responder → initiator  PRIVATE_UUID {v, uuid}
 *   initiator → responder  TOKEN {token}                      or ACK {ack: false} if it already holds it
 *   responder → initiator  ACK {ack, token}                   ack: stored now; false: already held
 *
 * The initiator is the side with the lower session id. Both sides compute the token and check the
 * other's; a token either side already holds aborts the exchange (it is not stored twice). The contact
 * ids are used for this exchange only and never stored.
 */
export type WitnessRole = 'initiator' | 'responder';

/** W3: the side with the lower session id (compared as lowercase strings) starts the connection and the exchange. */
export function witnessRoleFor(ownSessionId: string, peerSessionId: string): WitnessRole {
  return ownSessionId < peerSessionId ? 'initiator' : 'responder';
}

/** Where a device keeps its witness tokens. `add` must be atomic: false when the token is already held. */
export interface TokenVault {
  has(token: WitnessToken): Promise<boolean>;
  add(token: WitnessToken): Promise<boolean>;
}

/** stored: both sides now hold the token. exists: one side already held it, so the exchange was aborted. */
export type ExchangeOutcome = 'stored' | 'exists';

export type ExchangeStep =
  | { readonly kind: 'continue' }
  | { readonly kind: 'done'; readonly outcome: ExchangeOutcome; readonly token: WitnessToken }
  | { readonly kind: 'fail'; readonly error: ProtocolError };

type Phase =
  | { name: 'new' }
  | { name: 'await-pong' }
  | { name: 'await-uuid'; version: number | null }
  | { name: 'await-token'; token: WitnessToken }
  | { name: 'await-ack'; token: WitnessToken }
  | { name: 'done' };

const CONTINUE: ExchangeStep = { kind: 'continue' };
const fail = (code: ErrorCode, detail: string): ExchangeStep => ({ kind: 'fail', error: protocolError(code, detail) });

export class TokenExchange {
  private phase: Phase = { name: 'new' };

  constructor(
    private readonly role: WitnessRole,
    private readonly contactId: string,
    private readonly vault: TokenVault,
    private readonly send: (message: WitnessPeerMessage) => void,
    private readonly versions: readonly number[] = WITNESS_PEER_VERSIONS,
  ) {}

  get finished(): boolean {
    return this.phase.name === 'done';
  }

  /** Called once the channel is open. */
  start(): void {
    if (this.phase.name !== 'new') return;
    if (this.role === 'initiator') {
      this.phase = { name: 'await-pong' };
      return;
    }
    this.phase = { name: 'await-uuid', version: null };
    this.send({ type: 'PONG', protocol: WITNESS_PEER_PROTOCOL, versions: [...this.versions] });
  }

  /** One message of the token phase. The caller feeds messages one at a time, awaiting each. */
  async receive(message: WitnessPeerMessage): Promise<ExchangeStep> {
    const phase = this.phase;
    switch (message.type) {
      case 'PONG': {
        if (phase.name !== 'await-pong') break;
        const version = negotiateWitnessVersion(this.versions, message.versions);
        if (version === null) return fail(ErrorCode.IncompatibleVersion, `they offer ${message.versions.join(',')}`);
        this.phase = { name: 'await-uuid', version };
        this.send({ type: 'PRIVATE_UUID', v: version, uuid: this.contactId });
        return CONTINUE;
      }
      case 'PRIVATE_UUID': {
        if (phase.name !== 'await-uuid') break;
        if (message.uuid === this.contactId) return fail(ErrorCode.InvalidItem, 'the peer sent our own contact id');
        const token = witnessToken(this.contactId, message.uuid);
        if (this.role === 'responder') {
          if (!this.versions.includes(message.v)) return fail(ErrorCode.IncompatibleVersion, `version ${message.v}`);
          this.phase = { name: 'await-token', token };
          this.send({ type: 'PRIVATE_UUID', v: message.v, uuid: this.contactId });
          return CONTINUE;
        }
        if (message.v !== phase.version) return fail(ErrorCode.IncompatibleVersion, `answered version ${message.v}`);
        if (await this.vault.has(token)) {
          // FANNY step 5: a token that already exists is not made again; the responder learns why.
          this.send({ type: 'ACK', ack: false, token });
          return this.done('exists', token);
        }
        this.phase = { name: 'await-ack', token };
        this.send({ type: 'TOKEN', token });
        return CONTINUE;
      }
      case 'TOKEN': {
        if (phase.name !== 'await-token') break;
        if (message.token !== phase.token) return fail(ErrorCode.InvalidItem, 'token does not match the contact ids');
        const stored = await this.vault.add(phase.token);
        this.send({ type: 'ACK', ack: stored, token: phase.token });
        return this.done(stored ? 'stored' : 'exists', phase.token);
      }
      case 'ACK': {
        if (phase.name === 'await-token' && !message.ack) {
          // The initiator already held the token and aborted.
          if (message.token !== phase.token) return fail(ErrorCode.InvalidItem, 'aborted a different token');
          return this.done('exists', phase.token);
        }
        if (phase.name !== 'await-ack') break;
        if (message.token !== phase.token) return fail(ErrorCode.InvalidItem, 'acknowledged a different token');
        if (!message.ack) return this.done('exists', phase.token);
        // Stored only now, after the responder has it: both hold the token or neither made it new.
        const stored = await this.vault.add(phase.token);
        return this.done(stored ? 'stored' : 'exists', phase.token);
      }
      default:
        break;
    }
    return fail(ErrorCode.UnexpectedMessage, `${message.type} while ${phase.name}`);
  }

  private done(outcome: ExchangeOutcome, token: WitnessToken): ExchangeStep {
    this.phase = { name: 'done' };
    return { kind: 'done', outcome, token };
  }
}
