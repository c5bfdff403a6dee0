import { closeAll, DocClient, openClients } from '../lib/clients';
import type { RoomRef } from '../lib/servers';
import { Samples, sleep, until } from '../lib/stats';
import { mapSetUpdate, marker, randomClientId, scanMarkers, WireClient, type Dialect } from '../lib/wire';

/** One fan-out measurement: a writer, `observers` raw clients, one real Y.Doc client checking the result. */
export interface FanoutResult {
  observers: number;
  updates: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Server CPU microseconds per update delivered to one observer. */
  cpuUsPerDelivery: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Whether the checking Y.Doc clients hold exactly the keys written. */
  converged: boolean;
}

/** Where the writer, the observers and the checking clients connect, and how to read the servers' CPU. */
export interface FanoutSetup {
  dialect: Dialect;
  writer: RoomRef;
  /** One per observer (several instances: observers spread over them). */
  observers: RoomRef[];
  /** Real Y.Doc clients (one per instance). */
  checkers: RoomRef[];
  /** Server CPU seconds so far (summed over instances). */
  cpuSeconds: () => number;
}

// A comment-sized value: real updates carry a few hundred bytes, not one.
const VALUE = 'x'.repeat(200);

/** Writes `updates` updates at `rateHz` and measures how each reaches every observer. */
export async function runFanout(setup: FanoutSetup, options: { updates: number; rateHz: number; writerIndex?: number; warmup?: number }): Promise<FanoutResult> {
  const { dialect } = setup;
  const sentAt = new Map<string, number>();
  const latencies = new Samples();
  let duplicated = 0;
  const seen: Set<string>[] = [];

  const observers = await openClients(setup.observers.length, (i) => {
    const mine = new Set<string>();
    seen.push(mine);
    return new WireClient({
      url: setup.observers[i].url,
      dialect,
      docName: setup.observers[i].docName,
      onFrame: (kind, payload, _data, at) => {
        if (kind !== 'update') return;
        scanMarkers(payload, (m) => {
          const sent = sentAt.get(m);
          if (sent === undefined) return;
          if (mine.has(m)) {
            duplicated += 1;
            return;
          }
          mine.add(m);
          latencies.push(at - sent);
        });
      },
    });
  });
  const checkers = setup.checkers.map((ref) => new DocClient(ref, dialect));
  await Promise.all(checkers.map((c) => c.client.synced));
  const writer = new WireClient({ url: setup.writer.url, dialect, docName: setup.writer.docName });
  await writer.synced;

  const clientId = randomClientId();
  const writerIndex = options.writerIndex ?? 1;
  const interval = 1000 / options.rateHz;
  // Warm-up updates (not measured): the first messages of a room pay for lazy compilation and first writes.
  const warmup = options.warmup ?? 5;
  for (let seq = 0; seq < warmup; seq++) {
    writer.send(writer.frames.update(mapSetUpdate(clientId, seq, marker(0, seq), VALUE)));
    await sleep(interval);
  }
  await until(() => checkers.every((c) => c.keys().size >= warmup), 3000);
  const cpuBefore = setup.cpuSeconds();
  const start = performance.now();
  for (let seq = 0; seq < options.updates; seq++) {
    const due = start + seq * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const m = marker(writerIndex, seq);
    const frame = writer.frames.update(mapSetUpdate(clientId, warmup + seq, m, VALUE));
    sentAt.set(m, performance.now());
    writer.send(frame);
  }
  const expected = options.updates * observers.length;
  const all = () => seen.reduce((n, s) => n + s.size, 0) >= expected && checkers.every((c) => c.keys().size >= warmup + options.updates);
  await until(all, 3000);
  const cpu = setup.cpuSeconds() - cpuBefore;

  const delivered = seen.reduce((n, s) => n + s.size, 0);
  const written = new Set(sentAt.keys());
  for (let seq = 0; seq < warmup; seq++) written.add(marker(0, seq));
  const converged = checkers.every((c) => {
    const keys = c.keys();
    return keys.size === written.size && [...written].every((k) => keys.has(k));
  });
  closeAll(observers);
  writer.close();
  for (const c of checkers) c.close();

  return {
    observers: observers.length,
    updates: options.updates,
    p50Ms: latencies.percentile(50),
    p99Ms: latencies.percentile(99),
    maxMs: latencies.max(),
    cpuUsPerDelivery: delivered > 0 ? (cpu * 1e6) / delivered : NaN,
    delivered,
    lost: expected - delivered,
    duplicated,
    converged,
  };
}
