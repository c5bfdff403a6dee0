import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { RoomManagerOptions } from '../../server/collab/room-manager';
import { loadConfig } from '../../server/config';
import { createParleyServer, seedSamples, type ParleyServer } from '../../server/http-server';
import { setLogLevel } from '../../server/log';
import { SqliteStore } from '../../server/store/sqlite';

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

export interface TestServer extends ParleyServer {
  dataDir: string;
  /** `ws://127.0.0.1:<port>/collab`, the base URL a WebsocketProvider takes. */
  collabUrl: string;
  /** Makes a review session on the seeded sample transcript and returns its id. */
  createSession(): Promise<string>;
}

/** Starts a server on port 0 without Next.js, on `dataDir` (a new temp dir by default). */
export async function startServer(
  options: { dataDir?: string; env?: Record<string, string>; rooms?: RoomManagerOptions } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? makeTempDir();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PARLEY_DATA_DIR: dataDir, NODE_ENV: 'test', ...options.env });
  const parley = await createParleyServer({ config, next: false, rooms: options.rooms });
  return {
    ...parley,
    dataDir,
    collabUrl: `ws://127.0.0.1:${parley.port}/collab`,
    createSession: () => createSession(parley.services.store),
  };
}

async function createSession(store: ParleyServer['services']['store']): Promise<string> {
  const [transcript] = await store.listTranscripts();
  if (!transcript) throw new Error('No transcript in the store: the sample seed did not run');
  const session = await store.addSession({ transcriptId: transcript.id, title: 'Test session' });
  return session.id;
}

/** Seeds and adds a session directly in `dataDir`'s database (for servers in another process). */
export async function createSessionInDir(dataDir: string): Promise<string> {
  const store = SqliteStore.open(dataDir);
  try {
    await seedSamples(store);
    return await createSession(store);
  } finally {
    await store.close();
  }
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close codes the server sent this client, in order. */
  closeCodes: number[];
  synced(): Promise<void>;
  destroy(): void;
}

/** A stock y-websocket client, exactly as a browser would use it (no BroadcastChannel). */
export function connectClient(collabUrl: string, room: string, doc = new Y.Doc()): TestClient {
  const provider = new WebsocketProvider(collabUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: true,
    disableBc: true,
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code);
  });
  return {
    doc,
    provider,
    closeCodes,
    synced: () => waitFor(() => provider.synced, 5000, `client of ${room} to sync`),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Makes one client and waits until it has synced. */
export async function syncedClient(collabUrl: string, room: string): Promise<TestClient> {
  const client = connectClient(collabUrl, room);
  await client.synced();
  return client;
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
