import * as Y from 'yjs';
import type { RoomRef } from './servers';
import { BENCH_MAP, WireClient, type Dialect, type FrameKind } from './wire';

/** Opens `count` clients, `batch` at a time (a burst of thousands of handshakes would only measure the accept queue). */
export async function openClients<T extends WireClient>(count: number, make: (i: number) => T, batch = 50): Promise<T[]> {
  const clients: T[] = [];
  for (let i = 0; i < count; i += batch) {
    const chunk: T[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) chunk.push(make(j));
    clients.push(...chunk);
    await Promise.all(chunk.map((c) => c.synced));
  }
  return clients;
}

/** Closes every client. */
export function closeAll(clients: Iterable<WireClient>): void {
  for (const c of clients) c.close();
}

/**
 * A real Y.Doc behind a raw client: applies everything the server sends, so that
 * at the end its document can be compared with what was written.
 */
export class DocClient {
  readonly doc = new Y.Doc();
  readonly client: WireClient;

  constructor(ref: RoomRef, dialect: Dialect) {
    this.client = new WireClient({
      url: ref.url,
      dialect,
      docName: ref.docName,
      onFrame: (kind: FrameKind, payload: Uint8Array) => {
        if (kind === 'step2' || kind === 'update') Y.applyUpdate(this.doc, payload);
      },
    });
  }

  /** Keys of the benchmark map: one per update written. */
  keys(): Set<string> {
    return new Set(this.doc.getMap(BENCH_MAP).keys());
  }

  close(): void {
    this.client.close();
    this.doc.destroy();
  }
}
