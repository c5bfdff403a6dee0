/**
 * `npm run bench`: Parley against the reference Yjs servers, each in its own
 * process on core 0 while this load generator runs on core 1, the same workloads
 * against each in one run, three repetitions, medians and ratios.
 *
 *   npm run bench                 full run (about 11 minutes on 2 cores)
 *   npm run bench -- --quick      smoke run, one repetition, shorter windows (about 2 minutes)
 *   npm run bench -- --cluster    workload 1 across two Parley instances (PostgreSQL + Redis)
 *   npm run bench -- --only=fanout,cold --servers=parley,hocuspocus --reps=1
 *
 * Results go to bench/results/<date>-<host>.json and .md.
 */
import os from 'node:os';
import path from 'node:path';
import { coldDocumentFile } from './lib/cold-doc';
import { pinSelf, ROOT, taskset } from './lib/proc';
import { machine, med, record, table, writeResults, type Measurements, type MetricDef } from './lib/report';
import { BenchServer, GENERATOR_CPU, SERVER_CPU, SERVER_NAMES, type ServerName } from './lib/servers';
import { runCluster } from './cluster';
import { runColdLoad } from './workloads/cold-load';
import { runFanout } from './workloads/fanout';
import { runMemory } from './workloads/memory';
import { runRoomLoad } from './workloads/room-load';

const WORKLOADS = ['fanout', 'throughput', 'presence', 'memory', 'cold'] as const;
type Workload = (typeof WORKLOADS)[number];

/** How much of each workload one repetition runs. */
export interface Plan {
  reps: number;
  fanout: { observers: number[]; updates: number; rateHz: number };
  throughput: { configs: [rooms: number, perRoom: number][]; seconds: number };
  presence: { clients: number; seconds: number };
  memory: { roomsOfOne: number; crowdRooms: number; crowdPerRoom: number };
  cold: { sizes: number[] };
}

const FULL: Plan = {
  reps: 3,
  fanout: { observers: [1, 10, 50, 100, 250], updates: 30, rateHz: 10 },
  throughput: {
    configs: [
      [100, 5],
      [20, 25],
    ],
    seconds: 5,
  },
  presence: { clients: 500, seconds: 5 },
  memory: { roomsOfOne: 1000, crowdRooms: 10, crowdPerRoom: 200 },
  cold: { sizes: [1_000_000, 10_000_000] },
};

const QUICK: Plan = {
  reps: 1,
  fanout: { observers: [1, 50, 250], updates: 10, rateHz: 10 },
  throughput: {
    configs: [
      [100, 5],
      [20, 25],
    ],
    seconds: 2,
  },
  presence: { clients: 500, seconds: 2 },
  memory: { roomsOfOne: 300, crowdRooms: 10, crowdPerRoom: 60 },
  cold: { sizes: [1_000_000] },
};

const TITLES: Record<string, string> = { parley: 'Parley', 'y-websocket': 'y-websocket', hocuspocus: 'Hocuspocus' };

function sizeLabel(bytes: number): string {
  return bytes >= 1_000_000 ? `${Math.round(bytes / 1_000_000)} MB` : `${Math.round(bytes / 1000)} kB`;
}

