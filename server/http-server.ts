import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode } from '../lib/collab/close-codes';
import { parseTranscript } from '../lib/transcript/parse';
import { parseRoomName, RoomManager, type RoomManagerOptions } from './collab/room-manager';
import type { Config } from './config';
import { log } from './log';
import { createApi } from './api';
import { clearServices, setServices, type Services } from './services';
import { SqliteStore } from './store/sqlite';
import type { Store } from './store/types';

/** The repository root: Next's `dir`, and where `samples/` lives. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const COLLAB_PREFIX = '/collab/';

export interface ParleyServerOptions {
  config: Config;
  /** Next.js in development mode (HMR). */
  dev?: boolean;
  /** Serve the Next.js app (default true); false answers only /healthz and /collab, for tests. */
  next?: boolean;
  /** Room tuning, for tests. */
  rooms?: RoomManagerOptions;
}

export interface ParleyServer {
  server: http.Server;
  url: string;
  port: number;
  services: Services;
  /** Writes every room, closes sockets with ServerRestarting, closes the store. */
  close(): Promise<void>;
}

/** Starts Parley: store, sample seed, websocket rooms and (unless `next: false`) the Next.js app, on one port. */
export async function createParleyServer(options: ParleyServerOptions): Promise<ParleyServer> {
  const { config } = options;
  const dev = options.dev ?? false;
  const useNext = options.next ?? true;

  const store = SqliteStore.open(config.dataDir);
  try {
    await seedSamples(store);
  } catch (err) {
    await store.close();
    throw err;
  }

  // Room for a client's first sync step 2 (up to one full message) plus small frames while its room loads.
  const rooms = new RoomManager(store, { maxBufferedBytes: 2 * config.maxMessageBytes, ...options.rooms });
  const base = { store, rooms, config, startedAt: Date.now() };
  const services: Services = { ...base, api: createApi(base) };
  setServices(services);

  // Next attaches its own 'upgrade' listener to the server on its first request and would
  // then see every /collab upgrade too; giving it a private emitter keeps the socket edge ours.
  const nextUpgrades = new EventEmitter();
  let nextHandler: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | null = null;
  let nextApp: { close(): Promise<void> } | null = null;
  if (useNext) {
    const { default: next } = await import('next');
    const app = next({
      dev,
      dir: PROJECT_ROOT,
      hostname: config.host,
      port: config.port,
      httpServer: nextUpgrades as unknown as http.Server,
    });
    await app.prepare();
    nextHandler = app.getRequestHandler();
    nextApp = app;
  }

  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (pathname === '/healthz') {
      void answerHealth(services, req, res);
      return;
    }
    if (nextHandler) {
      nextHandler(req, res).catch((err: unknown) => {
        log.error('request failed', { method: req.method, path: pathname, error: err });
        if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' });
        else res.end();
      });
      return;
    }
    sendJson(res, 404, { error: 'Not found' });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
  let closing = false;

  // server.close() waits for every socket, and closeAllConnections() does not know upgraded
  // ones (Next's HMR, or an upgrade Next left hanging): track them to end them on close.
  const sockets = new Set<Duplex>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log.debug('upgrade socket error', { error: err }));
    const pathname = (req.url ?? '/').split('?')[0];
    if (!pathname.startsWith(COLLAB_PREFIX)) {
      if (useNext && dev && nextUpgrades.listenerCount('upgrade') > 0) nextUpgrades.emit('upgrade', req, socket, head);
      else socket.destroy();
      return;
    }
    const room = pathname.slice(COLLAB_PREFIX.length);
    void handleCollabUpgrade(room, req, socket, head).catch((err: unknown) => {
      log.error('websocket upgrade failed', { room, error: err });
      refuseUpgrade(socket, 500, 'Internal server error');
    });
  });

  async function handleCollabUpgrade(room: string, req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (closing) return refuseUpgrade(socket, 503, 'The server is restarting');
    const parsed = parseRoomName(room);
    if (!parsed) return refuseUpgrade(socket, 400, 'Invalid room name: expected <sessionId> or <sessionId>.brief');
    let session;
    try {
      session = await store.getSession(parsed.sessionId);
    } catch (err) {
      log.error('session lookup failed', { room, error: err });
      return refuseUpgrade(socket, 503, 'The store is unavailable');
    }
    if (!session) return refuseUpgrade(socket, 404, 'No such session');
    // The client may have given up while the session was looked up.
    if (socket.destroyed || closing) return refuseUpgrade(socket, 503, 'The server is restarting');
    wss.handleUpgrade(req, socket, head, (ws) => {
      reportOversizeAs4413(ws);
      rooms.connect(ws, room);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log.error('http server error', { error: err }));

  const port = (server.address() as AddressInfo).port;
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      await rooms.close();
      // terminate() discards unsent bytes: give the ServerRestarting close frames a moment to leave.
      await waitUntil(() => wss.clients.size === 0, 1000);
      for (const client of wss.clients) client.terminate();
      wss.close();
      if (nextApp) await nextApp.close().catch((err: unknown) => log.warn('next close failed', { error: err }));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await serverClosed;
      await store.close();
      clearServices(services);
    })();
    return closed;
  };

  return { server, url, port, services, close };
}

