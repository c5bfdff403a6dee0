'use client';

import { colorForUser } from '@/lib/presence/palette';
import { newId } from '@/lib/doc/commentary';

/** The analyst using this browser, remembered between visits. */
export interface LocalUser {
  id: string;
  name: string;
  color: string;
}

const KEY = 'parley:user';
const MAX_NAME = 60;

/** Cleans a typed display name; returns null when nothing usable is left. */
export function cleanDisplayName(raw: string): string | null {
  const name = raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME);
  return name || null;
}

/** Reads the remembered user, or null on a first visit (or when storage is unavailable). */
export function loadLocalUser(): LocalUser | null {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<LocalUser>;
    if (typeof v.id !== 'string' || typeof v.name !== 'string' || !cleanDisplayName(v.name)) return null;
    return { id: v.id, name: v.name, color: colorForUser(v.id) };
  } catch {
    return null;
  }
}

/** Remembers the display name (keeping the user id if there is one) and returns the user. */
export function saveLocalUser(name: string, existing?: LocalUser | null): LocalUser {
  const id = existing?.id ?? newId('u');
  const user = { id, name, color: colorForUser(id) };
  try {
    window.localStorage.setItem(KEY, JSON.stringify({ id, name }));
  } catch {
    // Private mode or full storage: the name still holds for this visit.
  }
  return user;
}