/** Every row of the table for `plan`. */
function metricDefs(plan: Plan): MetricDef[] {
  const defs: MetricDef[] = [];
  for (const n of plan.fanout.observers) {
    defs.push(
      { key: `fanout.${n}.p50`, label: `Fan-out to ${n}: p50 latency`, unit: 'ms', better: 'lower', digits: 2 },
      { key: `fanout.${n}.p99`, label: `Fan-out to ${n}: p99 latency`, unit: 'ms', better: 'lower', digits: 2 },
      { key: `fanout.${n}.max`, label: `Fan-out to ${n}: max latency`, unit: 'ms', better: 'lower', digits: 2 },
      { key: `fanout.${n}.cpu`, label: `Fan-out to ${n}: server CPU per delivered update`, unit: 'µs', better: 'lower', digits: 1 },
    );
  }
  for (const [rooms, per] of plan.throughput.configs) {
    const name = `${rooms} rooms × ${per}`;
    defs.push(
      { key: `tp.${rooms}x${per}.delivered`, label: `Throughput ${name}: delivered updates + presence`, unit: 'msg/s', better: 'higher', digits: 0 },
      { key: `tp.${rooms}x${per}.p99`, label: `Throughput ${name}: p99 update latency`, unit: 'ms', better: 'lower', digits: 1 },
      { key: `tp.${rooms}x${per}.cores`, label: `Throughput ${name}: server CPU`, unit: 'cores', better: 'lower', digits: 2 },
      { key: `tp.${rooms}x${per}.rss`, label: `Throughput ${name}: server RSS`, unit: 'MB', better: 'lower', digits: 0 },
    );
  }
  defs.push(
    { key: 'presence.cores', label: `Presence storm (${plan.presence.clients} in one room): server CPU`, unit: 'cores', better: 'lower', digits: 2 },
    { key: 'presence.delivered', label: 'Presence storm: presence states delivered', unit: 'states/s', better: 'higher', digits: 0 },
    { key: 'mem.roomsOfOne', label: `Memory, ${plan.memory.roomsOfOne} rooms × 1 connection: RSS per room with its connection`, unit: 'KB', better: 'lower', digits: 1 },
    {
      key: 'mem.crowd',
      label: `Memory, ${plan.memory.crowdRooms * plan.memory.crowdPerRoom} connections in ${plan.memory.crowdRooms} rooms: RSS per connection`,
      unit: 'KB',
      better: 'lower',
      digits: 1,
    },
    { key: 'mem.perRoom', label: 'Memory: RSS per room (first row minus second)', unit: 'KB', better: 'lower', digits: 1 },
    { key: 'mem.roomsOfOne.base', label: 'Memory: RSS of the idle server before any client', unit: 'MB', better: 'lower', digits: 0 },
    { key: 'mem.roomsOfOne.after', label: `Memory: RSS left above that after the ${plan.memory.roomsOfOne} clients left`, unit: 'MB', better: 'lower', digits: 1 },
    { key: 'mem.roomsOfOne.left', label: 'Memory: rooms still loaded after they left', unit: 'rooms', better: 'lower', digits: 0 },
    { key: 'mem.crowd.after', label: `Memory: RSS left above the start after the ${plan.memory.crowdRooms * plan.memory.crowdPerRoom} clients left`, unit: 'MB', better: 'lower', digits: 1 },
  );
  for (const size of plan.cold.sizes) {
    const label = sizeLabel(size);
    defs.push(
      { key: `cold.${size}.first`, label: `Cold load ${label}: first client synced`, unit: 'ms', better: 'lower', digits: 0 },
      { key: `cold.${size}.p50`, label: `Cold load ${label}: 50 joining at once, p50`, unit: 'ms', better: 'lower', digits: 0 },
      { key: `cold.${size}.p99`, label: `Cold load ${label}: 50 joining at once, p99`, unit: 'ms', better: 'lower', digits: 0 },
    );
  }
  defs.push(
    { key: 'lost', label: 'Lost updates, all workloads', unit: 'updates', better: 'lower', digits: 0 },
    { key: 'duplicated', label: 'Duplicated updates, all workloads', unit: 'updates', better: 'lower', digits: 0 },
    { key: 'diverged', label: 'Checking Y.Doc clients that did not converge', unit: 'clients', better: 'lower', digits: 0 },
    { key: 'closed', label: 'Clients disconnected by the server (throughput and presence)', unit: 'clients', better: 'lower', digits: 0 },
  );
  return defs;
}

