import { isAuthorColor } from './palette';

/**
 * The shape of one analyst's awareness state. Awareness is untrusted input from
 * peers: `readPeer` checks every field before the UI uses it.
 */
export interface PresenceState {
  user: { id: string; name: string; color: string };
  /** The turn the analyst is reading (topmost in view), or null. */
  turnId: string | null;
  /** True while composing a comment or reply. */
  typing: boolean;
  /** True while following the lead's focus. */
  following: boolean;
}

export interface Peer extends PresenceState {
  clientId: number;
  isSelf: boolean;
}

/** Validates a peer's awareness state; returns null for anything malformed. */
export function readPeer(clientId: number, state: unknown, selfClientId: number): Peer | null {
  if (!state || typeof state !== 'object') return null;
  const s = state as Record<string, unknown>;
  const u = s.user as Record<string, unknown> | undefined;
  if (!u || typeof u.id !== 'string' || typeof u.name !== 'string') return null;
  const name = u.name.replace(/\s+/g, ' ').trim().slice(0, 60);
  if (!name) return null;
  return {
    clientId,
    isSelf: clientId === selfClientId,
    user: { id: u.id.slice(0, 64), name, color: isAuthorColor(u.color) ? u.color : '#44677A' },
    turnId: typeof s.turnId === 'string' ? s.turnId.slice(0, 64) : null,
    typing: s.typing === true,
    following: s.following === true,
  };
}

/**
 * One entry per analyst (not per tab): an analyst with two tabs open shows once,
 * at the turn of the tab that reported last.
 */
export function uniquePeers(peers: readonly Peer[]): Peer[] {
  const byUser = new Map<string, Peer>();
  for (const p of peers) {
    const seen = byUser.get(p.user.id);
    if (!seen || p.isSelf) byUser.set(p.user.id, p);
  }
  return [...byUser.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.user.name.localeCompare(b.user.name));
}
