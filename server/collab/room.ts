import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/collab/close-codes';
import { log } from '../log';
import type { Store } from '../store/types';
import { decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, ProtocolError } from './protocol';

/** Tuning for persistence; the defaults suit production, tests shorten them. */
export interface RoomOptions {
  /** Updates are written in one batch this long after the first one arrives. */
  flushDelayMs?: number;
  /** Compact when the room's log has at least this many rows. */
  compactThreshold?: number;
  /** First retry delay after a failed write; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export const DEFAULT_ROOM_OPTIONS: Required<RoomOptions> = {
  flushDelayMs: 50,
  compactThreshold: 500,
  retryDelayMs: 100,
  maxRetryDelayMs: 10_000,
};

/** One websocket attached to a room. Used as the Yjs transaction origin of its updates. */
export class Connection {
  /** Awareness client ids this connection has set: removed when it closes. */
  readonly awarenessClients = new Set<number>();
  /** Set by the heartbeat; a connection that misses a pong is terminated. */
  alive = true;

  constructor(
    readonly ws: WebSocket,
    readonly readOnly: boolean,
  ) {}

  /** Sends unless the socket is already closing; a send error closes only this connection. */
  send(data: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(data, (err) => {
      if (err) this.ws.terminate();
    });
  }

  /** Closes with one of the shared close codes; a no-op once the socket is closing. */
  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }
}

/**
 * A loaded room: one live Y.Doc with its awareness, the websockets attached to it,
 * and the queue of updates not yet in the store.
 *
 * Every update the doc receives, whatever its origin, is queued and appended to
 * the store in a batch; a failed write keeps the batch queued and retries with
 * backoff, so unsaved work stays in memory instead of being dropped.
 */
