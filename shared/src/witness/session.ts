import { SEND_HIGH_WATER, type PeerChannel } from '../peer/channel.js';
import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { TokenExchange, type ExchangeOutcome, type TokenVault, type WitnessRole } from './exchange.js';
import {
  ALERT_HAVE_BATCH,
  ALERTS_BATCH,
  encodeWitnessPeerMessage,
  parseWitnessPeerFrame,
  type WitnessPeerMessage,
} from './peer-messages.js';
import { alertHaveList, alertsLacking, MAX_HELD_ALERTS, type WitnessAlert } from './reconcile.js';
import type { WitnessToken } from './token.js';

/**
 * One witness connection between two devices: the token exchange (exchange.ts), then alert
 * reconciliation (reconcile.ts), then both sides close. Frames are handled one at a time, in order,
 * each awaited, so storage calls never interleave. Anything malformed, out of order or over a bound
 * ends the connection with an ERROR frame, as in the partner protocol (A8).
 *
 *   both, after the token phase  ALERT_HAVE {prefixes ≤ 2,000, last}   (what I hold)
 *   both, after the other's last ALERT_HAVE  ALERTS {alerts ≤ 400, last}  (what you lack)
 */
export interface AlertBook {
  /** The alerts this device holds and passes on. */
  list(): Promise<readonly WitnessAlert[]>;
  /** Alerts from the peer: the book keeps the acceptable new ones and checks them against own tokens (W6). */
  receive(alerts: readonly WitnessAlert[]): Promise<void>;
}

/** Timers come from outside: `shared/` reads no clock of its own. Returns a cancel function. */
export type SetTimer = (ms: number, run: () => void) => () => void;

export interface WitnessSessionOptions {
  readonly role: WitnessRole;
  readonly contactId: string;
  readonly vault: TokenVault;
  readonly alerts: AlertBook;
  readonly setTimer: SetTimer;
  /** The whole connection must finish within this; a stuck peer is let go. */
  readonly timeoutMs?: number;
  readonly versions?: readonly number[];
}

export interface WitnessSessionResult {
  /** null when the token phase did not finish. */
  readonly token: { readonly outcome: ExchangeOutcome; readonly token: WitnessToken } | null;
  readonly alertsSent: number;
  readonly alertsReceived: number;
  /** Why the connection ended early; null when both phases completed. */
  readonly error: ProtocolError | null;
  readonly endedBy: 'complete' | 'local' | 'remote' | 'transport';
}

export const WITNESS_SESSION_TIMEOUT_MS = 30_000;

