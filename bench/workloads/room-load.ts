import * as decoding from 'lib0/decoding';
import { closeAll, DocClient, openClients } from '../lib/clients';
import type { BenchServer } from '../lib/servers';
import { Samples, sleep, until } from '../lib/stats';
import { rssBytes } from '../lib/proc';
import { awarenessUpdate, mapSetUpdate, marker, randomClientId, scanMarkers, WireClient } from '../lib/wire';

/** Many rooms, every client writing and announcing presence at a steady rate. */
export interface RoomLoadOptions {
  rooms: number;
  clientsPerRoom: number;
  /** Document updates per second per client (0 for none). */
  updateHz: number;
  /** Presence (awareness) updates per second per client. */
  presenceHz: number;
  /** Length of the measured window, after one second of the same load as warm-up. */
  seconds: number;
  /** Real Y.Doc clients checking convergence, in the first rooms. */
  checkedRooms?: number;
}

/** What one room-load run measured. */
export interface RoomLoadResult {
  /** Updates plus presence states delivered to clients (not counting a client's own), per second. */
  deliveredPerSecond: number;
  updatesDeliveredPerSecond: number;
  presenceDeliveredPerSecond: number;
  /** Send-to-receipt latency of document updates (all deliveries from the start of load). */
  p50Ms: number;
  p99Ms: number;
  /** Server CPU over the window, in cores (1 = one core fully busy). */
  serverCores: number;
  rssMB: number;
  lost: number;
  duplicated: number;
  converged: boolean;
  /** Clients the server disconnected during the run (e.g. as too slow to read what it sent). */
  closed: number;
}

const VALUE = 'y'.repeat(120);

/** Counts the entries of an awareness update that are not `own`, without parsing their JSON. */
function countOthers(payload: Uint8Array, own: number): number {
  const decoder = decoding.createDecoder(payload);
  const count = decoding.readVarUint(decoder);
  let others = 0;
  for (let i = 0; i < count; i++) {
    const id = decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
    const len = decoding.readVarUint(decoder);
    decoder.pos += len;
    if (id !== own) others += 1;
  }
  return others;
}

/** Runs the load against `server` and measures it. */
export async function runRoomLoad(server: BenchServer, options: RoomLoadOptions): Promise<RoomLoadResult> {
  const refs = await server.rooms(options.rooms);
  const sentAt = new Map<string, number>();
  const latencies = new Samples();
  let updatesDelivered = 0;
  let duplicated = 0;
  let counting = false;
  let windowUpdates = 0;
  let windowPresence = 0;

  interface Peer {
    client: WireClient;
    clientId: number;
    awarenessId: number;
    room: number;
    index: number;
    clock: number;
    presenceClock: number;
    seen: Set<string>;
  }
  const peers: Peer[] = [];
  const total = options.rooms * options.clientsPerRoom;
  const clients = await openClients(total, (i) => {
    const room = Math.floor(i / options.clientsPerRoom);
    const peer: Peer = {
      client: null as unknown as WireClient,
      clientId: randomClientId(),
      awarenessId: randomClientId(),
      room,
      index: i + 1,
      clock: 0,
      presenceClock: 0,
      seen: new Set(),
    };
    const ownPrefix = marker(peer.index, 0).slice(0, 6);
    peer.client = new WireClient({
      url: refs[room].url,
      dialect: server.dialect,
      docName: refs[room].docName,
      onFrame: (kind, payload, _data, at) => {
        if (kind === 'update') {
          scanMarkers(payload, (m) => {
            const sent = sentAt.get(m);
            // y-websocket's server echoes an update to its sender too; that is no delivery.
            if (sent === undefined || m.startsWith(ownPrefix)) return;
            if (peer.seen.has(m)) {
              duplicated += 1;
              return;
            }
            peer.seen.add(m);
            updatesDelivered += 1;
            if (counting) windowUpdates += 1;
            latencies.push(at - sent);
          });
        } else if (kind === 'awareness') {
          if (counting) windowPresence += countOthers(payload, peer.awarenessId);
        }
      },
    });
    peers.push(peer);
    return peer.client;
  });
  const checkers = refs.slice(0, options.checkedRooms ?? 3).map((ref) => new DocClient(ref, server.dialect));
  await Promise.all(checkers.map((c) => c.client.synced));

  const sentPerRoom = new Map<number, Set<string>>();
  const sendUpdate = (peer: Peer) => {
    const m = marker(peer.index, peer.clock);
    const frame = peer.client.frames.update(mapSetUpdate(peer.clientId, peer.clock, m, VALUE));
    peer.clock += 1;
    sentAt.set(m, performance.now());
    let set = sentPerRoom.get(peer.room);
    if (!set) sentPerRoom.set(peer.room, (set = new Set()));
    set.add(m);
    peer.client.send(frame);
  };
  const sendPresence = (peer: Peer) => {
    peer.presenceClock += 1;
    const state = { user: { name: `Analyst ${peer.index}`, color: '#3b82f6' }, turn: `t${peer.presenceClock % 400}`, selection: { start: peer.presenceClock, end: peer.presenceClock + 12 } };
    peer.client.send(peer.client.frames.awareness(awarenessUpdate(peer.awarenessId, peer.presenceClock, state)));
  };

  // Each client keeps its own rhythm from a random phase, so load arrives evenly rather than in waves.
  const timers: NodeJS.Timeout[] = [];
  for (const peer of peers) {
    if (options.updateHz > 0) {
      const period = 1000 / options.updateHz;
      timers.push(setTimeout(() => timers.push(setInterval(() => sendUpdate(peer), period)), Math.random() * period));
    }
    if (options.presenceHz > 0) {
      const period = 1000 / options.presenceHz;
      timers.push(setTimeout(() => timers.push(setInterval(() => sendPresence(peer), period)), Math.random() * period));
    }
  }

  await sleep(1000);
  const cpuBefore = server.proc.cpuSeconds();
  const started = performance.now();
  counting = true;
  await sleep(options.seconds * 1000);
  counting = false;
  const elapsed = (performance.now() - started) / 1000;
  const cpu = server.proc.cpuSeconds() - cpuBefore;
  const rss = rssBytes(server.proc.pid);
  for (const t of timers) clearTimeout(t);

  let expected = 0;
  for (const set of sentPerRoom.values()) expected += set.size * (options.clientsPerRoom - 1);
  await until(() => updatesDelivered >= expected, 5000);
  const converged = checkers.every((c, room) => {
    const keys = c.keys();
    const sent = sentPerRoom.get(room) ?? new Set<string>();
    return keys.size === sent.size && [...sent].every((k) => keys.has(k));
  });
  const closed = clients.filter((c) => c.closed).length;
  closeAll(clients);
  for (const c of checkers) c.close();

  return {
    closed,
    deliveredPerSecond: (windowUpdates + windowPresence) / elapsed,
    updatesDeliveredPerSecond: windowUpdates / elapsed,
    presenceDeliveredPerSecond: windowPresence / elapsed,
    p50Ms: latencies.percentile(50),
    p99Ms: latencies.percentile(99),
    serverCores: cpu / elapsed,
    rssMB: rss / 1024 / 1024,
    lost: expected - updatesDelivered,
    duplicated,
    converged,
  };
}
