import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { RawSocket } from './raw-socket';

/**
 * The load generator's side of the y-websocket protocol, written with lib0
 * encoders so that thousands of clients cost the generator little: no Y.Doc,
 * no awareness instance. Hocuspocus speaks the same messages with the document
 * name in front of each one and an auth message first; `Dialect` covers both.
 */
export type Dialect = 'y-websocket' | 'hocuspocus';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;
// Hocuspocus only: its answer to a client's step 1 carries the server's own step 1 as "sync reply".
const HOCUSPOCUS_SYNC_REPLY = 4;

/** An empty state vector and an empty update: "I have nothing". */
const EMPTY_STATE_VECTOR = new Uint8Array([0]);
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** What a received frame is, as far as the generator cares. */
export type FrameKind = 'step1' | 'step2' | 'update' | 'awareness' | 'other';

/** Frames one client sends, built once per client (the prefix is the same for every frame). */
export class FrameEncoder {
  constructor(
    readonly dialect: Dialect,
    readonly docName: string,
  ) {}

  private start(type: number): encoding.Encoder {
    const encoder = encoding.createEncoder();
    if (this.dialect === 'hocuspocus') encoding.writeVarString(encoder, this.docName);
    encoding.writeVarUint(encoder, type);
    return encoder;
  }

  /** Hocuspocus waits for a token before it handles anything; the benchmark server accepts any. */
  auth(): Uint8Array {
    const encoder = this.start(MESSAGE_AUTH);
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarString(encoder, 'bench');
    return encoding.toUint8Array(encoder);
  }

  sync(step: number, payload: Uint8Array): Uint8Array {
    const encoder = this.start(MESSAGE_SYNC);
    encoding.writeVarUint(encoder, step);
    encoding.writeVarUint8Array(encoder, payload);
    return encoding.toUint8Array(encoder);
  }

  step1(stateVector = EMPTY_STATE_VECTOR): Uint8Array {
    return this.sync(SYNC_STEP_1, stateVector);
  }

  step2(update = EMPTY_UPDATE): Uint8Array {
    return this.sync(SYNC_STEP_2, update);
  }

  update(update: Uint8Array): Uint8Array {
    return this.sync(SYNC_UPDATE, update);
  }

  awareness(update: Uint8Array): Uint8Array {
    const encoder = this.start(MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, update);
    return encoding.toUint8Array(encoder);
  }
}

/** Reads a frame's kind and payload (a view into `data`, valid until the next frame). */
export function parseFrame(dialect: Dialect, data: Uint8Array): { kind: FrameKind; payload: Uint8Array } {
  const decoder = decoding.createDecoder(data);
  if (dialect === 'hocuspocus') decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  if (type === MESSAGE_SYNC || type === HOCUSPOCUS_SYNC_REPLY) {
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    return { kind: step === SYNC_STEP_1 ? 'step1' : step === SYNC_STEP_2 ? 'step2' : 'update', payload };
  }
  if (type === MESSAGE_AWARENESS) return { kind: 'awareness', payload: decoding.readVarUint8Array(decoder) };
  return { kind: 'other', payload: new Uint8Array(0) };
}

/**
 * A Yjs update (v1) that sets one key of the root map `bench` to `value`, made
 * by hand: one Item with no left or right origin, so that it never depends on
 * another client's items and the generator needs no document to make it.
 * `clock` must grow by one per update from the same `clientId`.
 */
export function mapSetUpdate(clientId: number, clock: number, key: string, value: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // clients with structs
  encoding.writeVarUint(encoder, 1); // structs of this client
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  // Item info: content ContentAny (8) | parentSub present (bit 6); no origins.
  encoding.writeUint8(encoder, 8 | 0b0010_0000);
  encoding.writeVarUint(encoder, 1); // parent is a root type named by a string
  encoding.writeVarString(encoder, BENCH_MAP);
  encoding.writeVarString(encoder, key);
  encoding.writeVarUint(encoder, 1); // ContentAny length
  encoding.writeAny(encoder, value);
  encoding.writeVarUint(encoder, 0); // delete set: no clients
  return encoding.toUint8Array(encoder);
}

