/**
 * The reference Hocuspocus server (@hocuspocus/server 3.4.4) with its Database
 * extension persisting to SQLite through better-sqlite3, default settings
 * otherwise (stores debounced by 2 s, documents unloaded when the last client leaves).
 */
import path from 'node:path';
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import BetterSqlite3 from 'better-sqlite3';
import { serveCommands } from '../lib/child';
import { HOCUSPOCUS_DB_FILE, HOCUSPOCUS_SCHEMA, HOCUSPOCUS_SQL_FETCH, HOCUSPOCUS_SQL_STORE } from '../lib/reference-storage';

async function main(): Promise<void> {
  const dir = process.env.BENCH_DATA_DIR;
  if (!dir) throw new Error('BENCH_DATA_DIR is not set');
  const db = new BetterSqlite3(path.join(dir, HOCUSPOCUS_DB_FILE));
  db.pragma('journal_mode = WAL');
  db.exec(HOCUSPOCUS_SCHEMA);
  const fetchStmt = db.prepare<[string], { data: Buffer }>(HOCUSPOCUS_SQL_FETCH);
  const storeStmt = db.prepare<[string, Buffer]>(HOCUSPOCUS_SQL_STORE);

  const server = new Server({
    port: 0,
    address: '127.0.0.1',
    quiet: true,
    stopOnSignals: false,
    extensions: [
      new Database({
        fetch: async ({ documentName }) => {
          const row = fetchStmt.get(documentName);
          return row ? new Uint8Array(row.data) : null;
        },
        store: async ({ documentName, state }) => {
          storeStmt.run(documentName, state);
        },
      }),
    ],
  });
  await server.listen();
  serveCommands({ port: server.address.port }, async (command) => {
    switch (command.op) {
      case 'stats':
        return { rooms: server.hocuspocus.getDocumentsCount(), connections: server.hocuspocus.getConnectionsCount() };
      case 'stop':
        await server.destroy();
        db.close();
        setImmediate(() => process.exit(0));
        return { ok: true };
      default:
        throw new Error(`unknown command ${command.op}`);
    }
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`hocuspocus bench server failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
