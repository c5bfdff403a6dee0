import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode } from '../../lib/collab/close-codes';
import { scanUpdate, UpdateRejected, type UpdateSummary } from './update-scan';

/**
 * The y-websocket wire format: every frame is `varUint(messageType)` followed by
 * the payload. These helpers are the only place that knows the byte layout.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const;

/** A message from a client, decoded and validated. */
export type ClientMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  | { kind: 'sync-step-2'; update: Uint8Array; summary: UpdateSummary }
  | { kind: 'update'; update: Uint8Array; summary: UpdateSummary }
  | { kind: 'awareness'; entries: AwarenessEntry[] }
  | { kind: 'query-awareness' };

/**
 * One client's entry in an awareness update. The state stays as raw JSON bytes until
 * the room decides to keep it: most awareness frames a server receives are stock
 * clients echoing states it sent them, and those are dropped without parsing.
 */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** UTF-8 JSON of the state; `null` means the client removed its state. */
  json: Uint8Array;
}

/** Why a frame was refused; the room closes the connection with `closeCode`. */
export type ProtocolFailure = 'malformed' | 'unknown_type' | 'invalid_update' | 'update_too_complex' | 'pending_overflow';

/** The bytes of a frame could not be accepted as a y-websocket message. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly reason: ProtocolFailure = 'malformed',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProtocolError';
  }

  /** MessageTooLarge for an update with too many parts, BadMessage for everything else. */
  get closeCode(): number {
    return this.reason === 'update_too_complex' ? CloseCode.MessageTooLarge : CloseCode.BadMessage;
  }
}

/** Bounds applied while decoding. */
export interface DecodeLimits {
  /** Structs plus deleted ranges one update may carry. */
  maxUpdateItems: number;
  /** Entries one awareness frame may carry (a stock client sends one; a full echo, one per peer). */
  maxAwarenessEntries?: number;
}

const DEFAULT_MAX_AWARENESS_ENTRIES = 512;

/**
 * Decodes one frame and validates its payload without touching any document:
 * Yjs may integrate part of a malformed update before it throws, so a bad update
 * must be rejected before `Y.applyUpdate` ever sees it.
 */
export function decodeMessage(data: Uint8Array, limits: DecodeLimits = { maxUpdateItems: Number.MAX_SAFE_INTEGER }): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          validateStateVector(payload);
          return { kind: 'sync-step-1', stateVector: payload };
        }
        if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          const summary = validateUpdate(payload, limits.maxUpdateItems);
          return { kind: syncType === syncProtocol.messageYjsSyncStep2 ? 'sync-step-2' : 'update', update: payload, summary };
        }
        throw new ProtocolError(`unknown sync message type ${syncType}`, 'unknown_type');
      }
      case MessageType.Awareness: {
        const update = decoding.readVarUint8Array(decoder);
        return { kind: 'awareness', entries: decodeAwarenessUpdate(update, limits.maxAwarenessEntries ?? DEFAULT_MAX_AWARENESS_ENTRIES) };
      }
      case MessageType.QueryAwareness:
        return { kind: 'query-awareness' };
      default:
        // Auth (2) only ever flows from server to client.
        throw new ProtocolError(`unknown message type ${type}`, 'unknown_type');
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError(`malformed message: ${(err as Error).message}`, 'malformed', { cause: err });
  }
}

/** Throws a ProtocolError unless `update` is a valid Yjs update (v1) of at most `maxItems` parts. */
export function validateUpdate(update: Uint8Array, maxItems = Number.MAX_SAFE_INTEGER): UpdateSummary {
  try {
    return scanUpdate(update, maxItems);
  } catch (err) {
    if (err instanceof UpdateRejected) {
      throw new ProtocolError(`invalid Yjs update: ${err.message}`, err.reason === 'too_complex' ? 'update_too_complex' : 'invalid_update', { cause: err });
    }
    throw err;
  }
}