export function runWitnessSession(channel: PeerChannel, options: WitnessSessionOptions): Promise<WitnessSessionResult> {
  return new Promise((resolve) => {
    let ended = false;
    let token: WitnessSessionResult['token'] = null;
    let alertsSent = 0;
    let alertsReceived = 0;
    let theirPrefixes: string[] = [];
    let theirHaveDone = false;
    let ourHave: readonly WitnessAlert[] | null = null;
    let sentLastAlerts = false;
    let gotLastAlerts = false;
    const offs: (() => void)[] = [];

    const end = (endedBy: WitnessSessionResult['endedBy'], error: ProtocolError | null): void => {
      if (ended) return;
      ended = true;
      for (const off of offs) off();
      channel.close();
      resolve({ token, alertsSent, alertsReceived, error, endedBy });
    };
    const send = (message: WitnessPeerMessage): void => {
      if (ended) return;
      try {
        channel.send(encodeWitnessPeerMessage(message));
      } catch {
        end('transport', protocolError(ErrorCode.PeerClosed, 'send failed'));
      }
    };
    const failWith = (error: ProtocolError): void => {
      send({ type: 'ERROR', code: error.code });
      end('local', error);
    };
    const drained = async (): Promise<void> => {
      while (!ended && channel.bufferedAmount && channel.drained && channel.bufferedAmount() > SEND_HIGH_WATER) await channel.drained();
    };

    const exchange = new TokenExchange(options.role, options.contactId, options.vault, send, options.versions);

    const startSync = async (): Promise<void> => {
      const held = await options.alerts.list();
      ourHave = held;
      const prefixes = alertHaveList(held);
      for (let i = 0; i === 0 || i < prefixes.length; i += ALERT_HAVE_BATCH) {
        send({ type: 'ALERT_HAVE', prefixes: prefixes.slice(i, i + ALERT_HAVE_BATCH), last: i + ALERT_HAVE_BATCH >= prefixes.length });
        await drained();
      }
      if (theirHaveDone) await sendLacking();
    };
    const sendLacking = async (): Promise<void> => {
      if (ourHave === null || sentLastAlerts) return;
      const lacking = alertsLacking(ourHave, theirPrefixes);
      theirPrefixes = [];
      for (let i = 0; i === 0 || i < lacking.length; i += ALERTS_BATCH) {
        const batch = lacking.slice(i, i + ALERTS_BATCH);
        send({ type: 'ALERTS', alerts: batch, last: i + ALERTS_BATCH >= lacking.length });
        alertsSent += batch.length;
        await drained();
      }
      sentLastAlerts = true;
      if (gotLastAlerts) end('complete', null);
    };

    const handle = async (message: WitnessPeerMessage): Promise<void> => {
      if (message.type === 'ERROR') return end('remote', protocolError(message.code));
      if (!exchange.finished) {
        const step = await exchange.receive(message);
        if (step.kind === 'fail') return failWith(step.error);
        if (step.kind === 'done') {
          token = { outcome: step.outcome, token: step.token };
          await startSync();
        }
        return;
      }
      if (message.type === 'ALERT_HAVE') {
        if (theirHaveDone) return failWith(protocolError(ErrorCode.UnexpectedMessage, 'ALERT_HAVE after the last one'));
        theirPrefixes.push(...message.prefixes);
        if (theirPrefixes.length > MAX_HELD_ALERTS) return failWith(protocolError(ErrorCode.TooManyItems, 'ALERT_HAVE'));
        if (message.last) {
          theirHaveDone = true;
          await sendLacking();
        }
        return;
      }
      if (message.type === 'ALERTS') {
        // ALERTS answer our complete ALERT_HAVE, which we send only once the token phase is over.
        if (ourHave === null || !theirHaveDone || gotLastAlerts) return failWith(protocolError(ErrorCode.UnexpectedMessage, 'ALERTS out of order'));
        alertsReceived += message.alerts.length;
        if (alertsReceived > MAX_HELD_ALERTS) return failWith(protocolError(ErrorCode.TooManyItems, 'ALERTS'));
        if (message.alerts.length > 0) await options.alerts.receive(message.alerts);
        if (message.last) {
          gotLastAlerts = true;
          if (sentLastAlerts) end('complete', null);
        }
        return;
      }
      failWith(protocolError(ErrorCode.UnexpectedMessage, `${message.type} after the token phase`));
    };

    // Frames are queued and handled strictly in order; a storage call never overlaps the next frame.
    let queue: Promise<void> = Promise.resolve();
    offs.push(
      channel.onMessage((frame) => {
        queue = queue.then(async () => {
          if (ended) return;
          const parsed = parseWitnessPeerFrame(frame);
          if (!parsed.ok) return failWith(parsed.error);
          try {
            await handle(parsed.value);
          } catch {
            // A storage failure is ours, not the peer's: say so and let go.
            failWith(protocolError(ErrorCode.Internal, 'local failure'));
          }
        });
      }),
    );
    // A close queues behind the frames that came before it, so a peer that sends its last frame and
    // closes at once is still heard in full.
    offs.push(
      channel.onClose(() => {
        queue = queue.then(() => end('transport', protocolError(ErrorCode.PeerClosed)));
      }),
    );
    offs.push(options.setTimer(options.timeoutMs ?? WITNESS_SESSION_TIMEOUT_MS, () => failWith(protocolError(ErrorCode.PeerClosed, 'timed out'))));
    exchange.start();
  });
}
