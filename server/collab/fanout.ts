import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { log } from '../log';

/**
 * Fan-out between server instances: what one instance's clients change in a room
 * reaches the clients of the same room on every other instance, so a load balancer
 * needs no sticky routing. Rooms talk through one channel each.
 */
export interface Fanout {
  /** Publishes a document update made by this instance's clients (or its server code). */
  onLocalUpdate(room: string, update: Uint8Array): void;
  /** Publishes an awareness update (y-protocols encoding) from this instance's clients. */
  onLocalAwareness(room: string, update: Uint8Array): void;
  /** Starts receiving the room's messages; then asks the other instances for what this one lacks. */
  subscribe(room: string, handlers: FanoutHandlers): Promise<void>;
  /** Stops receiving; a no-op unless `handlers` (when given) are the ones subscribed. */
  unsubscribe(room: string, handlers?: FanoutHandlers): Promise<void>;
  close(): Promise<void>;
}

/** What a subscribed room does with messages from other instances. */
export interface FanoutHandlers {
  applyUpdate(update: Uint8Array): void;
  applyAwareness(update: Uint8Array): void;
  /** This instance's state vector, sent when asking the others for what it lacks. */
  stateVector(): Uint8Array;
  /** What an instance at `stateVector` lacks; null when this instance has nothing to add. */
  diff(stateVector: Uint8Array): Uint8Array | null;
  /** Every awareness state this instance holds (y-protocols encoding), for an instance that just joined; null when none. */
  awarenessStates(): Uint8Array | null;
}

/** Transaction origin of changes that came from another instance: they are not published again. */
export const FANOUT_ORIGIN = Symbol.for('parley.fanout');

/** What one channel message carries, after the sender's instance id. */
const Kind = {
  Update: 0,
  Awareness: 1,
  /** "Send me what I lack": the payload is the sender's state vector. */
  SyncRequest: 2,
  /** The answer to one instance's request: its id, then the update. */
  SyncAnswer: 3,
} as const;

/** Channel names are `<prefix><room>`. */
export const DEFAULT_CHANNEL_PREFIX = 'parley:room:';

/** Tuning of the Redis fan-out; the defaults suit production. */
export interface RedisFanoutOptions {
  /** Prefix of every channel, so that several deployments can share one Redis. */
  channelPrefix?: string;
  /** How long `connect` waits for Redis before failing the start. */
  connectTimeoutMs?: number;
  /** How long `subscribe` waits before letting the room load without it (it carries on in the background). */
  subscribeTimeoutMs?: number;
}

function encodeMessage(instance: string, kind: number, payload: Uint8Array, target?: string): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, instance);
  encoding.writeVarUint(encoder, kind);
  if (target !== undefined) encoding.writeVarString(encoder, target);
  encoding.writeVarUint8Array(encoder, payload);
  const bytes = encoding.toUint8Array(encoder);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Fan-out over Redis pub/sub. Every message is tagged with this instance's id and
 * instances ignore their own. Pub/sub delivers at most once, so whatever is missed
 * (a room loaded late, a dropped Redis connection) is caught up by a state-vector
 * exchange: on subscribing, and again for every room after Redis reconnects.
 */
