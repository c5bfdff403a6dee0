import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/collab/close-codes';
import type { Role } from '../../lib/collab/roles';
import { DEFAULT_LIMITS, type Limits } from '../config';
import { log } from '../log';
import { Metrics, type RejectReason } from '../metrics';
import type { Store } from '../store/types';
import {
  decodeMessage,
  encodeAwareness,
  encodeAwarenessEntries,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncStep2Of,
  encodeUpdate,
  isEmptyStateVector,
  isRemoval,
  parseAwarenessState,
  ProtocolError,
  type AwarenessEntry,
} from './protocol';
import { TokenBucket } from './token-bucket';

/** Tuning for persistence; the defaults suit production, tests shorten them. */
export interface RoomOptions {
  /** Updates are written in one batch this long after the first one arrives. */
  flushDelayMs?: number;
  /** Compact when the room's log has at least this many rows. */
  compactThreshold?: number;
  /** First retry delay after a failed write; doubles up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Bounds per message and connection (defaults: DEFAULT_LIMITS in config.ts). */
  limits?: Partial<Limits>;
  /** Where counters go; a private instance when not given. */
  metrics?: Metrics;
  /**
   * Yjs keeps structs whose dependencies it lacks in memory and re-merges them on
   * every later update; beyond this many bytes they are dropped and the sender closed.
   */
  maxPendingBytes?: number;
  /** After closing a connection for reading too slowly, end it this long later if its close frame is stuck. */
  slowCloseGraceMs?: number;
  /** Presence changes are broadcast at most this often, all changes since in one message (0: one message per change). */
  awarenessBatchMs?: number;
}

/** Persistence and safety tuning used when a RoomOptions field is not given. */
export const DEFAULT_ROOM_OPTIONS = {
  flushDelayMs: 50,
  compactThreshold: 500,
  retryDelayMs: 100,
  maxRetryDelayMs: 10_000,
  maxPendingBytes: 1024 * 1024,
  slowCloseGraceMs: 5000,
  awarenessBatchMs: 50,
};

// Marks a presence batch whose changes came from more than one connection.
const SEVERAL_ORIGINS = Symbol('several origins');

/** Who a connection is, decided at the upgrade from its link and URL. */
export interface ConnectionInfo {
  sessionId: string;
  role: Role;
  /** Viewers on both documents, commenters on the brief: their document updates are dropped. */
  readOnly: boolean;
  /** The display name from the URL, cleaned; the server stamps it into the connection's awareness. */
  userName: string;
  /** The user id from the URL when it was well formed; stamped into awareness too. */
  userId: string | null;
}

/** The identity of a connection made without a link (server-side tests): a nameless editor. */
export const ANONYMOUS_EDITOR: ConnectionInfo = { sessionId: '', role: 'editor', readOnly: false, userName: 'Guest', userId: null };

// One y-websocket client announces one awareness id per document; a few leave room for a page that makes two.
const MAX_AWARENESS_IDS_PER_CONNECTION = 4;

const READ_ONLY_REASON =
  'This link is read-only for this document, so your changes are not saved or shared. Ask the session owner for a link that can edit.';

/** One websocket attached to a room. Used as the Yjs transaction origin of its updates. */
export class Connection {
  /** Awareness client ids this connection owns: only it may change them, and they are removed when it closes. */
  readonly awarenessClients = new Set<number>();
  /** Messages it may still send (every frame except awareness echoes). */
  readonly messages: TokenBucket;
  /** Presence changes it may still send. */
  readonly awarenessUpdates: TokenBucket;
  /** Whether the read-only notice went out (once per connection). */
  deniedSent = false;
  /** Called when the socket's unsent bytes pass the limit. */
  onSlow: ((conn: Connection) => void) | null = null;

  constructor(
    readonly ws: WebSocket,
    readonly info: ConnectionInfo,
    private readonly limits: Limits,
    private readonly metrics: Metrics,
  ) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.awarenessUpdates = new TokenBucket(limits.awarenessPerSecond, limits.awarenessBurst);
  }

  get readOnly(): boolean {
    return this.info.readOnly;
  }

  /** Sends unless the socket is already closing; a send error closes only this connection. */
  send(data: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // No callback: a failed write errors the socket and ws closes it, which detaches the connection;
    // a closure per message per connection is a cost a large room pays on every broadcast.
    this.ws.send(data);
    this.metrics.messagesOut += 1;
    this.metrics.bytesOut += data.byteLength;
    // ws queues what the socket cannot take yet: a peer that stops reading would grow it without bound.
    if (this.ws.bufferedAmount > this.limits.maxSendBufferBytes) this.onSlow?.(this);
  }

  /** Closes with one of the shared close codes; a no-op once the socket is closing. */
  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }
}

