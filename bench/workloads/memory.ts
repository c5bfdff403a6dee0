import { closeAll, openClients } from '../lib/clients';
import type { BenchServer } from '../lib/servers';
import { sleep, until } from '../lib/stats';
import { awarenessUpdate, randomClientId, WireClient } from '../lib/wire';

/** Idle connections: what each costs the server in memory, and what is left once they leave. */
export interface MemoryResult {
  /** RSS added per connection (with its share of the rooms), in KB. */
  kbPerConnection: number;
  /** RSS before any client connected (rooms created in the store, for Parley). */
  rssBaseMB: number;
  rssLoadedMB: number;
  /** RSS after every client left and the rooms unloaded (or 5 s passed, for a server that keeps them). */
  rssAfterMB: number;
  /** Rooms still in memory after everyone left. */
  roomsLeft: number;
}

const MB = 1024 * 1024;

/**
 * Connects `rooms × perRoom` clients that sync, announce presence once and then
 * stay idle; measures RSS (after a full GC in the server) before, loaded, and
 * after all disconnect.
 */
export async function runMemory(server: BenchServer, options: { rooms: number; perRoom: number }): Promise<MemoryResult> {
  const refs = await server.rooms(options.rooms);
  // Let startup garbage settle before the baseline.
  await sleep(500);
  const base = await server.proc.rssAfterGc();
  const total = options.rooms * options.perRoom;
  const clients = await openClients(
    total,
    (i) => {
      const ref = refs[i % options.rooms];
      return new WireClient({ url: ref.url, dialect: server.dialect, docName: ref.docName });
    },
    100,
  );
  for (const [i, c] of clients.entries()) c.send(c.frames.awareness(awarenessUpdate(randomClientId(), 1, { user: { name: `Idle ${i}` } })));
  await sleep(1000);
  const loaded = await server.proc.rssAfterGc();

  closeAll(clients);
  // Hocuspocus stores before unloading (debounced); Parley writes then unloads; the in-memory y-websocket server never unloads.
  await until(async () => (await server.loadedRooms()) === 0, 5000);
  await sleep(500);
  const after = await server.proc.rssAfterGc();
  const roomsLeft = await server.loadedRooms();
  return {
    kbPerConnection: (loaded - base) / total / 1024,
    rssBaseMB: base / MB,
    rssLoadedMB: loaded / MB,
    rssAfterMB: after / MB,
    roomsLeft,
  };
}
