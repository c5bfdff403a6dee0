import * as Y from 'yjs';
import { log } from '../log';
import type { Store, StoredSnapshot } from '../store/types';
import { BRIEF_SUFFIX } from './room-manager';
import type { Room } from './room';

export interface HistoryOptions {
  /** A burst of activity ends after this long without an update (default 60 s). */
  quietMs?: number;
  /** A burst needs at least this many updates to be worth a snapshot (default 5). */
  minUpdates?: number;
}

/**
 * Keeps the history of each session's commentary: a snapshot after every burst
 * of activity (some updates, then a quiet spell), one when a room unloads with
 * changes since the last, and named ones taken on demand. Snapshots are full
 * Yjs states, so any one of them opens on its own.
 */
export class HistoryKeeper {
  private readonly quietMs: number;
  private readonly minUpdates: number;
  private readonly watched = new Map<Room, { count: number; last: number; timer: NodeJS.Timeout | null; stop: () => void }>();

  constructor(
    private readonly store: Store,
    options: HistoryOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 60_000;
    this.minUpdates = options.minUpdates ?? 5;
  }

  /** Starts counting a loaded room's updates. The brief is not kept in history. */
  watch(room: Room): void {
    if (room.name.endsWith(BRIEF_SUFFIX) || this.watched.has(room)) return;
    const state = { count: 0, last: 0, timer: null as NodeJS.Timeout | null, stop: () => undefined };
    // One timer per burst, not one per update: each update only notes its time, and the
    // timer, when it fires early, waits out the rest of the quiet spell.
    const check = () => {
      const quietFor = Date.now() - state.last;
      if (quietFor < this.quietMs) {
        state.timer = setTimeout(check, this.quietMs - quietFor);
        state.timer.unref();
        return;
      }
      state.timer = null;
      if (state.count >= this.minUpdates) void this.save(room, null, 'auto');
    };
    const onUpdate = () => {
      state.count++;
      state.last = Date.now();
      if (!state.timer) {
        state.timer = setTimeout(check, this.quietMs);
        state.timer.unref();
      }
    };
    room.doc.on('update', onUpdate);
    state.stop = () => {
      room.doc.off('update', onUpdate);
      if (state.timer) clearTimeout(state.timer);
    };
    this.watched.set(room, state);
  }

  /** Before a room unloads: saves what changed since the last snapshot, then stops watching. */
  async beforeUnload(room: Room): Promise<void> {
    const state = this.watched.get(room);
    if (!state) return;
    if (state.count > 0) await this.save(room, null, 'auto');
    state.stop();
    this.watched.delete(room);
  }

  /** Takes a snapshot now (by hand, with an optional name). */
  take(room: Room, name: string | null): Promise<StoredSnapshot | null> {
    return this.save(room, name, 'manual');
  }

  private async save(room: Room, name: string | null, kind: 'auto' | 'manual'): Promise<StoredSnapshot | null> {
    if (room.isDestroyed) return null;
    const state = this.watched.get(room);
    const counted = state?.count ?? 0;
    try {
      const snap = await this.store.addSnapshot(room.name, { name, kind, state: Y.encodeStateAsUpdate(room.doc) });
      // Updates that arrived while the write was in flight still count towards the next one.
      if (state) state.count = Math.max(0, state.count - counted);
      return snap;
    } catch (err) {
      // History is a convenience: a failed snapshot loses no work (the update log has it all).
      log.warn('history snapshot failed', { room: room.name, kind, error: String(err) });
      if (kind === 'manual') throw err;
      return null;
    }
  }

  /** Stops every timer (server shutdown). */
  close(): void {
    for (const s of this.watched.values()) s.stop();
    this.watched.clear();
  }
}
