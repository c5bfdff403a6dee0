import type { Role } from '../../lib/collab/roles';
import type { Transcript } from '../../lib/transcript/types';

/** A transcript as stored: the parsed model plus where it came from. */
export interface StoredTranscript {
  id: string;
  transcript: Transcript;
  /** Where the text came from (a file name, "pasted", "sample"). */
  source: string;
  createdAt: string;
}

/** A review session on one transcript. */
export interface StoredSession {
  id: string;
  transcriptId: string;
  title: string;
  createdAt: string;
}

/**
 * One role's capability link on a session, as stored: never the token itself,
 * only its version (the token is derived from it) and its SHA-256.
 */
export interface StoredLink {
  sessionId: string;
  role: Role;
  /** Starts at 1; rotating the link increments it, which changes the token. */
  version: number;
  /** Hex SHA-256 of the current token, for checking a presented token. */
  tokenHash: string;
}

/** A named or automatic snapshot of a room, kept for history. */
export interface StoredSnapshot {
  id: string;
  room: string;
  /** Given when taken by hand; null for automatic snapshots. */
  name: string | null;
  kind: 'auto' | 'manual';
  createdAt: string;
}

/** A room's persisted Yjs state: the snapshot (if any) and the log rows after it. */
export interface StoredRoom {
  /** Snapshot first (when there is one), then each logged update in order. */
  updates: Uint8Array[];
  /** Sequence number of the last log row included, or 0 when the log is empty. */
  lastSeq: number;
  /** How many log rows follow the snapshot: compaction is due when this grows. */
  logLength: number;
}

/**
 * Everything Parley keeps. Async so that a networked database can implement it;
 * the SQLite default answers synchronously underneath.
 *
 * The Yjs part is deliberately small: a room is a snapshot plus an append-only
 * log of updates, and compaction folds the log into the snapshot.
 */
export interface Store {
  listTranscripts(): Promise<StoredTranscript[]>;
  getTranscript(id: string): Promise<StoredTranscript | null>;
  addTranscript(input: { id?: string; transcript: Transcript; source: string }): Promise<StoredTranscript>;

  listSessions(transcriptId?: string): Promise<StoredSession[]>;
  getSession(id: string): Promise<StoredSession | null>;
  addSession(input: { transcriptId: string; title: string }): Promise<StoredSession>;

  /** The session's links, one per role that has one (none for an unknown session). */
  getLinks(sessionId: string): Promise<StoredLink[]>;
  /** Creates or replaces one role's link; rejects when the session does not exist. */
  setLink(link: StoredLink): Promise<void>;

  loadRoom(room: string): Promise<StoredRoom>;
  /** Appends updates to the room's log in one transaction; returns the last sequence number written. */
  appendUpdates(room: string, updates: Uint8Array[]): Promise<number>;
  /**
   * Replaces the room's snapshot with `snapshot` and deletes the log rows up to
   * and including `uptoSeq`, atomically. The snapshot must already contain every
   * update in those rows; rows written after `uptoSeq` are kept.
   */
  compactRoom(room: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>;

  /** Keeps a copy of a room's state for history (separate from compaction snapshots). */
  addSnapshot(room: string, input: { name: string | null; kind: 'auto' | 'manual'; state: Uint8Array }): Promise<StoredSnapshot>;
  /** The room's history snapshots, newest first. */
  listSnapshots(room: string): Promise<StoredSnapshot[]>;
  /** The state saved in one history snapshot, or null when the room has no such snapshot. */
  getSnapshotState(room: string, id: string): Promise<Uint8Array | null>;

  /** A cheap round trip to the database, for /healthz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