/**
 * ws answers an oversized frame with close code 1009, which y-websocket treats as
 * transient: the client would reconnect and resend the same update forever. Closing
 * with MessageTooLarge (4400–4499) first tells it to stop; ws's own close then finds
 * the socket already closing and sends nothing else.
 */
function reportOversizeAs4413(ws: WebSocket): void {
  const receiver = (ws as unknown as { _receiver?: EventEmitter })._receiver;
  if (!receiver || typeof receiver.prependListener !== 'function') return;
  receiver.prependListener('error', (err: Error & { code?: string }) => {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') ws.close(CloseCode.MessageTooLarge, 'Message too large');
  });
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Answers an upgrade with a plain HTTP error, so the client sees why before any websocket exists. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: message });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

async function answerHealth(services: Services, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const stats = services.rooms.stats();
  const base = {
    uptime: Math.round((Date.now() - services.startedAt) / 1000),
    rooms: stats.rooms,
    connections: stats.connections,
    pendingWrites: stats.pendingWrites,
    failedWrites: stats.failedWrites,
  };
  let storeError: string | null = null;
  try {
    await services.store.ping();
  } catch (err) {
    storeError = (err as Error).message;
  }
  if (storeError === null && stats.failedWrites > 0) storeError = 'Writes to the store are failing; updates are kept in memory and retried';
  const status = storeError === null ? 200 : 503;
  const body =
    storeError === null
      ? { status: 'ok', ...base, store: 'ok' }
      : { status: 'error', ...base, store: 'error', error: storeError };
  if (req.method === 'HEAD') {
    res.writeHead(status, { 'Cache-Control': 'no-store' }).end();
    return;
  }
  sendJson(res, status, body);
}

/** On a store without transcripts, imports every `samples/*.txt` with id = file name and source `sample`. */
export async function seedSamples(store: Store, samplesDir = path.join(PROJECT_ROOT, 'samples')): Promise<number> {
  if ((await store.listTranscripts()).length > 0) return 0;
  let files: string[];
  try {
    files = fs.readdirSync(samplesDir).filter((f) => f.endsWith('.txt')).sort();
  } catch {
    log.warn('no samples folder; starting without a sample transcript', { dir: samplesDir });
    return 0;
  }
  let count = 0;
  for (const file of files) {
    const id = path.basename(file, '.txt');
    const text = fs.readFileSync(path.join(samplesDir, file), 'utf8');
    const transcript = parseTranscript(text, { source: file });
    await store.addTranscript({ id, transcript, source: 'sample' });
    count += 1;
  }
  if (count > 0) log.info('seeded sample transcripts', { count });
  return count;
}
