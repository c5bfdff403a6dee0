import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

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

/** A message from a client, fully decoded and validated. */
export type ClientMessage =
  | { kind: 'sync-step-1'; stateVector: Uint8Array }
  | { kind: 'sync-step-2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array; entries: AwarenessEntry[] }
  | { kind: 'query-awareness' };

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** `null` means the client removed its state. */
  state: unknown;
}

/** The bytes of a frame could not be read as a y-websocket message. */
export class ProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
  }
}

/**
 * Decodes one frame and validates its payload without touching any document:
 * Yjs may integrate part of a malformed update before it throws, so a bad update
 * must be rejected before `Y.applyUpdate` ever sees it.
 */
export function decodeMessage(data: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const syncType = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          Y.decodeStateVector(payload);
          return { kind: 'sync-step-1', stateVector: payload };
        }
        if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          validateUpdate(payload);
          return { kind: syncType === syncProtocol.messageYjsSyncStep2 ? 'sync-step-2' : 'update', update: payload };
        }
        throw new ProtocolError(`unknown sync message type ${syncType}`);
      }
      case MessageType.Awareness: {
        const update = decoding.readVarUint8Array(decoder);
        return { kind: 'awareness', update, entries: decodeAwarenessUpdate(update) };
      }
      case MessageType.QueryAwareness:
        return { kind: 'query-awareness' };
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError(`malformed message: ${(err as Error).message}`, { cause: err });
  }
}

/** Throws a ProtocolError unless `update` parses completely as a Yjs update (v1). */
export function validateUpdate(update: Uint8Array): void {
  try {
    const decoded = Y.decodeUpdate(update);
    // decodeUpdate tolerates some truncations by yielding Skip structs with absurd lengths; a
    // well-formed client update never has a client id or clock beyond 2^53.
    for (const struct of decoded.structs) {
      if (!Number.isSafeInteger(struct.id.clock) || !Number.isSafeInteger(struct.length)) {
        throw new Error('struct out of range');
      }
    }
  } catch (err) {
    throw new ProtocolError(`invalid Yjs update: ${(err as Error).message}`, { cause: err });
  }
}

/** Parses an awareness update fully, so that a bad one is refused before it is applied. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    entries.push({ clientId, clock, state });
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after awareness update');
  return entries;
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
