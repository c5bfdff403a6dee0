/**
 * The reference y-websocket server (@y/websocket-server 0.1.1), in memory, as
 * its README sets it up: `ws` plus `setupWSConnection`. For the cold-load
 * workload only (BENCH_PERSIST_DIR set), a minimal persistence reads each
 * document's state from a file when the document is first opened.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { docs, setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { serveCommands } from '../lib/child';
import { yWebsocketStateFile } from '../lib/reference-storage';

const persistDir = process.env.BENCH_PERSIST_DIR;
if (persistDir) {
  setPersistence({
    provider: null,
    // Called synchronously when the document is created, before the first sync message goes out.
    bindState: (docName: string, doc: Y.Doc) => {
      const file = yWebsocketStateFile(persistDir, docName);
      if (fs.existsSync(file)) Y.applyUpdate(doc, new Uint8Array(fs.readFileSync(file)));
    },
    writeState: async () => undefined,
  });
}

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('ok');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => setupWSConnection(ws, req));
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(0, '127.0.0.1', () => {
  serveCommands({ port: (server.address() as AddressInfo).port }, async (command) => {
    switch (command.op) {
      case 'stats':
        return { rooms: docs.size };
      case 'stop':
        setImmediate(() => process.exit(0));
        return { ok: true };
      default:
        throw new Error(`unknown command ${command.op}`);
    }
  });
});
