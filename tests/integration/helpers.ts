import type { HistoryOptions } from '../../server/collab/history';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import * as authProtocol from 'y-protocols/auth';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Role } from '../../lib/collab/roles';
import type { RoomManagerOptions } from '../../server/collab/room-manager';
import { loadConfig } from '../../server/config';
import { createParleyServer, seedSamples, type ParleyServer } from '../../server/http-server';
import { CapabilityLinks } from '../../server/links';
import { setLogLevel } from '../../server/log';
import { loadSecret } from '../../server/secret';
import { SqliteStore } from '../../server/store/sqlite';
import type { Store } from '../../server/store/types';

// Info lines (seeding, listening) from dozens of servers would bury the failures worth reading.
setLogLevel('warn');

/** A fresh, empty data directory; removed by `removeTempDir`. */
export function makeTempDir(prefix = 'parley-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Deletes a directory made by `makeTempDir`. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Polls `condition` until it holds; throws after `timeoutMs`. Never a fixed sleep. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A review session made for a test: its id and the token of every role's link. */
export interface TestSession {
  id: string;
  keys: Record<Role, string>;
}

export interface TestServer extends ParleyServer {
  dataDir: string;
  /** `ws://127.0.0.1:<port>/collab`, the base URL a WebsocketProvider takes. */
  collabUrl: string;
  /** Makes a review session on the seeded sample transcript; returns its id and keys. */
  createSession(): Promise<TestSession>;
}

/** Starts a server on port 0 without Next.js, on `dataDir` (a new temp dir by default). */
export async function startServer(
  options: { dataDir?: string; env?: Record<string, string>; rooms?: RoomManagerOptions; history?: HistoryOptions } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? makeTempDir();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PARLEY_DATA_DIR: dataDir, NODE_ENV: 'test', ...options.env });
  const parley = await createParleyServer({ config, next: false, rooms: options.rooms, history: options.history });
  return {
    ...parley,
    dataDir,
    collabUrl: `ws://127.0.0.1:${parley.port}/collab`,
    createSession: () => createSession(parley.services.store, parley.services.links),
  };
}

async function createSession(store: Store, links: CapabilityLinks): Promise<TestSession> {
  const [transcript] = await store.listTranscripts();
  if (!transcript) throw new Error('No transcript in the store: the sample seed did not run');
  const session = await store.addSession({ transcriptId: transcript.id, title: 'Test session' });
  const keys = Object.fromEntries((await links.current(session.id)).map((l) => [l.role, l.token])) as Record<Role, string>;
  return { id: session.id, keys };
}

/**
 * Seeds and adds a session directly in `dataDir`'s database, with its links derived
 * from the same `secret.key` a server on that folder will use (for servers in another process).
 */
export async function createSessionInDir(dataDir: string): Promise<TestSession> {
  const secret = loadSecret({ dataDir, secret: null });
  const store = SqliteStore.open(dataDir);
  try {
    await seedSamples(store);
    return await createSession(store, new CapabilityLinks(store, secret));
  } finally {
    await store.close();
  }
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close codes the server sent this client, in order. */
  closeCodes: number[];
  /** Reasons of the "permission denied" messages the server sent (read-only links). */
  denied: string[];
  synced(): Promise<void>;
  destroy(): void;
}

/** What a client puts in its websocket URL: the link's key and the analyst's name and id. */
export interface ClientParams {
  key?: string;
  name?: string;
  uid?: string;
}

/** A stock y-websocket client, exactly as a browser would use it (no BroadcastChannel). */
export function connectClient(collabUrl: string, room: string, params: ClientParams = {}, doc = new Y.Doc()): TestClient {
  const provider = new WebsocketProvider(collabUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: true,
    disableBc: true,
    params: Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>,
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code);
  });
  const denied: string[] = [];
  // The stock handler only logs a warning; record the reason instead.
  provider.messageHandlers[2] = (_encoder, decoder) => authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => denied.push(reason));
  return {
    doc,
    provider,
    closeCodes,
    denied,
    synced: () => waitFor(() => provider.synced, 5000, `client of ${room} to sync`),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Makes one client and waits until it has synced. */
export async function syncedClient(collabUrl: string, room: string, params: ClientParams = {}): Promise<TestClient> {
  const client = connectClient(collabUrl, room, params);
  await client.synced();
  return client;
}

/** Opens a raw websocket and resolves with the close code the server sends (for refusals after the upgrade). */
export function closeCodeOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('close', (code) => resolve(code));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
    ws.on('error', () => undefined);
  });
}