// A document gains a client id per browser session that wrote to it; 100,000 is years of use,
// and keeps decoding (done twice: here and when encoding the answer) to a few tens of ms.
const MAX_STATE_VECTOR_CLIENTS = 100_000;

/** Throws a ProtocolError unless `sv` is a well-formed state vector of a plausible size. */
export function validateStateVector(sv: Uint8Array): void {
  const count = decoding.readVarUint(decoding.createDecoder(sv));
  if (count > MAX_STATE_VECTOR_CLIENTS) throw new ProtocolError(`state vector with ${count} clients (at most ${MAX_STATE_VECTOR_CLIENTS})`);
  for (const clock of Y.decodeStateVector(sv).values()) {
    if (!Number.isSafeInteger(clock)) throw new ProtocolError('state vector clock out of range');
  }
}

const NULL_JSON = new TextEncoder().encode('null');

/** Whether an entry's state is `null` (a removal), without parsing it. */
export function isRemoval(entry: AwarenessEntry): boolean {
  const j = entry.json;
  return j.length === NULL_JSON.length && j.every((b, i) => b === NULL_JSON[i]);
}

/** Parses an awareness update's framing; each state stays raw JSON until `parseAwarenessState`. */
export function decodeAwarenessUpdate(update: Uint8Array, maxEntries = DEFAULT_MAX_AWARENESS_ENTRIES): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > maxEntries) throw new ProtocolError(`awareness update with ${count} entries (at most ${maxEntries})`);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    // A varString is a varUint8Array of UTF-8: take the bytes without decoding them.
    const json = decoding.readVarUint8Array(decoder);
    // Yjs client ids are 32-bit; awareness clocks count up from 0.
    if (clientId > 0xffffffff || !Number.isSafeInteger(clock)) throw new ProtocolError('awareness entry out of range');
    entries.push({ clientId, clock, json });
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after awareness update');
  return entries;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The state of an entry; throws a ProtocolError for bytes that are not UTF-8 JSON. */
export function parseAwarenessState(entry: AwarenessEntry): unknown {
  try {
    return JSON.parse(utf8.decode(entry.json));
  } catch (err) {
    throw new ProtocolError(`awareness state is not JSON: ${(err as Error).message}`, 'malformed', { cause: err });
  }
}

/** An awareness update (the payload of an awareness message) from decoded entries. */
export function encodeAwarenessEntries(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  return finish((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, JSON.stringify(entry.state));
    }
  });
}

/** The y-protocols auth message telling a client its changes are not accepted (logged by the stock client). */
export function encodePermissionDenied(reason: string): Uint8Array {
  return finish((e) => {
    encoding.writeVarUint(e, MessageType.Auth);
    authProtocol.writePermissionDenied(e, reason);
  });
}

function finish(build: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  build(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: the server's state vector, asking the client for what the server lacks. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return finish((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    syncProtocol.writeSyncStep1(e, doc);
  });
}

/** Sync step 2: everything in `doc` that a peer with `stateVector` lacks. */
export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  return finish((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    syncProtocol.writeSyncStep2(e, doc, stateVector);
  });
}

/** Sync step 2 carrying `update` as it is: a full state already encoded, such as a stored snapshot. */
export function encodeSyncStep2Of(update: Uint8Array): Uint8Array {
  return finish((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    // Step 2, not a plain update: a stock client counts itself synced only on step 2.
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });
}

/** Whether a state vector names no client: the peer has nothing yet and needs the whole document. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0;
}

/** A document update to forward to peers. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  return finish((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    syncProtocol.writeUpdate(e, update);
  });
}

/** An awareness message carrying the given clients' states (or their removal). */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return finish((e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  });
}

/** Asks the peer to send every awareness state it knows. */
export function encodeQueryAwareness(): Uint8Array {
  return finish((e) => encoding.writeVarUint(e, MessageType.QueryAwareness));
}