/** The awareness state to keep: the client's own fields, with the user's name and role from its connection. */
function stampAwareness(state: unknown, info: ConnectionInfo): Record<string, unknown> | null {
  if (!state || typeof state !== 'object' || Array.isArray(state)) return null;
  const s = state as Record<string, unknown>;
  const user = s.user && typeof s.user === 'object' && !Array.isArray(s.user) ? (s.user as Record<string, unknown>) : {};
  return { ...s, user: { ...user, ...(info.userId ? { id: info.userId } : {}), name: info.userName, role: info.role } };
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
  /** Which connection set each awareness client id: no other connection may change or remove it. */
  private readonly awarenessOwners = new Map<number, Connection>();
  private readonly options: typeof DEFAULT_ROOM_OPTIONS;
  private readonly limits: Limits;
  private readonly metrics: Metrics;
  private queue: Uint8Array[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private failures = 0;
  private lastSeq: number;
  private logLength: number;
  private destroyed = false;
  private holds = 0;
  /** The sync answer for a peer that has nothing, kept until the doc changes: joins after a restart all want it. */
  private fullSync: Uint8Array | null = null;
  /** Presence ids changed since the last broadcast, and the one connection they all came from (if one). */
  private readonly awarenessPending = new Set<number>();
  private awarenessPendingOrigin: unknown = null;
  private awarenessTimer: NodeJS.Timeout | null = null;
  private awarenessSentAt = -Infinity;

  /** Called when the room may be unloadable (no connections and nothing left to write). */
  onIdle: ((room: Room) => void) | null = null;

  constructor(
    readonly name: string,
    private readonly store: Store,
    stored: { updates: Uint8Array[]; lastSeq: number; logLength: number },
    options: RoomOptions = {},
  ) {
    this.options = { ...DEFAULT_ROOM_OPTIONS, ...options };
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.metrics = options.metrics ?? new Metrics();
    this.doc = new Y.Doc({ gc: true });
    // Stored state goes in before the update listener exists: it is already persisted.
    this.doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(this.doc, update);
    });
    this.lastSeq = stored.lastSeq;
    this.logLength = stored.logLength;
    // A lone stored update (the snapshot) is the full state already: no need to encode it again for the first joiner.
    if (stored.updates.length === 1) this.fullSync = encodeSyncStep2Of(stored.updates[0]);

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

  /**
   * Attaches a websocket and starts the sync: sends sync step 1 (unless the
   * connection is read-only: the server wants nothing from it) and the current
   * awareness states.
   */
  addConnection(ws: WebSocket, info: ConnectionInfo = ANONYMOUS_EDITOR): Connection {
    if (this.destroyed) throw new Error(`Room ${this.name} is unloaded`);
    const conn = new Connection(ws, info, this.limits, this.metrics);
    conn.onSlow = (c) => this.dropSlow(c);
    this.connections.add(conn);
    if (!conn.readOnly) conn.send(encodeSyncStep1(this.doc));
    const states = this.awareness.getStates();
    if (states.size > 0) conn.send(encodeAwareness(this.awareness, Array.from(states.keys())));
    return conn;
  }

  /** Handles one frame from `conn`; a bad frame closes that connection only and leaves the doc untouched. */
  handleMessage(conn: Connection, data: Uint8Array): void {
    if (this.destroyed || !this.connections.has(conn)) return;
    const started = performance.now();
    try {
      this.dispatch(conn, data);
    } catch (err) {
      const protocolError = err instanceof ProtocolError ? err : null;
      // Anything else was thrown by Yjs while integrating an update that passed validation.
      const reason: RejectReason = protocolError?.reason ?? 'invalid_update';
      this.refuse(conn, reason, protocolError?.closeCode ?? CloseCode.BadMessage, 'Bad message', {
        bytes: data.byteLength,
        error: protocolError ? protocolError.message : err,
      });
    } finally {
      this.metrics.messageSeconds.observe((performance.now() - started) / 1000);
    }
  }

  private dispatch(conn: Connection, data: Uint8Array): void {
    const message = decodeMessage(data, { maxUpdateItems: this.limits.maxUpdateItems });
    if (message.kind === 'awareness') {
      this.handleAwareness(conn, message.entries);
      return;
    }
    if (!conn.messages.take()) {
      this.refuse(conn, 'rate_limited', CloseCode.TooManyMessages, 'Too many messages');
      return;
    }
    switch (message.kind) {
      case 'sync-step-1':
        if (isEmptyStateVector(message.stateVector)) conn.send((this.fullSync ??= encodeSyncStep2(this.doc)));
        else conn.send(encodeSyncStep2(this.doc, message.stateVector));
        break;
      case 'sync-step-2':
      case 'update':
        if (conn.readOnly) {
          // An empty update (a stock client's answer when it has nothing new) needs no answer.
          if (message.summary.structs + message.summary.deletes === 0) break;
          this.metrics.reject('read_only');
          if (!conn.deniedSent) {
            conn.deniedSent = true;
            conn.send(encodePermissionDenied(READ_ONLY_REASON));
          }
          break;
        }
        this.applyClientUpdate(conn, message.update);
        break;
      case 'query-awareness':
        conn.send(encodeAwareness(this.awareness, Array.from(this.awareness.getStates().keys())));
        break;
    }
  }

  private applyClientUpdate(conn: Connection, update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, conn);
    // Structs whose dependencies are missing wait in memory and are re-merged on every later update.
    // A client resyncing after a restart leaves a few for a moment; more than that is not a real client.
    const store = this.doc.store;
    const pending = (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0);
    if (pending > this.options.maxPendingBytes) {
      store.pendingStructs = null;
      store.pendingDs = null;
      throw new ProtocolError(`updates waiting for missing dependencies grew to ${pending} bytes`, 'pending_overflow');
    }
  }

  /**
   * Whether an awareness entry would change nothing: a stock client echoes every
   * state it receives back to the server, so most entries are states the server
   * already has. Mirrors y-protocols' own rule for applying an entry.
   */
  private isAwarenessEcho(entry: AwarenessEntry): boolean {
    const meta = this.awareness.meta.get(entry.clientId);
    if (!meta) return false;
    if (entry.clock !== meta.clock) return entry.clock < meta.clock;
    return !(isRemoval(entry) && this.awareness.getStates().has(entry.clientId));
  }

  /**
   * Applies the entries this connection may make: its own states (at most a few ids,
   * each capped in size, stamped with the user's name and role) and their removal.
   * Entries for an id another connection owns are ignored, never applied.
   */
  private handleAwareness(conn: Connection, entries: AwarenessEntry[]): void {
    const fresh: AwarenessEntry[] = [];
    const revive: number[] = [];
    for (const entry of entries) {
      if (!this.isAwarenessEcho(entry)) fresh.push(entry);
      // An old clock for a state the server no longer has: a client back after its connection
      // dropped (the server removed its state with a higher clock). See `revive` below.
      else if (!isRemoval(entry) && !this.awareness.getStates().has(entry.clientId)) revive.push(entry.clientId);
    }
    // Echoes are dropped for free, or every client's limit would scale with the room's size.
    if (fresh.length === 0 && revive.length === 0) return;
    if (!conn.messages.take()) {
      this.refuse(conn, 'rate_limited', CloseCode.TooManyMessages, 'Too many messages');
      return;
    }
    if (revive.length > 0) {
      // Tell the client its state was removed, with the server's clock: y-protocols then bumps its
      // own clock past it and sends its state again, which is accepted. Without this, a reconnected
      // client stays invisible to the others until its clock catches up (up to 30 s of renewals).
      conn.send(encodeAwareness(this.awareness, revive));
    }
    if (fresh.length === 0) return;
    if (!conn.awarenessUpdates.take()) {
      this.refuse(conn, 'awareness_rate_limited', CloseCode.TooManyAwarenessUpdates, 'Too many presence updates');
      return;
    }
    const accepted: { clientId: number; clock: number; state: unknown }[] = [];
    for (const entry of fresh) {
      const owner = this.awarenessOwners.get(entry.clientId);
      if (entry.clientId === this.awareness.clientID || (owner && owner !== conn)) {
        this.metrics.reject('awareness_not_owned');
        continue;
      }
      if (isRemoval(entry)) {
        if (owner === conn) accepted.push({ clientId: entry.clientId, clock: entry.clock, state: null });
        continue;
      }
      if (!owner && conn.awarenessClients.size >= MAX_AWARENESS_IDS_PER_CONNECTION) {
        this.metrics.reject('awareness_not_owned');
        continue;
      }
      if (entry.json.byteLength > this.limits.maxAwarenessBytes) {
        this.metrics.reject('awareness_too_large');
        continue;
      }
      const state = stampAwareness(parseAwarenessState(entry), conn.info);
      if (!state) {
        this.metrics.reject('awareness_invalid');
        continue;
      }
      this.awarenessOwners.set(entry.clientId, conn);
      conn.awarenessClients.add(entry.clientId);
      accepted.push({ clientId: entry.clientId, clock: entry.clock, state });
    }
    if (accepted.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(accepted), conn);
  }

  /** Counts, logs and closes a connection over something it sent; the room and the others carry on. */
  private refuse(conn: Connection, reason: RejectReason, code: number, text: string, fields: Record<string, unknown> = {}): void {
    this.metrics.reject(reason);
    log.warn('closing a connection', { room: this.name, reason, code, role: conn.info.role, ...fields });
    conn.close(code, text);
    this.removeConnection(conn);
  }

  private dropSlow(conn: Connection): void {
    if (!this.connections.has(conn)) return;
    this.refuse(conn, 'slow_consumer', CloseCode.SlowConnection, 'Connection too slow', { buffered: conn.ws.bufferedAmount });
    // The close frame waits behind everything the peer has not read; do not keep its buffer for long.
    const timer = setTimeout(() => conn.ws.terminate(), this.options.slowCloseGraceMs);
    timer.unref();
    conn.ws.once('close', () => clearTimeout(timer));
  }

  /** Closes every connection `match` selects with `code` (e.g. LinkRotated); returns how many. */
  closeWhere(match: (info: ConnectionInfo) => boolean, code: number, reason: string): number {
    let closed = 0;
    for (const conn of Array.from(this.connections)) {
      if (!match(conn.info)) continue;
      conn.close(code, reason);
      this.removeConnection(conn);
      closed += 1;
    }
    return closed;
  }

  /** Detaches a connection and removes the awareness states it set; may make the room idle. */
  removeConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    if (conn.awarenessClients.size > 0 && !this.destroyed) {
      // Origin null: the removal goes to every remaining connection (see onAwarenessUpdate).
      awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(conn.awarenessClients), null);
    }
    for (const id of conn.awarenessClients) if (this.awarenessOwners.get(id) === conn) this.awarenessOwners.delete(id);
    conn.awarenessClients.clear();
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
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.onIdle = null;
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullSync = null;
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
    // A removed id is free again, whoever removed it (its owner, or the timeout for silent clients).
    for (const id of removed) {
      const owner = this.awarenessOwners.get(id);
      if (!owner) continue;
      owner.awarenessClients.delete(id);
      this.awarenessOwners.delete(id);
    }
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    // One message per change to every connection is what a busy room costs a server (500 clients
    // moving their cursors: 250,000 messages a second). A change after a quiet spell goes out at once;
    // changes within awarenessBatchMs of the last broadcast wait and go out together.
    this.awarenessPendingOrigin = this.awarenessPending.size === 0 || this.awarenessPendingOrigin === origin ? origin : SEVERAL_ORIGINS;
    for (const id of changed) this.awarenessPending.add(id);
    if (this.awarenessTimer) return;
    const wait = this.awarenessSentAt + this.options.awarenessBatchMs - performance.now();
    if (wait <= 0) this.flushAwareness();
    else this.awarenessTimer = setTimeout(this.flushAwareness, wait);
  };

  private readonly flushAwareness = (): void => {
    this.awarenessTimer = null;
    if (this.destroyed || this.awarenessPending.size === 0) return;
    this.awarenessSentAt = performance.now();
    const message = encodeAwareness(this.awareness, Array.from(this.awarenessPending));
    // A sender has its own state already; when the whole batch is its own, it need not get it back.
    const skip = this.awarenessPendingOrigin;
    this.awarenessPending.clear();
    for (const conn of this.connections) if (conn !== skip) conn.send(message);
  };

  private async write(): Promise<void> {
    const batch = this.queue.slice();
    let recovered = false;
    try {
      if (batch.length > 0) {
        const started = performance.now();
        const seq = await this.store.appendUpdates(this.name, batch);
        this.metrics.persistSeconds.observe((performance.now() - started) / 1000);
        this.metrics.updatesPersisted += batch.length;
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
      this.metrics.persistFailures += 1;
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
    this.metrics.compactions += 1;
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
