'use client';

import { isRole, type Role } from '@/lib/collab/roles';

/** A session this browser has opened, with the link it used. Sessions are reachable only by link. */
export interface RecentSession {
  id: string;
  title: string;
  transcriptTitle: string;
  role: Role;
  key: string;
  lastVisited: number;
}

const KEY = 'parley:sessions';
const MAX = 50;

/** The sessions this browser has opened, most recent first. */
export function loadRecentSessions(): RecentSession[] {
  try {
    const raw = JSON.parse(window.localStorage.getItem(KEY) ?? '[]') as unknown;
    if (!Array.isArray(raw)) return [];
    return raw
      .filter(
        (s): s is RecentSession =>
          !!s && typeof s.id === 'string' && typeof s.key === 'string' && typeof s.title === 'string' && isRole(s.role),
      )
      .sort((a, b) => b.lastVisited - a.lastVisited);
  } catch {
    return [];
  }
}

/** Records a visit (replacing an older entry of the same session). */
export function rememberSession(entry: Omit<RecentSession, 'lastVisited'>): void {
  try {
    const rest = loadRecentSessions().filter((s) => s.id !== entry.id);
    const next = [{ ...entry, lastVisited: Date.now() }, ...rest].slice(0, MAX);
    window.localStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Storage unavailable: the session still works, it just is not listed on the start page.
  }
}

/** Forgets a session (the start page's "remove" action). */
export function forgetSession(id: string): void {
  try {
    window.localStorage.setItem(KEY, JSON.stringify(loadRecentSessions().filter((s) => s.id !== id)));
  } catch {
    // Nothing to do.
  }
}

/** The path that opens a session with its key. */
export function sessionPath(id: string, key: string): string {
  return `/sessions/${encodeURIComponent(id)}?key=${encodeURIComponent(key)}`;
}