export class Room {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  private readonly connections = new Set<Connection>();
  private readonly options: Required<RoomOptions>;
  private queue: Uint8Array[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private failures = 0;
  private lastSeq: number;
  private logLength: number;
  private destroyed = false;
  private holds = 0;

  /** Called when the room may be unloadable (no connections and nothing left to write). */
  onIdle: ((room: Room) => void) | null = null;

  constructor(
    readonly name: string,
    private readonly store: Store,
    stored: { updates: Uint8Array[]; lastSeq: number; logLength: number },
    options: RoomOptions = {},
  ) {
    this.options = { ...DEFAULT_ROOM_OPTIONS, ...options };
    this.doc = new Y.Doc({ gc: true });
    // Stored state goes in before the update listener exists: it is already persisted.
    this.doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(this.doc, update);
    });
    this.lastSeq = stored.lastSeq;
    this.logLength = stored.logLength;

    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server is not a participant: without this its empty state is sent to every client.
    this.awareness.setLocalState(null);

    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);

    if (this.logLength >= this.options.compactThreshold) this.schedule(0);
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Updates waiting to be written to the store. */
  get pendingWrites(): number {
    return this.queue.length;
  }

  /** Consecutive failed write attempts; 0 once a write succeeds. */
  get failedWrites(): number {
    return this.failures;
  }

  /** Whether server-side code is using the room (see RoomManager.withRoom): it must stay loaded. */
  get isHeld(): boolean {
    return this.holds > 0;
  }

  /** Keeps the room loaded until the matching `release()`. */
  hold(): void {
    this.holds += 1;
  }

  /** Ends a `hold()`; the room may unload once nothing else keeps it. */
  release(): void {
    this.holds = Math.max(0, this.holds - 1);
    this.checkIdle();
  }

  /** Rows in the store's log after the snapshot. */
  get storedLogLength(): number {
    return this.logLength;
  }

  /** Attaches a websocket and starts the sync: sends sync step 1 and the current awareness states. */
  addConnection(ws: WebSocket, options: { readOnly?: boolean } = {}): Connection {
    if (this.destroyed) throw new Error(`Room ${this.name} is unloaded`);
    const conn = new Connection(ws, options.readOnly ?? false);
    this.connections.add(conn);
    conn.send(encodeSyncStep1(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) conn.send(encodeAwareness(this.awareness, Array.from(states.keys())));
    return conn;
  }

  /** Handles one frame from `conn`; a bad frame closes that connection only and leaves the doc untouched. */
  handleMessage(conn: Connection, data: Uint8Array): void {
    if (this.destroyed || !this.connections.has(conn)) return;
    try {
      const message = decodeMessage(data);
      switch (message.kind) {
        case 'sync-step-1':
          conn.send(encodeSyncStep2(this.doc, message.stateVector));
          break;
        case 'sync-step-2':
        case 'update':
          // A read-only client still answers sync step 1 with its local changes; drop them quietly.
          if (!conn.readOnly) Y.applyUpdate(this.doc, message.update, conn);
          break;
        case 'awareness':
          awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, conn);
          break;
        case 'query-awareness':
          conn.send(encodeAwareness(this.awareness, Array.from(this.awareness.getStates().keys())));
          break;
      }
    } catch (err) {
      log.warn('closing connection after a bad message', {
        room: this.name,
        bytes: data.byteLength,
        error: err instanceof ProtocolError ? err.message : err,
      });
      conn.close(CloseCode.BadMessage, 'Bad message');
      this.removeConnection(conn);
    }
  }

  /** Detaches a connection and removes the awareness states it set; may make the room idle. */
  removeConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    if (conn.awarenessClients.size > 0 && !this.destroyed) {
      awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(conn.awarenessClients), null);
    }
    this.checkIdle();
  }

  /** Every attached connection (for the heartbeat and shutdown). */
  allConnections(): Connection[] {
    return Array.from(this.connections);
  }

  /** Closes every connection with `code`, e.g. ServerRestarting on shutdown. */
  closeAll(code: number, reason: string): void {
    for (const conn of Array.from(this.connections)) {
      conn.close(code, reason);
      this.removeConnection(conn);
    }
  }

  /**
   * Writes every queued update now and waits for it. Rejects when the store fails;
   * the updates then stay queued and a retry is already scheduled.
   */
  async flush(): Promise<void> {
    this.clearTimer();
    // Writes are serialised: a compaction must never see a log that another write is changing.
    while (this.writing) await this.writing.catch(() => undefined);
    if (this.queue.length === 0 && this.logLength < this.options.compactThreshold) return;
    this.writing = this.write();
    try {
      await this.writing;
    } finally {
      this.writing = null;
    }
  }

  /** Stops timers and frees the doc. Call only after a successful flush, or updates are lost. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.clearTimer();
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.onIdle = null;
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.queue.push(update);
    if (this.failures === 0) this.schedule(this.options.flushDelayMs);
    const message = encodeUpdate(update);
    for (const conn of this.connections) {
      if (conn !== origin) conn.send(message);
    }
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof Connection) {
      for (const id of added) origin.awarenessClients.add(id);
      for (const id of updated) origin.awarenessClients.add(id);
      for (const id of removed) origin.awarenessClients.delete(id);
    }
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    const message = encodeAwareness(this.awareness, changed);
    for (const conn of this.connections) conn.send(message);
  };

  private async write(): Promise<void> {
    const batch = this.queue.slice();
    let recovered = false;
    try {
      if (batch.length > 0) {
        const seq = await this.store.appendUpdates(this.name, batch);
        // Only now are these updates safe; anything queued meanwhile stays for the next batch.
        this.queue.splice(0, batch.length);
        this.lastSeq = seq;
        this.logLength += batch.length;
      }
      if (this.logLength >= this.options.compactThreshold) await this.compact();
      recovered = this.failures > 0;
      if (recovered) log.info('room writes recovered', { room: this.name, failures: this.failures });
      this.failures = 0;
    } catch (err) {
      this.failures += 1;
      const delay = Math.min(this.options.retryDelayMs * 2 ** (this.failures - 1), this.options.maxRetryDelayMs);
      log.error('room write failed; keeping updates in memory and retrying', {
        room: this.name,
        failures: this.failures,
        pending: this.queue.length,
        retryInMs: delay,
        error: err,
      });
      this.schedule(delay, true);
      throw err;
    }
    if (this.queue.length > 0) this.schedule(this.options.flushDelayMs);
    // An unload that was refused because writes failed can go ahead now.
    else if (recovered) this.checkIdle();
  }

  private async compact(): Promise<void> {
    // The snapshot may already hold updates that are still queued (applied after the last
    // append); replaying them over it later is harmless because Yjs updates are idempotent.
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const upto = this.lastSeq;
    await this.store.compactRoom(this.name, snapshot, upto);
    this.logLength = 0;
    log.debug('room compacted', { room: this.name, uptoSeq: upto, bytes: snapshot.byteLength });
  }

  private schedule(delayMs: number, replace = false): void {
    if (this.destroyed) return;
    if (this.timer) {
      if (!replace) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      // Failures are logged and rescheduled inside write().
      this.flush().catch(() => undefined);
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private checkIdle(): void {
    if (this.destroyed || this.connections.size > 0 || this.holds > 0) return;
    this.onIdle?.(this);
  }
}
