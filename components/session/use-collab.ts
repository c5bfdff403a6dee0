'use client';

import { useEffect, useRef, useState } from 'react';
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

export interface CollabOptions {
  /** The session link's key; the server checks it before the websocket upgrade. */
  accessKey: string;
  /** The analyst's display name and id, which the server stamps on their presence. */
  name: string;
  userId: string;
  /** Run `ensureSchema`-style checks once the document is loaded. */
  onReady?: (doc: Y.Doc) => void;
}

/** The websocket base URL of this server: the page's own host, `/collab`. */
function collabUrl(): string {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${window.location.host}/collab`;
}

/**
 * Delay before reconnecting after the server went away: exponential, capped at
 * 10 s, and jittered by ±50 % so that a restarted server is not met by every
 * browser at the same instant.
 */
export function reconnectDelay(attempt: number, random = Math.random): number {
  const base = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6));
  return Math.round(base * (0.5 + random()));
}

/**
 * Opens a room's Y.Doc: kept in IndexedDB (so offline edits survive a reload)
 * and synced with the server through the stock y-websocket provider.
 */
export function useCollab(room: string, options: CollabOptions): Collab | null {
  const [collab, setCollab] = useState<Collab | null>(null);
  const { accessKey, name, userId, onReady = ensureSchema } = options;
  // The first connection already carries the name known at mount; later changes reconnect below.
  const identity = useRef({ name, uid: userId });
  identity.current = { name, uid: userId };

  useEffect(() => {
    const doc = new Y.Doc();
    const local = new IndexeddbPersistence(`parley:${room}`, doc);
    let attempts = 0;
    let retryTimer: number | undefined;
    const provider = new WebsocketProvider(collabUrl(), room, doc, {
      connect: true,
      params: { key: accessKey, ...identity.current },
      // Transient closes (a restart, a dropped network) are retried here with jitter
      // instead of the provider's own fixed backoff; refusals are not retried at all.
      shouldReconnect: () => false,
    });
    let disposed = false;
    let localLoaded = false;
    let state: ConnectionState = { kind: 'connecting' };

    const publish = () => {
      if (disposed) return;
      const ready = provider.synced || localLoaded;
      if (ready && state.kind !== 'refused') {
        try {
          onReady(doc);
        } catch (err) {
          state = { kind: 'refused', message: (err as Error).message };
          provider.disconnect();
        }
      }
      setCollab({ doc, provider, ready, connection: state });
    };

    provider.on('status', ({ status }) => {
      if (status === 'connected') {
        // On a reconnect the provider dropped everyone else's presence and raised
        // their clocks locally; the server re-sends their states with the clocks
        // they had, which awareness would ignore until each peer next renews
        // (up to 30 s). Forget those local clocks so the states apply at once.
        const aw = provider.awareness;
        for (const id of [...aw.meta.keys()]) if (id !== aw.clientID && !aw.states.has(id)) aw.meta.delete(id);
      }
      if (state.kind === 'refused') return;
      if (status === 'connected') state = provider.synced ? { kind: 'connected' } : { kind: 'syncing' };
      else if (status === 'disconnected') state = { kind: 'offline' };
      else if (state.kind !== 'offline') state = { kind: 'connecting' };
      publish();
    });
    provider.on('sync', (synced: boolean) => {
      if (state.kind === 'refused') return;
      if (synced) attempts = 0;
      if (provider.wsconnected) state = synced ? { kind: 'connected' } : { kind: 'syncing' };
      publish();
    });
    provider.on('closed', ({ code }) => {
      if (disposed) return;
      if (isFatalCloseCode(code)) {
        state = { kind: 'refused', message: closeMessage(code) };
        publish();
        return;
      }
      // Also a socket that never opened (server down, network gone) ends here, as 1006.
      state = { kind: 'offline' };
      publish();
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(() => provider.connect(), reconnectDelay(attempts++));
    });
    void local.whenSynced.then(() => {
      localLoaded = true;
      publish();
    });
    publish();

    return () => {
      disposed = true;
      window.clearTimeout(retryTimer);
      provider.destroy();
      void local.destroy();
      doc.destroy();
    };
    // onReady is a module-level function in practice; a new doc per render would lose state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [room, accessKey]);

  // The server stamps presence with the name given when the socket opened; reconnect to update it.
  useEffect(() => {
    const provider = collab?.provider;
    if (!provider) return;
    const params = { key: accessKey, name, uid: userId };
    if (provider.params.name === name && provider.params.uid === userId) return;
    provider.params = params;
    if (provider.wsconnected || provider.wsconnecting) {
      provider.disconnect();
      provider.connect();
    }
  }, [collab?.provider, accessKey, name, userId]);

  return collab;
}