function log(message: string): void {
  const elapsed = ((performance.now() - startedAt) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[${elapsed}s] ${message}\n`);
}

const startedAt = performance.now();

/** Adds a count to a server's running total for this repetition. */
function addCount(data: Measurements, server: string, key: string, rep: number, value: number): void {
  const values = ((data[server] ??= {})[key] ??= []);
  values[rep] = (values[rep] ?? 0) + value;
}

async function runWorkload(workload: Workload, name: ServerName, plan: Plan, data: Measurements, rep: number): Promise<void> {
  const integrity = (lost: number, duplicated: number, diverged: number) => {
    addCount(data, name, 'lost', rep, lost);
    addCount(data, name, 'duplicated', rep, duplicated);
    addCount(data, name, 'diverged', rep, diverged);
  };
  switch (workload) {
    case 'fanout': {
      const server = await BenchServer.start(name);
      try {
        for (const n of plan.fanout.observers) {
          const [room] = await server.rooms(1);
          const r = await runFanout(
            { dialect: server.dialect, writer: room, observers: Array(n).fill(room), checkers: [room], cpuSeconds: () => server.proc.cpuSeconds() },
            { updates: plan.fanout.updates, rateHz: plan.fanout.rateHz },
          );
          record(data, name, `fanout.${n}.p50`, r.p50Ms);
          record(data, name, `fanout.${n}.p99`, r.p99Ms);
          record(data, name, `fanout.${n}.max`, r.maxMs);
          record(data, name, `fanout.${n}.cpu`, r.cpuUsPerDelivery);
          integrity(r.lost, r.duplicated, r.converged ? 0 : 1);
          log(`  ${name} fan-out ${n}: p50 ${r.p50Ms.toFixed(2)} p99 ${r.p99Ms.toFixed(2)} max ${r.maxMs.toFixed(2)} ms, ${r.cpuUsPerDelivery.toFixed(1)} µs/delivery, lost ${r.lost}`);
        }
      } finally {
        await server.stop();
      }
      return;
    }
    case 'throughput':
      for (const [rooms, per] of plan.throughput.configs) {
        const server = await BenchServer.start(name);
        try {
          const r = await runRoomLoad(server, { rooms, clientsPerRoom: per, updateHz: 2, presenceHz: 1, seconds: plan.throughput.seconds });
          const key = `tp.${rooms}x${per}`;
          record(data, name, `${key}.delivered`, r.deliveredPerSecond);
          record(data, name, `${key}.p99`, r.p99Ms);
          record(data, name, `${key}.cores`, r.serverCores);
          record(data, name, `${key}.rss`, r.rssMB);
          integrity(r.lost, r.duplicated, r.converged ? 0 : 1);
          addCount(data, name, 'closed', rep, r.closed);
          log(`  ${name} ${rooms}×${per}: ${r.deliveredPerSecond.toFixed(0)} msg/s, p99 ${r.p99Ms.toFixed(1)} ms, ${r.serverCores.toFixed(2)} cores, ${r.rssMB.toFixed(0)} MB, lost ${r.lost}, closed ${r.closed}`);
        } finally {
          await server.stop();
        }
      }
      return;
    case 'presence': {
      const server = await BenchServer.start(name);
      try {
        const r = await runRoomLoad(server, { rooms: 1, clientsPerRoom: plan.presence.clients, updateHz: 0, presenceHz: 1, seconds: plan.presence.seconds, checkedRooms: 0 });
        record(data, name, 'presence.cores', r.serverCores);
        record(data, name, 'presence.delivered', r.presenceDeliveredPerSecond);
        addCount(data, name, 'closed', rep, r.closed);
        log(`  ${name} presence storm: ${r.serverCores.toFixed(2)} cores, ${r.presenceDeliveredPerSecond.toFixed(0)} states/s delivered, closed ${r.closed}`);
      } finally {
        await server.stop();
      }
      return;
    }
    case 'memory': {
      let perRoomOfOne = NaN;
      for (const [key, rooms, perRoom] of [
        ['mem.roomsOfOne', plan.memory.roomsOfOne, 1],
        ['mem.crowd', plan.memory.crowdRooms, plan.memory.crowdPerRoom],
      ] as const) {
        const server = await BenchServer.start(name);
        try {
          const r = await runMemory(server, { rooms, perRoom });
          record(data, name, key, r.kbPerConnection);
          record(data, name, `${key}.base`, r.rssBaseMB);
          record(data, name, `${key}.after`, r.rssAfterMB - r.rssBaseMB);
          if (key === 'mem.roomsOfOne') {
            perRoomOfOne = r.kbPerConnection;
            record(data, name, `${key}.left`, r.roomsLeft);
          } else {
            record(data, name, 'mem.perRoom', perRoomOfOne - r.kbPerConnection);
          }
          log(`  ${name} ${rooms} rooms × ${perRoom}: ${r.kbPerConnection.toFixed(1)} KB per connection, ${r.rssBaseMB.toFixed(0)} → ${r.rssLoadedMB.toFixed(0)} → ${r.rssAfterMB.toFixed(0)} MB, ${r.roomsLeft} rooms left`);
        } finally {
          await server.stop();
        }
      }
      return;
    }
    case 'cold':
      for (const size of plan.cold.sizes) {
        const r = await runColdLoad(name, coldDocumentFile(size));
        record(data, name, `cold.${size}.first`, r.firstSyncMs);
        record(data, name, `cold.${size}.p50`, r.joinP50Ms);
        record(data, name, `cold.${size}.p99`, r.joinP99Ms);
        log(`  ${name} cold ${sizeLabel(size)}: first ${r.firstSyncMs.toFixed(0)} ms, 50 joining p50 ${r.joinP50Ms.toFixed(0)} p99 ${r.joinP99Ms.toFixed(0)} ms`);
      }
      return;
  }
}

interface Target {
  text: string;
  figure: string;
  met: boolean | null;
}

function targets(plan: Plan, data: Measurements): Target[] {
  const out: Target[] = [];
  const p = (key: string) => med(data, 'parley', key);
  const add = (text: string, value: number, limit: number, unit: string, digits = 1) =>
    out.push({ text, figure: Number.isFinite(value) ? `${value.toFixed(digits)} ${unit}` : 'not measured', met: Number.isFinite(value) ? value < limit : null });
  if (plan.fanout.observers.includes(50)) add('Fan-out to 50 observers: p99 under 5 ms', p('fanout.50.p99'), 5, 'ms', 2);
  if (plan.fanout.observers.includes(250)) add('Fan-out to 250 observers: p99 under 25 ms', p('fanout.250.p99'), 25, 'ms', 2);
  const lost = p('lost') + p('duplicated') + p('diverged');
  out.push({ text: 'No lost or duplicated updates anywhere, every checking client converged', figure: `${p('lost')} lost, ${p('duplicated')} duplicated, ${p('diverged')} diverged`, met: lost === 0 });
  add('Presence storm under half of one core', p('presence.cores'), 0.5, 'cores', 2);
  add('At most 30 KB per idle connection', Math.max(p('mem.crowd'), p('mem.roomsOfOne')), 30.0001, 'KB (worst of the two memory runs)');
  if (plan.cold.sizes.includes(1_000_000)) add('1 MB session synced under 150 ms cold', p('cold.1000000.first'), 150, 'ms', 0);
  // "At least as fast as both references in every workload" is the ✓/✗ column of the table.
  return out;
}

function markdown(plan: Plan, data: Measurements, servers: ServerName[], info: Record<string, unknown>, quick: boolean): string {
  const m = machine();
  const lines = [
    `# Parley benchmark — ${new Date().toISOString().slice(0, 10)}, ${m.host}`,
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores; ${m.memoryGB} GB; Linux ${m.kernel}; Node ${m.node}`,
    `- Servers pinned to core ${SERVER_CPU}, load generator to core ${GENERATOR_CPU}: ${info.pinned ? 'yes (taskset)' : 'no (taskset missing)'}`,
    `- Load average (1, 5, 15 min) at start ${info.loadStart}, at end ${info.loadEnd}; other work on the machine shows up as noise in latencies`,
    `- ${quick ? 'Quick run (--quick): one repetition, shorter windows' : `Medians of ${plan.reps} repetitions`}; run took ${info.minutes} min`,
    `- Parley: createParleyServer (no Next.js), SQLite store, access keys in the URL, PARLEY_MAX_CONNECTIONS_PER_ROOM raised to 100000 for the 250- and 500-client rooms`,
    '- y-websocket: @y/websocket-server 0.1.1 setupWSConnection, in memory (a file read on first open only for the cold-load workload)',
    '- Hocuspocus: @hocuspocus/server 3.4.4 + @hocuspocus/extension-database on better-sqlite3, default debounce',
    '',
    '## Workloads and durations',
    '',
    `1. Fan-out: one writer, ${plan.fanout.rateHz} updates/s, ${plan.fanout.updates} measured updates after 5 warm-up ones, to ${plan.fanout.observers.join(', ')} observers (a fresh room each).`,
    `2. Throughput: ${plan.throughput.configs.map(([r, c]) => `${r} rooms × ${c} clients`).join(' and ')}, every client 2 updates/s and presence 1/s; 1 s warm-up, ${plan.throughput.seconds} s measured.`,
    `3. Presence storm: ${plan.presence.clients} clients in one room, presence 1/s each; 1 s warm-up, ${plan.presence.seconds} s measured.`,
    `4. Memory: ${plan.memory.roomsOfOne} rooms with one idle connection each, and ${plan.memory.crowdRooms * plan.memory.crowdPerRoom} idle connections in ${plan.memory.crowdRooms} rooms; RSS after a full GC in the server.`,
    `5. Cold load: a commentary document of ${plan.cold.sizes.map(sizeLabel).join(' and ')} (comments with replies, written through lib/doc/commentary.ts) stored, server restarted; first client, then 50 at once after another restart.`,
    '',
    'Latency is from the writer’s send to the observer’s receipt of a frame holding the update’s marker. CPU is the server process’s',
    'run time (scheduler nanoseconds from /proc/<pid>/task/*/schedstat; /proc/<pid>/stat ticks are 10 ms) over the measured window.',
    'Ratios are Parley ÷ reference; ✓ means Parley is at least as good on that row, ≈ within 2 %. Throughput rows offer the same load to every server: all deliver it in full, so latency and CPU tell them apart.',
    '',
    '## Results',
    '',
    table(metricDefs(plan), data, servers, TITLES),
    '',
    '## Targets for Parley',
    '',
    '| Target | Parley | Met |',
    '|---|---:|:---:|',
    ...targets(plan, data).map((t) => `| ${t.text} | ${t.figure} | ${t.met === null ? '–' : t.met ? 'yes' : '**no**'} |`),
    '',
  ];
  return lines.join('\n');
}

function parseArgs(argv: string[]): { quick: boolean; cluster: boolean; only: Workload[]; servers: ServerName[]; reps: number | null } {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const only = (value('only')?.split(',') ?? [...WORKLOADS]) as Workload[];
  for (const w of only) if (!WORKLOADS.includes(w)) throw new Error(`--only: unknown workload "${w}" (${WORKLOADS.join(', ')})`);
  const servers = (value('servers')?.split(',') ?? [...SERVER_NAMES]) as ServerName[];
  for (const s of servers) if (!SERVER_NAMES.includes(s)) throw new Error(`--servers: unknown server "${s}" (${SERVER_NAMES.join(', ')})`);
  const reps = value('reps') ? Number(value('reps')) : null;
  return { quick: argv.includes('--quick'), cluster: argv.includes('--cluster'), only, servers, reps };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const plan: Plan = { ...(args.quick ? QUICK : FULL) };
  if (args.reps) plan.reps = args.reps;
  const pinned = taskset() !== null && pinSelf(GENERATOR_CPU);
  if (!pinned) log('taskset is not available: servers and generator share every core');
  const loadStart = os.loadavg().map((l) => l.toFixed(2)).join(', ');
  const resultsDir = path.join(ROOT, 'bench', 'results');

  if (args.cluster) {
    await runCluster(plan, { resultsDir, log, pinned, loadStart });
    return;
  }

  if (args.only.includes('cold')) {
    log('preparing the cold-load documents (cached in bench/tmp after the first run)');
    for (const size of plan.cold.sizes) coldDocumentFile(size);
  }
  const data: Measurements = {};
  for (let rep = 0; rep < plan.reps; rep++) {
    for (const workload of args.only) {
      // The order of servers rotates per repetition, so none always runs on a warmer (or busier) machine.
      const order = args.servers.map((_, i) => args.servers[(i + rep) % args.servers.length]);
      for (const name of order) {
        log(`rep ${rep + 1}/${plan.reps} ${workload} ${name}`);
        try {
          await runWorkload(workload, name, plan, data, rep);
        } catch (err) {
          log(`  ${name} ${workload} failed: ${(err as Error).stack ?? String(err)}`);
        }
      }
    }
  }

  const info = {
    pinned,
    loadStart,
    loadEnd: os.loadavg().map((l) => l.toFixed(2)).join(', '),
    minutes: ((performance.now() - startedAt) / 60_000).toFixed(1),
  };
  const md = markdown(plan, data, args.servers, info, args.quick);
  const written = writeResults(resultsDir, args.quick ? '-quick' : '', { date: new Date().toISOString(), machine: machine(), plan, info, measurements: data }, md);
  process.stdout.write(md + '\n');
  log(`wrote ${path.relative(ROOT, written.md)} and ${path.relative(ROOT, written.json)}`);
}

main().then(
  // Sockets in their closing handshake would otherwise keep the process for a while.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
