import type { RawData, WebSocket } from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/collab/close-codes';
import { log } from '../log';
import { Metrics } from '../metrics';
import type { Store } from '../store/types';
import { attachFanout, type Fanout } from './fanout';
import type { HistoryKeeper } from './history';
import { ANONYMOUS_EDITOR, Room, type ConnectionInfo, type RoomOptions } from './room';

/** `<sessionId>` is the commentary doc, `<sessionId>.brief` the brief. */
export const ROOM_NAME = /^[A-Za-z0-9_-]{1,64}(\.brief)?$/;
export const BRIEF_SUFFIX = '.brief';

/** Splits a room name into its session id and document kind; null when the name is not allowed. */
export function parseRoomName(name: string): { sessionId: string; kind: 'commentary' | 'brief' } | null {
  if (!ROOM_NAME.test(name)) return null;
  return name.endsWith(BRIEF_SUFFIX)
    ? { sessionId: name.slice(0, -BRIEF_SUFFIX.length), kind: 'brief' }
    : { sessionId: name, kind: 'commentary' };
}

export interface RoomManagerOptions extends RoomOptions {
  /** Interval of the websocket ping; a connection that has not answered the previous ping is dropped. */
  heartbeatMs?: number;
  /** Unload a room that nobody is connected to after this long (rooms opened by `getRoom` alone). */
  idleUnloadMs?: number;
  /** Bytes a connection may send before its room has loaded; more closes it with MessageTooLarge. */
  maxBufferedBytes?: number;
  /** Shares every loaded room with the other server instances (REDIS_URL); none when running alone. */
  fanout?: Fanout;
  /** Keeps snapshots of each session's commentary for its history. */
  history?: HistoryKeeper;
}

/** Counters for /healthz. */
export interface RoomStats {
  rooms: number;
  connections: number;
  /** Updates held in memory, not yet in the store. */
  pendingWrites: number;
  /** Consecutive failed write attempts summed over rooms; above 0 means the store is failing now. */
  failedWrites: number;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Owns the loaded rooms: loads each one once however many connections ask for it
 * at the same moment, attaches websockets, and unloads a room (after writing it)
 * when its last connection leaves.
 */
export class RoomManager {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly unloading = new Map<Room, Promise<void>>();
  private readonly idleTimers = new Map<Room, NodeJS.Timeout>();
  /** Sockets accepted but whose room is still loading: they count for the heartbeat, shutdown and rotation. */
  private readonly waiting = new Map<WebSocket, ConnectionInfo>();
  /** Open sockets per room name, loading or attached: the room connection cap counts these. */
  private readonly perRoom = new Map<string, number>();
  /** Counters for /metrics, shared with every room. */
  readonly metrics: Metrics;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly heartbeatMs: number;
  private readonly idleUnloadMs: number;
  private readonly maxBufferedBytes: number;
  private closed = false;

  private readonly options: RoomManagerOptions;

