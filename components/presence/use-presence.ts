'use client';

import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { readPeer, uniquePeers, type Peer, type PresenceState } from '@/lib/presence/awareness';

/** The analysts in the room, kept in sync with the provider's awareness. */
export function usePeers(provider: WebsocketProvider | null): Peer[] {
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    if (!provider) return;
    const awareness = provider.awareness;
    const read = () => {
      const list: Peer[] = [];
      awareness.getStates().forEach((state, clientId) => {
        const p = readPeer(clientId, state, awareness.clientID);
        if (p) list.push(p);
      });
      setPeers(uniquePeers(list));
    };
    awareness.on('change', read);
    read();
    return () => awareness.off('change', read);
  }, [provider]);
  return peers;
}

/** Publishes this analyst's presence; fields not given keep their value. */
export function setPresence(provider: WebsocketProvider, patch: Partial<PresenceState>): void {
  const current = (provider.awareness.getLocalState() ?? {}) as Partial<PresenceState>;
  const next = { ...current, ...patch };
  // Awareness re-broadcasts on every set; skip the ones that change nothing.
  if (JSON.stringify(next) === JSON.stringify(current)) return;
  provider.awareness.setLocalState(next);
}
