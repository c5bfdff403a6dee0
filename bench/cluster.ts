import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ROOT } from './lib/proc';
import { machine, med, record, table, writeResults, type Measurements, type MetricDef } from './lib/report';
import { BenchServer, GENERATOR_CPU, SERVER_CPU, type RoomRef } from './lib/servers';
import type { Plan } from './run';
import { runFanout } from './workloads/fanout';

/** The database the cluster run makes its schema in, and the Redis it uses. */
const DATABASE_URL = process.env.PARLEY_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.PARLEY_BENCH_REDIS_URL || 'redis://127.0.0.1:6379';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at PARLEY_BENCH_DATABASE_URL (${(err as Error).message}); start it (e.g. .ci/run) or set the variable.`, { cause: err });
  }
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The same room reached through another instance. */
function onPort(ref: RoomRef, port: number): RoomRef {
  const url = new URL(ref.url);
  url.port = String(port);
  return { url: url.toString(), docName: ref.docName };
}

const TITLES = { parley: 'Two instances', single: 'One instance' };

/**
 * Workload 1 across two Parley instances sharing PostgreSQL and Redis: the writer
 * on instance A, observers alternately on A and B, a checking Y.Doc client on each;
 * and the same on one instance (SQLite) for comparison, in the same run.
 */
export async function runCluster(
  plan: Plan,
  context: { resultsDir: string; log: (message: string) => void; pinned: boolean; loadStart: string },
): Promise<void> {
  const started = performance.now();
  const { log } = context;
  const data: Measurements = {};
  const keep = (server: string, n: number, r: Awaited<ReturnType<typeof runFanout>>) => {
    record(data, server, `fanout.${n}.p50`, r.p50Ms);
    record(data, server, `fanout.${n}.p99`, r.p99Ms);
    record(data, server, `fanout.${n}.max`, r.maxMs);
    record(data, server, `fanout.${n}.cpu`, r.cpuUsPerDelivery);
    record(data, server, `fanout.${n}.lost`, r.lost + r.duplicated + (r.converged ? 0 : 1));
    log(`  ${server} fan-out ${n}: p50 ${r.p50Ms.toFixed(2)} p99 ${r.p99Ms.toFixed(2)} max ${r.maxMs.toFixed(2)} ms, lost ${r.lost}, converged ${r.converged}`);
  };

  for (let rep = 0; rep < plan.reps; rep++) {
    const schema = `parley_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    await admin(`CREATE SCHEMA "${schema}"`);
    const url = new URL(DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const env = { DATABASE_URL: url.toString(), REDIS_URL };
    try {
      log(`rep ${rep + 1}/${plan.reps} fan-out across two instances`);
      const a = await BenchServer.start('parley', { env });
      const b = await BenchServer.start('parley', { env });
      try {
        for (const n of plan.fanout.observers) {
          const [room] = await a.rooms(1);
          const onB = onPort(room, b.port);
          const r = await runFanout(
            {
              dialect: 'y-websocket',
              writer: room,
              observers: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? onB : room)),
              checkers: [room, onB],
              cpuSeconds: () => a.proc.cpuSeconds() + b.proc.cpuSeconds(),
            },
            { updates: plan.fanout.updates, rateHz: plan.fanout.rateHz },
          );
          keep('parley', n, r);
        }
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }

      log(`rep ${rep + 1}/${plan.reps} fan-out on one instance`);
      const single = await BenchServer.start('parley');
      try {
        for (const n of plan.fanout.observers) {
          const [room] = await single.rooms(1);
          const r = await runFanout(
            { dialect: 'y-websocket', writer: room, observers: Array(n).fill(room), checkers: [room], cpuSeconds: () => single.proc.cpuSeconds() },
            { updates: plan.fanout.updates, rateHz: plan.fanout.rateHz },
          );
          keep('single', n, r);
        }
      } finally {
        await single.stop();
      }
    } finally {
      await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  }

  const defs: MetricDef[] = plan.fanout.observers.flatMap((n) => [
    { key: `fanout.${n}.p50`, label: `Fan-out to ${n}: p50 latency`, unit: 'ms', better: 'lower' as const, digits: 2 },
    { key: `fanout.${n}.p99`, label: `Fan-out to ${n}: p99 latency`, unit: 'ms', better: 'lower' as const, digits: 2 },
    { key: `fanout.${n}.max`, label: `Fan-out to ${n}: max latency`, unit: 'ms', better: 'lower' as const, digits: 2 },
    { key: `fanout.${n}.cpu`, label: `Fan-out to ${n}: server CPU per delivered update (both instances)`, unit: 'µs', better: 'lower' as const, digits: 1 },
    { key: `fanout.${n}.lost`, label: `Fan-out to ${n}: lost, duplicated or diverged`, unit: 'count', better: 'lower' as const, digits: 0 },
  ]);
  const m = machine();
  const info = { loadEnd: os.loadavg().map((l) => l.toFixed(2)).join(', '), minutes: ((performance.now() - started) / 60_000).toFixed(1) };
  const md = [
    `# Parley on two instances — ${new Date().toISOString().slice(0, 10)}, ${m.host}`,
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores; Node ${m.node}`,
    `- Both instances pinned to core ${SERVER_CPU} (the same CPU budget as one instance), load generator on core ${GENERATOR_CPU}: ${context.pinned ? 'yes' : 'no'}; PostgreSQL and Redis unpinned`,
    `- Two instances: DATABASE_URL (a fresh schema per repetition) and REDIS_URL shared; one instance: SQLite`,
    `- Writer on instance A; observers alternate between B and A, so about half of every delivery crosses Redis`,
    `- ${plan.fanout.updates} measured updates at ${plan.fanout.rateHz}/s per observer count; medians of ${plan.reps} repetitions; load average ${context.loadStart} → ${info.loadEnd}; ${info.minutes} min`,
    '',
    table(defs, data, ['parley', 'single'], TITLES),
    '',
    `Lost, duplicated or diverged over all observer counts: ${plan.fanout.observers.reduce((n, o) => n + med(data, 'parley', `fanout.${o}.lost`), 0)} on two instances.`,
    '',
  ].join('\n');
  const written = writeResults(context.resultsDir, '-cluster', { date: new Date().toISOString(), machine: m, plan: plan.fanout, info, measurements: data }, md);
  process.stdout.write(md + '\n');
  log(`wrote ${path.relative(ROOT, written.md)} and ${path.relative(ROOT, written.json)}`);
}
