'use client';

import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { ensureSchema } from '@/lib/doc/commentary';
import { closeMessage, isFatalCloseCode } from '@/lib/collab/close-codes';

/** What the connection pill shows. */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'syncing' }
  | { kind: 'connected' }
  | { kind: 'offline' }
  | { kind: 'refused'; message: string };

export interface Collab {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** True once the server's state (or, offline, the browser's saved copy) has been applied. */
  ready: boolean;
  connection: ConnectionState;
}

/** The websocket base URL of this server: the page's own host, `/collab`. */
function collabUrl(): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}/collab`;
}

/**
 * Opens a room's Y.Doc: kept in IndexedDB (so offline edits survive a reload)
 * and synced with the server through the stock y-websocket provider.
 */
export function useCollab(room: string): Collab | null {
  const [collab, setCollab] = useState<Collab | null>(null);

  useEffect(() => {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(`parley:${room}`, doc);
    const provider = new WebsocketProvider(collabUrl(), room, doc, { connect: true, maxBackoffTime: 5000 });
    let disposed = false;
    let localLoaded = false;
    let state: ConnectionState = { kind: 'connecting' };

    const publish = () => {
      if (disposed) return;
      const ready = provider.synced || localLoaded;
      if (ready) {
        try {
          ensureSchema(doc);
        } catch (err) {
          state = { kind: 'refused', message: (err as Error).message };
          provider.disconnect();
        }
      }
      setCollab({ doc, provider, ready, connection: state });
    };

    provider.on('status', ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (state.kind === 'refused') return;
      if (status === 'connected') state = provider.synced ? { kind: 'connected' } : { kind: 'syncing' };
      else if (status === 'disconnected') state = { kind: 'offline' };
      else if (state.kind !== 'offline') state = { kind: 'connecting' };
      publish();
    });
    provider.on('sync', (synced: boolean) => {
      if (state.kind === 'refused') return;
      if (provider.wsconnected) state = synced ? { kind: 'connected' } : { kind: 'syncing' };
      publish();
    });
    provider.on('connection-close', (event: CloseEvent | null) => {
      // Refusals (wrong link, unknown session) do not get better by retrying.
      if (event && isFatalCloseCode(event.code)) {
        state = { kind: 'refused', message: closeMessage(event.code) };
        provider.disconnect();
        publish();
      }
    });
    void local.whenSynced.then(() => {
      localLoaded = true;
      publish();
    });
    publish();

    return () => {
      disposed = true;
      provider.destroy();
      void local.destroy();
      doc.destroy();
    };
  }, [room]);

  return collab;
}
