import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServerProcess } from './proc';
import type { Dialect } from './wire';

/** The servers compared. */
export const SERVER_NAMES = ['parley', 'y-websocket', 'hocuspocus'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/** Where a client connects for one room, and the document name it uses in frames. */
export interface RoomRef {
  url: string;
  docName: string;
}

/** Core the servers run on; the load generator pins itself to the other one. */
export const SERVER_CPU = 0;
export const GENERATOR_CPU = 1;

/** A shared secret for benchmark servers, so that two Parley instances accept the same links. */
const BENCH_SECRET = 'benchmark-secret-not-for-production-0123456789';

const SCRIPTS: Record<ServerName, string> = {
  parley: 'bench/servers/parley.ts',
  'y-websocket': 'bench/servers/y-websocket.ts',
  hocuspocus: 'bench/servers/hocuspocus.ts',
};

/** How to start a server under benchmark. */
export interface StartOptions {
  /** Data folder (kept across restarts for cold loads); a new temp folder when omitted. */
  dataDir?: string;
  env?: Record<string, string>;
  /** Pin to this core; null for no pinning. */
  cpu?: number | null;
}

let roomCounter = 0;

/** One running server under benchmark. */
export class BenchServer {
  readonly dialect: Dialect;

  private constructor(
    readonly name: ServerName,
    readonly proc: ServerProcess,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
  ) {
    this.dialect = name === 'hocuspocus' ? 'hocuspocus' : 'y-websocket';
  }

  /** Starts `name` as its own process. */
  static async start(name: ServerName, options: StartOptions = {}): Promise<BenchServer> {
    const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `parley-bench-${name}-`));
    const env: Record<string, string> = { BENCH_DATA_DIR: dataDir, ...options.env };
    if (name === 'parley') {
      Object.assign(env, {
        PARLEY_DATA_DIR: dataDir,
        PARLEY_SECRET: BENCH_SECRET,
        // The default cap (100 per room) is below the workloads' 250 observers and 500-client presence storm.
        PARLEY_MAX_CONNECTIONS_PER_ROOM: '100000',
        ...options.env,
      });
    }
    const proc = await ServerProcess.start(SCRIPTS[name], { env, cpu: options.cpu === undefined ? SERVER_CPU : options.cpu, label: name });
    return new BenchServer(name, proc, dataDir, options.dataDir === undefined);
  }

  get port(): number {
    return this.proc.port;
  }

  /** Rooms to use: fresh names, and for Parley real sessions with an editor's key in the URL. */
  async rooms(count: number): Promise<RoomRef[]> {
    if (this.name === 'parley') {
      const sessions = await this.proc.command<{ id: string; key: string }[]>('sessions', { count });
      return sessions.map((s) => ({ url: `ws://127.0.0.1:${this.port}/collab/${s.id}?key=${s.key}&name=Bench`, docName: s.id }));
    }
    const refs: RoomRef[] = [];
    for (let i = 0; i < count; i++) {
      const docName = `bench-${process.pid}-${++roomCounter}`;
      refs.push({ url: this.name === 'hocuspocus' ? `ws://127.0.0.1:${this.port}/` : `ws://127.0.0.1:${this.port}/${docName}`, docName });
    }
    return refs;
  }

  /** Rooms (documents) the server holds in memory now. */
  async loadedRooms(): Promise<number> {
    return (await this.proc.command<{ rooms: number }>('stats')).rooms;
  }

  /** Stops the server; removes its data folder unless the caller gave it. */
  async stop(): Promise<void> {
    await this.proc.stop();
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
