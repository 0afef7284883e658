/**
 * Witness figures for /metrics: counts only, never a position, a session id or a token (S2, W2).
 * `positions_held` is a gauge so that a test can watch it return to zero once every device has gone.
 *
 * The server's Metrics class (metrics.ts) keeps its registry to itself, so these live in their own
 * registry and their text is appended to the server's /metrics document (metric names do not overlap).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { WitnessClientEvent, WitnessErrorCode } from '@ihyid/shared';

export interface RenderedMetrics {
  render(): Promise<string>;
}

export class WitnessMetrics {
  readonly registry = new Registry();
  private readonly peersTotal: Counter;
  private readonly declarationsTotal: Counter;
  private readonly alertsTotal: Counter;
  private readonly droppedTotal: Counter<'event' | 'code'>;

  constructor(figures: () => { positions: number; sessions: number }) {
    const registers = [this.registry];
    new Gauge({
      name: 'ihyid_witness_positions_held',
      help: 'Latest positions held for witness sessions connected to this process.',
      registers,
      collect() {
        this.set(figures().positions);
      },
    });
    new Gauge({
      name: 'ihyid_witness_sessions',
      help: 'Witness sessions connected to this process.',
      registers,
      collect() {
        this.set(figures().sessions);
      },
    });
    this.peersTotal = new Counter({ name: 'ihyid_witness_peers_pushed_total', help: 'witness-peer notices sent.', registers });
    this.declarationsTotal = new Counter({ name: 'ihyid_witness_declarations_total', help: 'Declarations relayed.', registers });
    this.alertsTotal = new Counter({ name: 'ihyid_witness_alert_tokens_relayed_total', help: 'Tokens in relayed declarations.', registers });
    this.droppedTotal = new Counter({
      name: 'ihyid_witness_dropped_total',
      help: 'Witness messages dropped, by event and error code.',
      labelNames: ['event', 'code'],
      registers,
    });
  }

  peerPushed(): void {
    this.peersTotal.inc();
  }

  declared(tokens: number): void {
    this.declarationsTotal.inc();
    this.alertsTotal.inc(tokens);
  }

  drop(event: WitnessClientEvent | 'unknown', code: WitnessErrorCode): void {
    this.droppedTotal.inc({ event, code });
  }

  /** Appends these figures to the server's /metrics document. */
  appendTo(host: RenderedMetrics): void {
    const render = host.render.bind(host);
    host.render = async () => `${await render()}\n${await this.registry.metrics()}`;
  }
}
