/**
 * S4: `/metrics` in the Prometheus text format, through prom-client so the exposition format (escaping,
 * TYPE/HELP lines, content type) is the reference one rather than ours.
 *
 * Each server has its own registry: tests run several servers in one process, and a global registry
 * would mix their counts. Labels are codes and event names from fixed sets, never client data, so the
 * number of series stays bounded.
 */
import type { SignalingClientEvent, SignalingErrorCode } from '@ihyid/shared';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface Gauges {
  readonly connections: number;
  /** Rooms with at least one member on this process. */
  readonly rooms: number;
  readonly members: number;
}

export type DisconnectReason = 'offences';

export class Metrics {
  readonly contentType: string;
  private readonly registry = new Registry();
  private readonly joinsTotal: Counter;
  private readonly relayedTotal: Counter;
  private readonly droppedTotal: Counter<'event' | 'code'>;
  private readonly disconnectsTotal: Counter<'reason'>;
  private readonly refusedTotal: Counter;
  private readonly closedTotal: Counter;

  /**
   * `gauges` is read at scrape time, so the figures are never stale and never double-counted.
   * `processMetrics` adds prom-client's standard process figures (RSS, CPU, event-loop lag); only the
   * real process wants them, since they install process-wide observers.
   */
  constructor(gauges: () => Gauges, options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.contentType = this.registry.contentType;
    const gauge = (name: string, help: string, pick: (g: Gauges) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(pick(gauges()));
        },
      });
    };
    gauge('ihyid_signaling_connections', 'Open Socket.IO connections.', (g) => g.connections);
    gauge('ihyid_signaling_rooms', 'Rooms with at least one member on this process.', (g) => g.rooms);
    gauge('ihyid_signaling_room_members', 'Memberships over all rooms on this process.', (g) => g.members);
    this.joinsTotal = new Counter({ name: 'ihyid_signaling_joins_total', help: 'Successful joins.', registers });
    this.relayedTotal = new Counter({
      name: 'ihyid_signaling_signals_relayed_total',
      help: 'Signal messages relayed to a peer.',
      registers,
    });
    this.droppedTotal = new Counter({
      name: 'ihyid_signaling_dropped_total',
      help: 'Client messages dropped, by event and error code.',
      labelNames: ['event', 'code'],
      registers,
    });
    this.disconnectsTotal = new Counter({
      name: 'ihyid_signaling_disconnects_total',
      help: 'Connections the server cut off, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.refusedTotal = new Counter({
      name: 'ihyid_signaling_connections_refused_total',
      help: 'Connections refused because their address already held MAX_CONNECTIONS_PER_IP.',
      registers,
    });
    this.closedTotal = new Counter({
      name: 'ihyid_signaling_rooms_closed_total',
      help: 'Rooms closed with a valid close-room (I9): their link was used or revoked.',
      registers,
    });
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry });
  }

  joined(): void {
    this.joinsTotal.inc();
  }

  relayed(): void {
    this.relayedTotal.inc();
  }

  drop(event: SignalingClientEvent | 'unknown', code: SignalingErrorCode): void {
    this.droppedTotal.inc({ event, code });
  }

  disconnected(reason: DisconnectReason): void {
    this.disconnectsTotal.inc({ reason });
  }

  roomClosed(): void {
    this.closedTotal.inc();
  }

  refusedConnection(): void {
    this.refusedTotal.inc();
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