export class RedisFanout implements Fanout {
  /** Tags this instance's messages. */
  readonly instanceId = randomBytes(9).toString('base64url');
  private readonly rooms = new Map<string, FanoutHandlers>();
  private readonly prefix: string;
  private readonly subscribeTimeoutMs: number;
  private publishFailures = 0;
  private readyOnce = false;
  private closed = false;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    options: RedisFanoutOptions,
  ) {
    this.prefix = options.channelPrefix ?? DEFAULT_CHANNEL_PREFIX;
    this.subscribeTimeoutMs = options.subscribeTimeoutMs ?? 2000;
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel, message));
    sub.on('ready', () => {
      // ioredis resubscribes by itself after a reconnect, but what was published meanwhile is gone.
      if (this.readyOnce) this.resyncAll();
      this.readyOnce = true;
    });
    for (const [name, client] of [
      ['publisher', pub],
      ['subscriber', sub],
    ] as const) {
      client.on('error', (err: Error) => log.warn('redis connection error; retrying', { connection: name, error: err.message }));
    }
  }

  /** Connects both Redis connections (publish and subscribe); rejects with a clear message if Redis is unreachable. */
  static async connect(url: string, options: RedisFanoutOptions = {}): Promise<RedisFanout> {
    const timeout = options.connectTimeoutMs ?? 5000;
    // Publishing while disconnected fails at once instead of queueing without bound; the resync after reconnecting covers the gap.
    const pub = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, enableAutoPipelining: true, maxRetriesPerRequest: 1, connectTimeout: timeout });
    const sub = new Redis(url, { lazyConnect: true, connectTimeout: timeout });
    try {
      await Promise.all([pub.connect(), sub.connect()]);
    } catch (err) {
      pub.disconnect();
      sub.disconnect();
      throw new Error(`Cannot reach Redis at REDIS_URL (${(err as Error).message}). Start Redis or correct REDIS_URL.`, { cause: err });
    }
    const fanout = new RedisFanout(pub, sub, options);
    fanout.readyOnce = true;
    return fanout;
  }

  onLocalUpdate(room: string, update: Uint8Array): void {
    this.publish(room, encodeMessage(this.instanceId, Kind.Update, update));
  }

  onLocalAwareness(room: string, update: Uint8Array): void {
    this.publish(room, encodeMessage(this.instanceId, Kind.Awareness, update));
  }

  async subscribe(room: string, handlers: FanoutHandlers): Promise<void> {
    if (this.closed) return;
    this.rooms.set(room, handlers);
    const subscribed = this.sub.subscribe(this.prefix + room).then(() => {
      // Only now can no update be missed: ask for everything published before.
      if (this.rooms.get(room) === handlers) this.requestSync(room, handlers);
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.subscribeTimeoutMs);
      timer.unref();
    });
    subscribed.catch((err: unknown) => log.error('could not subscribe to a room channel', { room, error: err }));
    const outcome = await Promise.race([subscribed.then(() => 'ok' as const, () => 'failed' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') log.warn('subscribing to a room channel is slow; the room loads without waiting', { room });
  }

  async unsubscribe(room: string, handlers?: FanoutHandlers): Promise<void> {
    if (handlers && this.rooms.get(room) !== handlers) return;
    this.rooms.delete(room);
    if (this.closed) return;
    // One connection runs commands in order, so a later subscribe to the same room still wins.
    await this.sub.unsubscribe(this.prefix + room).catch((err: unknown) => log.warn('could not unsubscribe from a room channel', { room, error: err }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rooms.clear();
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }

  private publish(room: string, message: Buffer): void {
    if (this.closed) return;
    this.pub.publish(this.prefix + room, message).then(
      () => {
        if (this.publishFailures > 0) {
          log.info('publishing to redis recovered', { failures: this.publishFailures });
          this.publishFailures = 0;
        }
      },
      (err: unknown) => {
        this.publishFailures += 1;
        // One line per burst of failures, not one per message.
        if (this.publishFailures === 1 || this.publishFailures % 1000 === 0) {
          log.warn('publishing to redis failed; other instances catch up when it is back', { room, failures: this.publishFailures, error: (err as Error).message });
        }
      },
    );
  }

  private requestSync(room: string, handlers: FanoutHandlers): void {
    this.publish(room, encodeMessage(this.instanceId, Kind.SyncRequest, handlers.stateVector()));
  }

  private resyncAll(): void {
    log.info('redis reconnected; catching up every loaded room', { rooms: this.rooms.size });
    for (const [room, handlers] of this.rooms) this.requestSync(room, handlers);
  }

  private receive(channel: Buffer, message: Buffer): void {
    const name = channel.toString('utf8');
    if (!name.startsWith(this.prefix)) return;
    const room = name.slice(this.prefix.length);
    const handlers = this.rooms.get(room);
    if (!handlers) return;
    try {
      const decoder = decoding.createDecoder(message);
      const sender = decoding.readVarString(decoder);
      if (sender === this.instanceId) return;
      const kind = decoding.readVarUint(decoder);
      switch (kind) {
        case Kind.Update:
          handlers.applyUpdate(decoding.readVarUint8Array(decoder));
          break;
        case Kind.Awareness:
          handlers.applyAwareness(decoding.readVarUint8Array(decoder));
          break;
        case Kind.SyncRequest: {
          const diff = handlers.diff(decoding.readVarUint8Array(decoder));
          if (diff) this.publish(room, encodeMessage(this.instanceId, Kind.SyncAnswer, diff, sender));
          const states = handlers.awarenessStates();
          if (states) this.publish(room, encodeMessage(this.instanceId, Kind.Awareness, states));
          break;
        }
        case Kind.SyncAnswer: {
          const target = decoding.readVarString(decoder);
          const update = decoding.readVarUint8Array(decoder);
          if (target === this.instanceId) handlers.applyUpdate(update);
          break;
        }
        default:
          // A newer instance during a rolling upgrade; nothing to do with it here.
          break;
      }
    } catch (err) {
      log.warn('ignored a malformed fan-out message', { room, bytes: message.byteLength, error: err });
    }
  }
}

/** The parts of a Room that fan-out needs. */
export interface FanoutRoom {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
}

// An empty update: two zero counts (no structs, no deletions).
const EMPTY_UPDATE_LENGTH = 2;

/**
 * Connects a loaded room to the fan-out: local changes are published, others'
 * applied with FANOUT_ORIGIN (the room then sends them to its own clients and
 * stores them, like any update). Unsubscribes when the room's doc is destroyed.
 * Resolves once subscribed (or after the subscribe timeout).
 */
export function attachFanout(room: FanoutRoom, fanout: Fanout): Promise<void> {
  const { doc, awareness, name } = room;
  const handlers: FanoutHandlers = {
    applyUpdate: (update) => {
      if (doc.isDestroyed) return;
      try {
        Y.applyUpdate(doc, update, FANOUT_ORIGIN);
      } catch (err) {
        log.error('could not apply an update from another instance', { room: name, error: err });
      }
    },
    applyAwareness: (update) => {
      if (doc.isDestroyed) return;
      awarenessProtocol.applyAwarenessUpdate(awareness, update, FANOUT_ORIGIN);
    },
    stateVector: () => Y.encodeStateVector(doc),
    diff: (stateVector) => {
      const diff = Y.encodeStateAsUpdate(doc, stateVector);
      return diff.byteLength > EMPTY_UPDATE_LENGTH ? diff : null;
    },
    awarenessStates: () => {
      const ids = Array.from(awareness.getStates().keys());
      return ids.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(awareness, ids) : null;
    },
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== FANOUT_ORIGIN) fanout.onLocalUpdate(name, update);
  };
  const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    // Every instance times out silent clients by itself; publishing its removals would race the owner's renewals.
    if (origin === FANOUT_ORIGIN || origin === 'timeout') return;
    // The server's own id changes only when the room is destroyed; it is no participant to announce.
    const changed = added.concat(updated, removed).filter((id) => id !== awareness.clientID);
    if (changed.length > 0) fanout.onLocalAwareness(name, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
  };
  doc.on('update', onUpdate);
  awareness.on('update', onAwareness);
  doc.once('destroy', () => {
    doc.off('update', onUpdate);
    awareness.off('update', onAwareness);
    void fanout.unsubscribe(name, handlers);
  });
  return fanout.subscribe(name, handlers);
}
