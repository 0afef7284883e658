/**
 * S4: counters for `/metrics` in the Prometheus text format. Labels are codes and event names from
 * fixed sets, never client data, so the number of series stays bounded.
 */
import type { SignalingClientEvent, SignalingErrorCode } from '@ihyid/shared';

export interface Gauges {
  readonly connections: number;
  readonly rooms: number;
  readonly members: number;
}

export class Metrics {
  joins = 0;
  signalsRelayed = 0;
  private readonly dropped = new Map<string, number>();

  drop(event: SignalingClientEvent | 'unknown', code: SignalingErrorCode): void {
    const key = `event="${event}",code="${code}"`;
    this.dropped.set(key, (this.dropped.get(key) ?? 0) + 1);
  }

  droppedTotal(): number {
    let total = 0;
    for (const count of this.dropped.values()) total += count;
    return total;
  }

  render(gauges: Gauges): string {
    const lines = [
      '# HELP ihyid_signaling_connections Open Socket.IO connections.',
      '# TYPE ihyid_signaling_connections gauge',
      `ihyid_signaling_connections ${gauges.connections}`,
      '# HELP ihyid_signaling_rooms Rooms with at least one member.',
      '# TYPE ihyid_signaling_rooms gauge',
      `ihyid_signaling_rooms ${gauges.rooms}`,
      '# HELP ihyid_signaling_room_members Memberships over all rooms.',
      '# TYPE ihyid_signaling_room_members gauge',
      `ihyid_signaling_room_members ${gauges.members}`,
      '# HELP ihyid_signaling_joins_total Successful joins.',
      '# TYPE ihyid_signaling_joins_total counter',
      `ihyid_signaling_joins_total ${this.joins}`,
      '# HELP ihyid_signaling_signals_relayed_total Signal messages relayed to a peer.',
      '# TYPE ihyid_signaling_signals_relayed_total counter',
      `ihyid_signaling_signals_relayed_total ${this.signalsRelayed}`,
      '# HELP ihyid_signaling_dropped_total Client messages dropped, by event and error code.',
      '# TYPE ihyid_signaling_dropped_total counter',
      ...[...this.dropped].map(([labels, count]) => `ihyid_signaling_dropped_total{${labels}} ${count}`),
    ];
    return lines.join('\n') + '\n';
  }
}