/** The root map the generator's updates write to. */
export const BENCH_MAP = 'bench';

/** An awareness update (y-protocols encoding) for one client. */
export function awarenessUpdate(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clientId);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

/**
 * Markers are map keys: `@@` and ten base-36 characters (four for the writer,
 * six for its sequence number). Finding them in the raw bytes an observer
 * receives counts each update however a server batches or re-encodes it.
 */
export const MARKER_PREFIX = '@@';
const MARKER_PREFIX_BYTES = Buffer.from(MARKER_PREFIX);
export const MARKER_LENGTH = 12;

/** The marker of update `seq` from writer `writer`. */
export function marker(writer: number, seq: number): string {
  return MARKER_PREFIX + writer.toString(36).padStart(4, '0') + seq.toString(36).padStart(6, '0');
}

/** Calls `found` with every marker in `bytes`. */
export function scanMarkers(bytes: Uint8Array, found: (marker: string) => void): void {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = buf.indexOf(MARKER_PREFIX_BYTES);
  while (at >= 0 && at + MARKER_LENGTH <= buf.length) {
    found(buf.toString('latin1', at, at + MARKER_LENGTH));
    at = buf.indexOf(MARKER_PREFIX_BYTES, at + MARKER_LENGTH);
  }
}

/** A random Yjs client id (uint32, like Yjs makes). */
export function randomClientId(): number {
  return (Math.random() * 0xffffffff) >>> 0;
}

/** Where a raw client connects and what it does with the frames it receives. */
export interface WireClientOptions {
  url: string;
  dialect: Dialect;
  docName: string;
  /** Called for every frame after the client has synced (and for the sync answer itself, with kind step2). */
  onFrame?: (kind: FrameKind, payload: Uint8Array, data: Uint8Array, at: number) => void;
}

/**
 * One raw client: connects, sends auth (Hocuspocus) and sync step 1, answers
 * the server's step 1 with an empty step 2 as a stock client would, and
 * resolves `synced` when the server's step 2 arrives.
 */
export class WireClient {
  readonly socket: RawSocket;
  readonly frames: FrameEncoder;
  readonly synced: Promise<number>;
  /** performance.now() when the connection was asked for, and when the sync answer arrived. */
  readonly startedAt = performance.now();
  syncedAt = 0;
  closed = false;
  closeCode = 0;
  private readonly dialect: Dialect;

  constructor(private readonly options: WireClientOptions) {
    this.dialect = options.dialect;
    this.frames = new FrameEncoder(options.dialect, options.docName);
    let resolveSynced: (at: number) => void = () => undefined;
    let rejectSynced: (err: Error) => void = () => undefined;
    this.synced = new Promise<number>((resolve, reject) => {
      resolveSynced = resolve;
      rejectSynced = reject;
    });
    this.synced.catch(() => undefined);
    this.socket = new RawSocket(options.url, {
      onOpen: () => {
        if (this.dialect === 'hocuspocus') this.socket.send(this.frames.auth());
        this.socket.send(this.frames.step1());
      },
      onMessage: (data, at) => {
        const { kind, payload } = parseFrame(this.dialect, data);
        if (kind === 'step1') {
          this.socket.send(this.frames.step2());
          return;
        }
        if (kind === 'step2' && this.syncedAt === 0) {
          this.syncedAt = at;
          resolveSynced(at);
        }
        this.options.onFrame?.(kind, payload, data, at);
      },
      onClose: (code, reason) => {
        this.closed = true;
        this.closeCode = code;
        rejectSynced(new Error(`closed with ${code} (${reason}) before syncing`));
      },
    });
  }

  send(frame: Uint8Array): void {
    this.socket.send(frame);
  }

  close(): void {
    this.socket.terminate();
  }
}