/** Tries a websocket upgrade and reports the HTTP status of a refusal (or 101 when it opened). */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => reject(err));
  });
}

/** A raw websocket for sending hand-made frames: what it received, and its close code once closed. */
export interface RawClient {
  ws: WebSocket;
  received: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<number>;
  code: number | null;
}

/** Opens a raw websocket (no y-websocket logic at all). */
export function rawClient(url: string, options: WebSocket.ClientOptions = {}): RawClient {
  const ws = new WebSocket(url, options);
  const received: Uint8Array[] = [];
  const client: RawClient = {
    ws,
    received,
    code: null,
    opened: new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode}`)));
    }),
    closed: new Promise((resolve) =>
      ws.once('close', (code) => {
        client.code = code;
        resolve(code);
      }),
    ),
  };
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  ws.on('error', () => undefined);
  return client;
}

const CHILD_FIXTURE = fileURLToPath(new URL('./fixtures/run-server.ts', import.meta.url));

/** A server in a child process (fixtures/run-server.ts), for SIGKILL. */
export interface ChildServer {
  child: ChildProcess;
  port: number;
  /** Everything the child wrote to stderr so far (its JSON log lines). */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string | null>;
}

/** Starts `fixtures/run-server.ts` on `dataDir`, on `port` (0 or unset: a free one), and waits until it listens. */
export function startChildServer(dataDir: string, port?: number, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD_FIXTURE], {
    env: { ...process.env, ...env, PARLEY_DATA_DIR: dataDir, ...(port ? { PARLEY_TEST_PORT: String(port) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const { port: listening } = JSON.parse(line) as { port: number };
        resolve({ child, port: listening, stderr: () => stderr, exited });
      } catch {
        // Not the port line.
      }
    });
    void exited.then((code) => reject(new Error(`child server exited with ${code}: ${stderr}`)));
  });
}

/** A TCP port that was free a moment ago (for a server that must come back on the same port). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Servers, clients and folders for one test file, cleaned up after each test:
 * `const t = harness();` then `await t.server()`, `t.client(...)`, `await t.synced(...)`.
 */
export function harness() {
  const servers: TestServer[] = [];
  const clients: TestClient[] = [];
  const raws: RawClient[] = [];
  const children: ChildServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const r of raws.splice(0)) r.ws.terminate();
    for (const c of children.splice(0)) {
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      await c.exited;
    }
    await Promise.all(servers.splice(0).map((s) => s.close()));
    for (const dir of dirs.splice(0)) removeTempDir(dir);
  });
  return {
    async server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
      const s = await startServer(options);
      servers.push(s);
      if (!options.dataDir) dirs.push(s.dataDir);
      return s;
    },
    client(collabUrl: string, room: string, params: ClientParams = {}, doc?: Y.Doc): TestClient {
      const c = connectClient(collabUrl, room, params, doc);
      clients.push(c);
      return c;
    },
    async synced(collabUrl: string, room: string, params: ClientParams = {}): Promise<TestClient> {
      const c = connectClient(collabUrl, room, params);
      clients.push(c);
      await c.synced();
      return c;
    },
    raw(url: string, options?: WebSocket.ClientOptions): RawClient {
      const r = rawClient(url, options);
      raws.push(r);
      return r;
    },
    /** A server in a child process, killed after the test if still running. */
    async child(dataDir: string, port?: number, env?: Record<string, string>): Promise<ChildServer> {
      const c = await startChildServer(dataDir, port, env);
      children.push(c);
      return c;
    },
    /** A temp folder removed after the test. */
    dir(): string {
      const dir = makeTempDir();
      dirs.push(dir);
      return dir;
    },
  };
}
