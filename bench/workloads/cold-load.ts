import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { closeAll } from '../lib/clients';
import { HOCUSPOCUS_DB_FILE, HOCUSPOCUS_SCHEMA, HOCUSPOCUS_SQL_STORE, yWebsocketStateFile } from '../lib/reference-storage';
import { BenchServer, type RoomRef, type ServerName } from '../lib/servers';
import { Samples } from '../lib/stats';
import { WireClient } from '../lib/wire';

/** Loading a stored document into a server that has just started. */
export interface ColdLoadResult {
  bytes: number;
  /** Connect to synced, for the first client after a restart. */
  firstSyncMs: number;
  /** Connect to synced for 50 clients joining at once after a restart. */
  joinP50Ms: number;
  joinP99Ms: number;
}

const COLD_DOC = 'cold-doc';

/** Stores `file` as one room's state the way each server keeps documents; returns how to reach the room once the server runs. */
async function seed(name: ServerName, dataDir: string, file: string): Promise<(server: BenchServer) => RoomRef> {
  if (name === 'parley') {
    const server = await BenchServer.start(name, { dataDir });
    try {
      const [ref] = await server.rooms(1);
      await server.proc.command('seed', { room: ref.docName, file });
      // Session id and key stay valid after the restart (same data folder, same secret); the port does not.
      const pathAndQuery = new URL(ref.url).pathname + new URL(ref.url).search;
      return (restarted) => ({ url: `ws://127.0.0.1:${restarted.port}${pathAndQuery}`, docName: ref.docName });
    } finally {
      await server.stop();
    }
  }
  if (name === 'hocuspocus') {
    const db = new BetterSqlite3(path.join(dataDir, HOCUSPOCUS_DB_FILE));
    db.exec(HOCUSPOCUS_SCHEMA);
    db.prepare(HOCUSPOCUS_SQL_STORE).run(COLD_DOC, fs.readFileSync(file));
    db.close();
    return (server) => ({ url: `ws://127.0.0.1:${server.port}/`, docName: COLD_DOC });
  }
  fs.copyFileSync(file, yWebsocketStateFile(dataDir, COLD_DOC));
  return (server) => ({ url: `ws://127.0.0.1:${server.port}/${COLD_DOC}`, docName: COLD_DOC });
}

async function syncTimes(server: BenchServer, ref: RoomRef, count: number): Promise<number[]> {
  const clients = Array.from({ length: count }, () => new WireClient({ url: ref.url, dialect: server.dialect, docName: ref.docName }));
  try {
    await Promise.all(clients.map((c) => c.synced));
    return clients.map((c) => c.syncedAt - c.startedAt);
  } finally {
    closeAll(clients);
  }
}

/** Seeds a stored document of `file`, restarts the server, and times the first sync, then 50 joining at once after another restart. */
export async function runColdLoad(name: ServerName, file: string): Promise<ColdLoadResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-bench-cold-${name}-`));
  const env: Record<string, string> = name === 'y-websocket' ? { BENCH_PERSIST_DIR: dataDir } : {};
  try {
    const refFor = await seed(name, dataDir, file);

    let server = await BenchServer.start(name, { dataDir, env });
    const [first] = await syncTimes(server, refFor(server), 1);
    await server.stop();

    server = await BenchServer.start(name, { dataDir, env });
    const joins = new Samples();
    for (const t of await syncTimes(server, refFor(server), 50)) joins.push(t);
    await server.stop();

    return { bytes: fs.statSync(file).size, firstSyncMs: first, joinP50Ms: joins.percentile(50), joinP99Ms: joins.percentile(99) };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
