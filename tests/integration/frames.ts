import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/** Hand-made y-websocket frames for raw clients: what a stock client would send, or deliberately not. */

function frame(build: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  build(e);
  return encoding.toUint8Array(e);
}

/** Sync step 1 with `doc`'s state vector (an empty doc by default). */
export function syncStep1(doc = new Y.Doc()): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 0);
    syncProtocol.writeSyncStep1(e, doc);
  });
}

/** A sync message of `type` (0 step 1, 1 step 2, 2 update) carrying `payload`. */
export function syncFrame(type: number, payload: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, type);
    encoding.writeVarUint8Array(e, payload);
  });
}

/** A document update message (sync type 2). */
export function updateFrame(update: Uint8Array): Uint8Array {
  return syncFrame(2, update);
}

/** An update made by running `change` on a fresh doc (or `doc`). */
export function makeUpdate(change: (doc: Y.Doc) => void, doc = new Y.Doc()): Uint8Array {
  const before = Y.encodeStateVector(doc);
  change(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

/** An awareness message with the given entries (`state: null` removes a client). */
export function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, 1);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(inner, entry.clientId);
      encoding.writeVarUint(inner, entry.clock);
      encoding.writeVarString(inner, JSON.stringify(entry.state));
    }
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  });
}

/** The message type (0 sync, 1 awareness, 2 auth, 3 query awareness) of a frame the server sent. */
export function messageType(data: Uint8Array): number {
  return decoding.readVarUint(decoding.createDecoder(data));
}

/** The reason of an auth (permission denied) frame, or null for any other frame. */
export function permissionDeniedReason(data: Uint8Array): string | null {
  const d = decoding.createDecoder(data);
  if (decoding.readVarUint(d) !== 2) return null;
  if (decoding.readVarUint(d) !== 0) return null;
  return decoding.readVarString(d);
}
