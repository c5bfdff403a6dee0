/**
 * Counters for /metrics, in the Prometheus text format (version 0.0.4). Plain
 * fields instead of a metrics library: the server has a dozen numbers to report
 * and one process to report them from.
 */

/** Why the server dropped a message or closed a connection over one; the `reason` label. */
export type RejectReason =
  | 'not_binary'
  | 'too_large'
  | 'malformed'
  | 'unknown_type'
  | 'invalid_update'
  | 'update_too_complex'
  | 'pending_overflow'
  | 'read_only'
  | 'rate_limited'
  | 'awareness_rate_limited'
  | 'awareness_too_large'
  | 'awareness_invalid'
  | 'awareness_not_owned'
  | 'buffered_before_load'
  | 'slow_consumer';

/** Why a websocket was refused at connect time; the `reason` label. */
export type RefuseReason = 'bad_room' | 'not_found' | 'unauthorized' | 'forbidden' | 'link_rotated' | 'room_full' | 'restarting' | 'store_error';

/** A cumulative histogram with fixed buckets (seconds). */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }

  /** Records one observation, in seconds. */
  observe(seconds: number): void {
    this.sum += seconds;
    this.count += 1;
    for (let i = 0; i < this.buckets.length; i++) if (seconds <= this.buckets[i]) this.counts[i] += 1;
  }

  /** Observations above `seconds` (which must be one of the buckets). */
  countAbove(seconds: number): number {
    const i = this.buckets.indexOf(seconds);
    if (i < 0) throw new Error(`${seconds} is not a bucket of this histogram`);
    return this.count - this.counts[i];
  }

  get total(): number {
    return this.count;
  }

  /** The Prometheus lines for this histogram under `name`. */
  render(name: string): string[] {
    const lines = this.buckets.map((le, i) => `${name}_bucket{le="${le}"} ${this.counts[i]}`);
    lines.push(`${name}_bucket{le="+Inf"} ${this.count}`, `${name}_sum ${this.sum}`, `${name}_count ${this.count}`);
    return lines;
  }
}

/** Gauges read at scrape time from the room manager. */
export interface MetricsGauges {
  rooms: number;
  connections: number;
  pendingWrites: number;
  failedWrites: number;
  uptimeSeconds: number;
}

/** Every counter the server keeps. One instance per server. */
export class Metrics {
  messagesIn = 0;
  bytesIn = 0;
  messagesOut = 0;
  bytesOut = 0;
  updatesPersisted = 0;
  persistFailures = 0;
  compactions = 0;
  connectionsOpened = 0;
  readonly rejected = new Map<RejectReason, number>();
  readonly refused = new Map<RefuseReason, number>();
  /** Time to append one batch of updates to the store. */
  readonly persistSeconds = new Histogram([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  /** Event-loop time spent handling one incoming websocket message (decode, apply, broadcast). */
  readonly messageSeconds = new Histogram([0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.2, 0.5, 1]);

  /** Counts a dropped message or a connection closed over one. */
  reject(reason: RejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  /** Counts a websocket refused at connect time. */
  refuse(reason: RefuseReason): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  /** The whole exposition, ready to send as `text/plain; version=0.0.4`. */
  render(gauges: MetricsGauges): string {
    const out: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    const labelled = (name: string, label: string, values: Map<string, number>) =>
      Array.from(values, ([value, n]) => `${name}{${label}="${value}"} ${n}`);

    metric('parley_uptime_seconds', 'gauge', 'Seconds since the server started.', [`parley_uptime_seconds ${gauges.uptimeSeconds}`]);
    metric('parley_rooms_loaded', 'gauge', 'Rooms (documents) loaded in memory.', [`parley_rooms_loaded ${gauges.rooms}`]);
    metric('parley_connections', 'gauge', 'Open collaboration websockets.', [`parley_connections ${gauges.connections}`]);
    metric('parley_connections_opened_total', 'counter', 'Collaboration websockets accepted.', [`parley_connections_opened_total ${this.connectionsOpened}`]);
    metric('parley_connections_refused_total', 'counter', 'Collaboration websockets refused at connect time, by reason.', labelled('parley_connections_refused_total', 'reason', this.refused));
    metric('parley_messages_received_total', 'counter', 'Websocket messages received from clients.', [`parley_messages_received_total ${this.messagesIn}`]);
    metric('parley_messages_sent_total', 'counter', 'Websocket messages sent to clients.', [`parley_messages_sent_total ${this.messagesOut}`]);
    metric('parley_bytes_received_total', 'counter', 'Bytes of websocket messages received.', [`parley_bytes_received_total ${this.bytesIn}`]);
    metric('parley_bytes_sent_total', 'counter', 'Bytes of websocket messages sent.', [`parley_bytes_sent_total ${this.bytesOut}`]);
    metric('parley_messages_rejected_total', 'counter', 'Messages dropped or connections closed over a message, by reason.', labelled('parley_messages_rejected_total', 'reason', this.rejected));
    metric('parley_message_handling_seconds', 'histogram', 'Event-loop time spent on one incoming message.', this.messageSeconds.render('parley_message_handling_seconds'));
    metric('parley_updates_persisted_total', 'counter', 'Document updates appended to the store.', [`parley_updates_persisted_total ${this.updatesPersisted}`]);
    metric('parley_persist_seconds', 'histogram', 'Time to append one batch of updates to the store.', this.persistSeconds.render('parley_persist_seconds'));
    metric('parley_persist_failures_total', 'counter', 'Failed attempts to append updates (they stay in memory and are retried).', [`parley_persist_failures_total ${this.persistFailures}`]);
    metric('parley_pending_writes', 'gauge', 'Updates held in memory, not yet in the store.', [`parley_pending_writes ${gauges.pendingWrites}`]);
    metric('parley_failing_writes', 'gauge', 'Consecutive failed write attempts summed over rooms (0 when the store is healthy).', [`parley_failing_writes ${gauges.failedWrites}`]);
    metric('parley_compactions_total', 'counter', 'Room logs folded into a snapshot.', [`parley_compactions_total ${this.compactions}`]);
    return out.join('\n') + '\n';
  }
}