  constructor(
    private readonly store: Store,
    options: RoomManagerOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.idleUnloadMs = options.idleUnloadMs ?? 10_000;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.metrics = options.metrics ?? new Metrics();
    this.options = { ...options, metrics: this.metrics };
    this.heartbeat = setInterval(() => this.pingAll(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** The loaded room, loading it from the store first if needed (one load per room, however many callers). */
  getRoom(name: string): Promise<Room> {
    if (this.closed) return Promise.reject(new Error('The room manager is closed'));
    const room = this.rooms.get(name);
    if (room && !room.isDestroyed) {
      if (room.connectionCount === 0) this.scheduleIdleUnload(room);
      return Promise.resolve(room);
    }
    const pending = this.loading.get(name);
    if (pending) return pending;

    const load = (async () => {
      try {
        const stored = await this.store.loadRoom(name);
        const loaded = new Room(name, this.store, stored, this.options);
        loaded.onIdle = (r) => this.onRoomIdle(r);
        this.rooms.set(name, loaded);
        // Subscribed before the first client attaches: from here on no update from another instance is
        // missed, and what they held before (not yet in the store) follows as the answer to a sync request.
        if (this.options.fanout) await attachFanout(loaded, this.options.fanout);
        this.options.history?.watch(loaded);
        // A room opened only by getRoom (an HTTP handler) gets no connection-close to unload it.
        this.scheduleIdleUnload(loaded);
        return loaded;
      } finally {
        this.loading.delete(name);
      }
    })();
    this.loading.set(name, load);
    return load;
  }

  /**
   * Runs `fn` with the loaded room held open, so the room cannot unload while `fn`
   * awaits. Use it for server-side changes: an update applied to a room that has
   * meanwhile unloaded would reach no store and no client.
   */
  async withRoom<T>(name: string, fn: (room: Room) => T | Promise<T>): Promise<T> {
    for (;;) {
      const room = await this.getRoom(name);
      if (room.isDestroyed) continue;
      room.hold();
      try {
        return await fn(room);
      } finally {
        room.release();
      }
    }
  }

  /**
   * The room's document for reading (exports). The live doc when the room is loaded:
   * read it, never destroy it. Otherwise a fresh doc built from the store, not kept open.
   */
  async readDocument(name: string): Promise<Y.Doc> {
    const live = this.rooms.get(name);
    if (live && !live.isDestroyed) return live.doc;
    const pending = this.loading.get(name);
    if (pending) return (await pending).doc;
    const stored = await this.store.loadRoom(name);
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    return doc;
  }

  /**
   * Attaches an upgraded websocket to a room as `info` says (role, read-only, name).
   * Frames that arrive while the room is loading are buffered and handled in order
   * afterwards, so a client never syncs against a document that is still empty.
   */
  connect(ws: WebSocket, name: string, info: ConnectionInfo = ANONYMOUS_EDITOR): void {
    if (this.closed) {
      ws.close(CloseCode.ServerRestarting, 'Server restarting');
      return;
    }
    const maxPerRoom = this.options.limits?.maxConnectionsPerRoom ?? Infinity;
    const open = this.perRoom.get(name) ?? 0;
    if (open >= maxPerRoom) {
      this.metrics.refuse('room_full');
      log.warn('refused a connection: the room is full', { room: name, connections: open });
      ws.close(CloseCode.RoomFull, 'Room full');
      return;
    }
    this.perRoom.set(name, open + 1);
    this.metrics.connectionsOpened += 1;
    log.debug('connection opened', { room: name, role: info.role, readOnly: info.readOnly });

    const buffered: Uint8Array[] = [];
    let bufferedBytes = 0;
    let handle: ((data: Uint8Array) => void) | null = null;
    let closedEarly = false;

    this.alive.set(ws, true);
    this.waiting.set(ws, info);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('error', (err: Error & { code?: string }) => {
      // ws has already closed the socket for protocol errors (an oversized frame among them); only log the cause.
      const fields = { room: name, code: err.code, error: err.message };
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.metrics.reject('too_large');
        log.warn('closed a connection that sent an oversized message', fields);
      } else log.warn('websocket error', fields);
    });
    ws.on('message', (data, isBinary) => {
      const bytes = toBytes(data);
      this.metrics.messagesIn += 1;
      this.metrics.bytesIn += bytes.byteLength;
      if (!isBinary) {
        this.metrics.reject('not_binary');
        ws.close(CloseCode.BadMessage, 'Binary messages only');
        return;
      }
      if (handle) {
        handle(bytes);
        return;
      }
      bufferedBytes += bytes.byteLength;
      if (bufferedBytes > this.maxBufferedBytes) {
        this.metrics.reject('buffered_before_load');
        ws.close(CloseCode.MessageTooLarge, 'Too much data before the document loaded');
        return;
      }
      buffered.push(bytes);
    });
    ws.once('close', (code: number) => {
      log.debug('connection closed', { room: name, role: info.role, code });
      closedEarly = true;
      this.waiting.delete(ws);
      const left = (this.perRoom.get(name) ?? 1) - 1;
      if (left > 0) this.perRoom.set(name, left);
      else this.perRoom.delete(name);
    });

    void this.attach(ws, name, info).then(
      (attached) => {
        this.waiting.delete(ws);
        if (!attached) return;
        const { room, conn } = attached;
        if (closedEarly) {
          room.removeConnection(conn);
          return;
        }
        ws.once('close', () => room.removeConnection(conn));
        handle = (data) => room.handleMessage(conn, data);
        for (const data of buffered.splice(0)) handle(data);
      },
      (err) => {
        this.waiting.delete(ws);
        log.error('room failed to load', { room: name, error: err });
        ws.close(CloseCode.ServerError, 'Could not load the document');
      },
    );
  }

  /**
   * Closes every connection of `sessionId` (both of its rooms, loading or attached)
   * that `match` selects, with `code`; returns how many. Used when a link is rotated.
   */
  closeConnections(sessionId: string, match: (info: ConnectionInfo) => boolean, code: number, reason: string): number {
    const selected = (info: ConnectionInfo) => info.sessionId === sessionId && match(info);
    let closed = 0;
    for (const [ws, info] of Array.from(this.waiting)) {
      if (!selected(info)) continue;
      ws.close(code, reason);
      this.waiting.delete(ws);
      closed += 1;
    }
    for (const room of this.rooms.values()) closed += room.closeWhere(selected, code, reason);
    return closed;
  }

  /** Counts for /healthz. */
  stats(): RoomStats {
    let connections = this.waiting.size;
    let pendingWrites = 0;
    let failedWrites = 0;
    for (const room of this.rooms.values()) {
      connections += room.connectionCount;
      pendingWrites += room.pendingWrites;
      failedWrites += room.failedWrites;
    }
    return { rooms: this.rooms.size, connections, pendingWrites, failedWrites };
  }

  /** Writes every loaded room now; rejects if any write fails (the updates stay queued). */
  async flushAll(): Promise<void> {
    const results = await Promise.allSettled(Array.from(this.rooms.values(), (room) => room.flush()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) throw new AggregateError(failed.map((r) => r.reason), `${failed.length} room(s) could not be written`);
  }

  /**
   * Shuts down: closes every socket with ServerRestarting, writes every room (retrying
   * a few times, since what is not written now is lost), and unloads them.
   */
  async close(options: { attempts?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    for (const ws of this.waiting.keys()) ws.close(CloseCode.ServerRestarting, 'Server restarting');
    // Loads in flight would otherwise create rooms after the final flush.
    await Promise.allSettled(Array.from(this.loading.values()));
    await Promise.allSettled(Array.from(this.unloading.values()));
    const attempts = options.attempts ?? 5;
    for (const room of Array.from(this.rooms.values())) {
      room.closeAll(CloseCode.ServerRestarting, 'Server restarting');
      for (let attempt = 1; ; attempt++) {
        try {
          await room.flush();
          break;
        } catch (err) {
          if (attempt >= attempts) {
            log.error('room could not be written before shutdown; its unsaved updates are lost', {
              room: room.name,
              pending: room.pendingWrites,
              error: err,
            });
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
      room.destroy();
      this.rooms.delete(room.name);
    }
  }

  private async attach(ws: WebSocket, name: string, info: ConnectionInfo) {
    // A room can finish unloading between getRoom resolving and this continuation: load again.
    for (;;) {
      if (this.closed) return null;
      const room = await this.getRoom(name);
      if (ws.readyState !== ws.OPEN || this.closed) return null;
      if (room.isDestroyed) continue;
      this.cancelIdleUnload(room);
      return { room, conn: room.addConnection(ws, info) };
    }
  }

  private onRoomIdle(room: Room): void {
    if (this.closed || this.unloading.has(room)) return;
    const unload = this.unload(room).finally(() => this.unloading.delete(room));
    this.unloading.set(room, unload);
  }

  private async unload(room: Room): Promise<void> {
    try {
      await room.flush();
    } catch {
      // Logged by the room; it stays loaded and retries, and calls onIdle again once a write succeeds.
      return;
    }
    // A connection may have joined, or an HTTP handler changed the doc, while the write was in flight.
    if (room.isDestroyed || room.connectionCount > 0 || room.isHeld || room.pendingWrites > 0 || this.closed) return;
    this.cancelIdleUnload(room);
    await this.options.history?.beforeUnload(room);
    // The snapshot write yields: someone may have joined meanwhile.
    if (room.isDestroyed || room.connectionCount > 0 || room.isHeld) return;
    room.destroy();
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
  }

  private scheduleIdleUnload(room: Room): void {
    this.cancelIdleUnload(room);
    const timer = setTimeout(() => {
      this.idleTimers.delete(room);
      if (room.connectionCount === 0 && !room.isHeld) this.onRoomIdle(room);
    }, this.idleUnloadMs);
    timer.unref();
    this.idleTimers.set(room, timer);
  }

  private cancelIdleUnload(room: Room): void {
    const timer = this.idleTimers.get(room);
    if (timer) {
      clearTimeout(timer);
      this.idleTimers.delete(room);
    }
  }

  private pingAll(): void {
    const sockets = new Set<WebSocket>(this.waiting.keys());
    for (const room of this.rooms.values()) for (const conn of room.allConnections()) sockets.add(conn.ws);
    for (const ws of sockets) {
      if (this.alive.get(ws) === false) {
        // No pong since the last ping: the peer is gone without a close frame.
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      if (ws.readyState === ws.OPEN) ws.ping();
    }
  }
}
