import { randomBytes, timingSafeEqual } from 'node:crypto';
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
import { canWriteBrief, canWriteCommentary, type Role } from '../lib/collab/roles';
import { RedisFanout } from './collab/fanout';
import { parseRoomName, RoomManager, type RoomManagerOptions } from './collab/room-manager';
import type { ConnectionInfo } from './collab/room';
import type { Config } from './config';
import { CapabilityLinks } from './links';
import { log } from './log';
import { Metrics, type RefuseReason } from './metrics';
import { loadSecret } from './secret';
import { createApi } from './api';
import { HistoryKeeper, type HistoryOptions } from './collab/history';
import { clearServices, setServices, type Services } from './services';
import { PostgresStore } from './store/postgres';
import { SqliteStore } from './store/sqlite';
import type { Store } from './store/types';

/** The repository root: Next's `dir`, and where `samples/` lives. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const COLLAB_PREFIX = '/collab/';

export interface ParleyServerOptions {
  config: Config;
  /** Next.js in development mode (HMR). */
  dev?: boolean;
  /** Serve the Next.js app (default true); false answers only /healthz, /metrics and /collab, for tests. */
  next?: boolean;
  /** Room tuning, for tests. */
  rooms?: RoomManagerOptions;
  /** History tuning (how long a quiet spell ends a burst), for tests. */
  history?: HistoryOptions;
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

  const secret = loadSecret(config);
  if (config.databaseUrl && !config.secret) {
    // Each instance would generate its own secret.key, and a link made on one would not open on another.
    log.warn('DATABASE_URL is set without PARLEY_SECRET: set the same PARLEY_SECRET on every instance, or session links work on one instance only');
  }
  // DATABASE_URL moves everything to PostgreSQL, which several instances can share; SQLite otherwise.
  const store: Store = config.databaseUrl ? await PostgresStore.open(config.databaseUrl) : SqliteStore.open(config.dataDir);
  let fanout: RedisFanout | null = null;
  try {
    await seedSamples(store);
    if (config.redisUrl) {
      if (!config.databaseUrl) log.warn('REDIS_URL is set without DATABASE_URL: instances share live updates but each keeps its own SQLite file');
      fanout = await RedisFanout.connect(config.redisUrl);
    }
  } catch (err) {
    await store.close();
    throw err;
  }

  const metrics = new Metrics();
  const links = new CapabilityLinks(store, secret);
  // Room for a client's first sync step 2 (up to one full message) plus small frames while its room loads.
  const history = new HistoryKeeper(store, options.history);
  const rooms = new RoomManager(store, {
    history,
    maxBufferedBytes: 2 * config.maxMessageBytes,
    limits: config.limits,
    metrics,
    ...(fanout ? { fanout } : {}),
    ...options.rooms,
  });
  const base = { store, rooms, links, metrics, history, config, startedAt: Date.now() };
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
    if (pathname === '/metrics') {
      answerMetrics(services, req, res);
      return;
    }
    if (nextHandler) {
      setSecurityHeaders(req, res, dev);
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

  /**
   * Decides a /collab upgrade before accepting it: room name, session, key. A
   * malformed room name or a server going down is refused with plain HTTP; every
   * other refusal completes the upgrade and closes at once with a named code,
   * because a browser's WebSocket reports any HTTP refusal as a bare 1006 and the
   * stock client would retry it forever.
   */
  async function handleCollabUpgrade(room: string, req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const refuse = (reason: RefuseReason, code: number, text: string, fields: Record<string, unknown> = {}) => {
      metrics.refuse(reason);
      log.info('refused a websocket', { room, reason, ...fields });
      closeAfterUpgrade(req, socket, head, code, text);
    };
    if (closing) {
      metrics.refuse('restarting');
      return refuseUpgrade(socket, 503, 'The server is restarting');
    }
    const parsed = parseRoomName(room);
    if (!parsed) {
      metrics.refuse('bad_room');
      return refuseUpgrade(socket, 400, 'Invalid room name: expected <sessionId> or <sessionId>.brief');
    }
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const key = query.get('key') ?? '';
    let session;
    let match: { role: Role; version: number } | null = null;
    try {
      session = await store.getSession(parsed.sessionId);
      if (session && key) match = await links.verify(session.id, key);
    } catch (err) {
      log.error('session lookup failed', { room, error: err });
      metrics.refuse('store_error');
      return refuseUpgrade(socket, 503, 'The store is unavailable');
    }
    // The client may have given up while the session was looked up.
    if (socket.destroyed) return;
    if (closing) return refuseUpgrade(socket, 503, 'The server is restarting');
    if (!session) return refuse('not_found', CloseCode.NotFound, 'No such session');
    if (!key) return refuse('unauthorized', CloseCode.Unauthorized, 'This link needs a key');
    if (!match) return refuse('forbidden', CloseCode.Forbidden, 'This key does not open this session');

    const { role, version } = match;
    const info: ConnectionInfo = {
      sessionId: session.id,
      role,
      readOnly: parsed.kind === 'brief' ? !canWriteBrief(role) : !canWriteCommentary(role),
      userName: cleanDisplayName(query.get('name')),
      userId: cleanUserId(query.get('uid')),
    };
    wss.handleUpgrade(req, socket, head, (ws) => {
      // A rotation that landed while the key was being checked must still shut this socket out.
      if (links.isStale(info.sessionId, role, version)) {
        metrics.refuse('link_rotated');
        ws.close(CloseCode.LinkRotated, 'Link replaced');
        return;
      }
      reportOversizeAs4413(ws);
      rooms.connect(ws, room, info);
    });
  }

  /** Accepts the upgrade only to close it with `code`, so the client learns why. */
  function closeAfterUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, code: number, text: string): void {
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      ws.close(code, text);
      // A client that never answers the close frame must not hold the socket.
      const timer = setTimeout(() => ws.terminate(), 2000);
      timer.unref();
      ws.once('close', () => clearTimeout(timer));
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
      history.close();
      // terminate() discards unsent bytes: give the ServerRestarting close frames a moment to leave.
      await waitUntil(() => wss.clients.size === 0, 1000);
      for (const client of wss.clients) client.terminate();
      wss.close();
      if (nextApp) await nextApp.close().catch((err: unknown) => log.warn('next close failed', { error: err }));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await serverClosed;
      await fanout?.close();
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

/**
 * The Content Security Policy for one page response. Next.js reads the nonce from
 * the request's CSP header and puts it on every script it renders; 'strict-dynamic'
 * then lets those scripts load the rest of the app. Dev mode needs eval for Fast Refresh.
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self' ws: wss:`,
    `frame-ancestors 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `object-src 'none'`,
  ].join('; ');
}

function setSecurityHeaders(req: http.IncomingMessage, res: http.ServerResponse, dev: boolean): void {
  const csp = contentSecurityPolicy(randomBytes(16).toString('base64'), dev);
  req.headers['content-security-policy'] = csp;
  res.setHeader('Content-Security-Policy', csp);
  // Session links carry their key in the query string: never hand it to another site as a referrer.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

const MAX_DISPLAY_NAME = 60;

/** The display name from a websocket URL: whitespace folded, control characters dropped, at most 60 characters. */
export function cleanDisplayName(raw: string | null): string {
  // eslint-disable-next-line no-control-regex
  const name = (raw ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
  return Array.from(name).slice(0, MAX_DISPLAY_NAME).join('').trim() || 'Guest';
}

/** The user id from a websocket URL when it looks like one the app makes; otherwise null. */
export function cleanUserId(raw: string | null): string | null {
  return raw && /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? raw : null;
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

/**
 * /metrics in the Prometheus text format. Open unless PARLEY_METRICS_TOKEN is set;
 * it reveals no session ids or tokens, only counts, but keep it off the public
 * internet (or set the token) all the same.
 */
function answerMetrics(services: Services, req: http.IncomingMessage, res: http.ServerResponse): void {
  const expected = services.config.metricsToken;
  if (expected) {
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = Buffer.from(presented);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer', 'Cache-Control': 'no-store' });
      res.end('Send Authorization: Bearer <PARLEY_METRICS_TOKEN>.\n');
      return;
    }
  }
  const stats = services.rooms.stats();
  const body = services.metrics.render({
    rooms: stats.rooms,
    connections: stats.connections,
    pendingWrites: stats.pendingWrites,
    failedWrites: stats.failedWrites,
    uptimeSeconds: Math.round((Date.now() - services.startedAt) / 1000),
  });
  res.writeHead(200, {
    'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
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
    try {
      await store.addTranscript({ id, transcript, source: 'sample' });
    } catch (err) {
      // Instances starting together on one shared database race to seed it; one of them wins.
      if (await store.getTranscript(id)) continue;
      throw err;
    }
    count += 1;
  }
  if (count > 0) log.info('seeded sample transcripts', { count });
  return count;
}
