import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Transcript } from '../../lib/transcript/types';
import { fromBuffer, randomId, toBuffer, toLink, toSession, toTranscript, TRANSCRIPT_ID, type LinkRow, type SessionRow, type TranscriptRow } from './rows';
import type { Store, StoredLink, StoredRoom, StoredSession, StoredSnapshot, StoredTranscript } from './types';

/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'parley.db';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS transcripts (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    transcript_id TEXT NOT NULL REFERENCES transcripts(id),
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS sessions_by_transcript ON sessions (transcript_id);
  CREATE TABLE IF NOT EXISTS session_links (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    role TEXT NOT NULL,
    version INTEGER NOT NULL,
    token_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (session_id, role)
  );
  CREATE TABLE IF NOT EXISTS room_snapshots (
    room TEXT PRIMARY KEY,
    state BLOB NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS room_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS room_updates_by_room ON room_updates (room, seq);
  CREATE TABLE IF NOT EXISTS room_history (
    id TEXT PRIMARY KEY,
    room TEXT NOT NULL,
    name TEXT,
    kind TEXT NOT NULL,
    state BLOB NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS room_history_by_room ON room_history (room, created_at);
`;

const SQL_LIST_TRANSCRIPTS = `SELECT id, source, created_at, json FROM transcripts ORDER BY created_at, rowid`;
const SQL_GET_TRANSCRIPT = `SELECT id, source, created_at, json FROM transcripts WHERE id = ?`;
const SQL_INSERT_TRANSCRIPT = `INSERT INTO transcripts (id, title, source, created_at, json) VALUES (@id, @title, @source, @createdAt, @json)`;

const SQL_LIST_SESSIONS = `SELECT id, transcript_id, title, created_at FROM sessions ORDER BY created_at, rowid`;
const SQL_LIST_SESSIONS_FOR_TRANSCRIPT = `SELECT id, transcript_id, title, created_at FROM sessions WHERE transcript_id = ? ORDER BY created_at, rowid`;
const SQL_GET_SESSION = `SELECT id, transcript_id, title, created_at FROM sessions WHERE id = ?`;
const SQL_INSERT_SESSION = `INSERT INTO sessions (id, transcript_id, title, created_at) VALUES (@id, @transcriptId, @title, @createdAt)`;

const SQL_GET_LINKS = `SELECT session_id, role, version, token_hash FROM session_links WHERE session_id = ? ORDER BY role`;
const SQL_UPSERT_LINK = `
  INSERT INTO session_links (session_id, role, version, token_hash, updated_at) VALUES (@sessionId, @role, @version, @tokenHash, @updatedAt)
  ON CONFLICT (session_id, role) DO UPDATE SET version = excluded.version, token_hash = excluded.token_hash, updated_at = excluded.updated_at`;

const SQL_INSERT_HISTORY = `INSERT INTO room_history (id, room, name, kind, state, created_at) VALUES (@id, @room, @name, @kind, @state, @createdAt)`;
const SQL_LIST_HISTORY = `SELECT id, room, name, kind, created_at FROM room_history WHERE room = ? ORDER BY created_at DESC, rowid DESC`;
const SQL_GET_HISTORY_STATE = `SELECT state FROM room_history WHERE room = ? AND id = ?`;

const SQL_GET_SNAPSHOT = `SELECT state FROM room_snapshots WHERE room = ?`;
const SQL_GET_UPDATES = `SELECT seq, data FROM room_updates WHERE room = ? ORDER BY seq`;
const SQL_INSERT_UPDATE = `INSERT INTO room_updates (room, data, created_at) VALUES (?, ?, ?)`;
const SQL_LAST_SEQ = `SELECT COALESCE(MAX(seq), 0) AS seq FROM room_updates WHERE room = ?`;
const SQL_UPSERT_SNAPSHOT = `
  INSERT INTO room_snapshots (room, state, updated_at) VALUES (?, ?, ?)
  ON CONFLICT (room) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`;
const SQL_DELETE_UPDATES_UPTO = `DELETE FROM room_updates WHERE room = ? AND seq <= ?`;

const SQL_PING = `SELECT 1 AS ok`;

// Slugs end up in URLs and file names of exports; keep them to a safe alphabet.

/** The embedded default store: one SQLite file in WAL mode. */
export class SqliteStore implements Store {
  private readonly stmt;
  private readonly loadRoomTx;
  private readonly appendTx;
  private readonly compactTx;

  private constructor(private readonly db: Database.Database) {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode can lose the last commits on power loss but never corrupts; an OS crash is the only risk.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.exec(SCHEMA);

    this.stmt = {
      listTranscripts: db.prepare<[], TranscriptRow>(SQL_LIST_TRANSCRIPTS),
      getTranscript: db.prepare<[string], TranscriptRow>(SQL_GET_TRANSCRIPT),
      insertTranscript: db.prepare(SQL_INSERT_TRANSCRIPT),
      listSessions: db.prepare<[], SessionRow>(SQL_LIST_SESSIONS),
      listSessionsForTranscript: db.prepare<[string], SessionRow>(SQL_LIST_SESSIONS_FOR_TRANSCRIPT),
      getSession: db.prepare<[string], SessionRow>(SQL_GET_SESSION),
      insertSession: db.prepare(SQL_INSERT_SESSION),
      getLinks: db.prepare<[string], LinkRow>(SQL_GET_LINKS),
      upsertLink: db.prepare(SQL_UPSERT_LINK),
      getSnapshot: db.prepare<[string], { state: Buffer }>(SQL_GET_SNAPSHOT),
      getUpdates: db.prepare<[string], { seq: number; data: Buffer }>(SQL_GET_UPDATES),
      insertUpdate: db.prepare<[string, Buffer, string]>(SQL_INSERT_UPDATE),
      lastSeq: db.prepare<[string], { seq: number }>(SQL_LAST_SEQ),
      upsertSnapshot: db.prepare<[string, Buffer, string]>(SQL_UPSERT_SNAPSHOT),
      deleteUpdatesUpto: db.prepare<[string, number]>(SQL_DELETE_UPDATES_UPTO),
      ping: db.prepare<[], { ok: number }>(SQL_PING),
      insertHistory: db.prepare(SQL_INSERT_HISTORY),
      listHistory: db.prepare<[string], { id: string; room: string; name: string | null; kind: string; created_at: string }>(SQL_LIST_HISTORY),
      getHistoryState: db.prepare<[string, string], { state: Buffer }>(SQL_GET_HISTORY_STATE),
    };

    // One read transaction, so a compaction between the two reads cannot drop rows from the result.
    this.loadRoomTx = db.transaction((room: string): StoredRoom => {
      const snapshot = this.stmt.getSnapshot.get(room);
      const rows = this.stmt.getUpdates.all(room);
      const updates = rows.map((row) => fromBuffer(row.data));
      if (snapshot) updates.unshift(fromBuffer(snapshot.state));
      return { updates, lastSeq: rows.length ? rows[rows.length - 1].seq : 0, logLength: rows.length };
    });

    this.appendTx = db.transaction((room: string, updates: Uint8Array[]): number => {
      const now = new Date().toISOString();
      let last = 0;
      for (const update of updates) {
        last = Number(this.stmt.insertUpdate.run(room, toBuffer(update), now).lastInsertRowid);
      }
      return updates.length ? last : this.stmt.lastSeq.get(room)!.seq;
    });

    this.compactTx = db.transaction((room: string, snapshot: Uint8Array, uptoSeq: number) => {
      this.stmt.upsertSnapshot.run(room, toBuffer(snapshot), new Date().toISOString());
      this.stmt.deleteUpdatesUpto.run(room, uptoSeq);
    });
  }

  /** Opens (creating if needed) `dir/parley.db` with the schema in place. */
  static open(dir: string): SqliteStore {
    fs.mkdirSync(dir, { recursive: true });
    return new SqliteStore(new Database(path.join(dir, DATABASE_FILE)));
  }

  async listTranscripts(): Promise<StoredTranscript[]> {
    return this.stmt.listTranscripts.all().map(toTranscript);
  }

  async getTranscript(id: string): Promise<StoredTranscript | null> {
    const row = this.stmt.getTranscript.get(id);
    return row ? toTranscript(row) : null;
  }

  async addTranscript(input: { id?: string; transcript: Transcript; source: string }): Promise<StoredTranscript> {
    const id = input.id ?? randomId();
    if (!TRANSCRIPT_ID.test(id)) {
      throw new Error(`Transcript id "${id}" is not allowed: use letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit).`);
    }
    if (this.stmt.getTranscript.get(id)) throw new Error(`A transcript with id "${id}" already exists.`);
    const stored: StoredTranscript = { id, transcript: input.transcript, source: input.source, createdAt: new Date().toISOString() };
    this.stmt.insertTranscript.run({
      id,
      title: input.transcript.title,
      source: input.source,
      createdAt: stored.createdAt,
      json: JSON.stringify(input.transcript),
    });
    return stored;
  }

  async listSessions(transcriptId?: string): Promise<StoredSession[]> {
    const rows = transcriptId === undefined ? this.stmt.listSessions.all() : this.stmt.listSessionsForTranscript.all(transcriptId);
    return rows.map(toSession);
  }

  async getSession(id: string): Promise<StoredSession | null> {
    const row = this.stmt.getSession.get(id);
    return row ? toSession(row) : null;
  }

  async addSession(input: { transcriptId: string; title: string }): Promise<StoredSession> {
    if (!this.stmt.getTranscript.get(input.transcriptId)) {
      throw new Error(`Cannot create a session: there is no transcript with id "${input.transcriptId}".`);
    }
    // The session id is the capability in the link: 128 random bits, unguessable.
    const session: StoredSession = {
      id: randomId(16),
      transcriptId: input.transcriptId,
      title: input.title,
      createdAt: new Date().toISOString(),
    };
    this.stmt.insertSession.run(session);
    return session;
  }

  async getLinks(sessionId: string): Promise<StoredLink[]> {
    return this.stmt.getLinks.all(sessionId).map(toLink);
  }

  async setLink(link: StoredLink): Promise<void> {
    if (!this.stmt.getSession.get(link.sessionId)) {
      throw new Error(`Cannot store a link: there is no session with id "${link.sessionId}".`);
    }
    this.stmt.upsertLink.run({ ...link, updatedAt: new Date().toISOString() });
  }

  async loadRoom(room: string): Promise<StoredRoom> {
    return this.loadRoomTx(room);
  }

  async appendUpdates(room: string, updates: Uint8Array[]): Promise<number> {
    return this.appendTx(room, updates);
  }

  async compactRoom(room: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    this.compactTx(room, snapshot, uptoSeq);
  }

  async addSnapshot(room: string, input: { name: string | null; kind: 'auto' | 'manual'; state: Uint8Array }): Promise<StoredSnapshot> {
    const snap: StoredSnapshot = {
      id: randomId(),
      room,
      name: input.name,
      kind: input.kind,
      createdAt: new Date().toISOString(),
    };
    this.stmt.insertHistory.run({ ...snap, state: toBuffer(input.state) });
    return snap;
  }

  async listSnapshots(room: string): Promise<StoredSnapshot[]> {
    return this.stmt.listHistory.all(room).map((r) => ({
      id: r.id,
      room: r.room,
      name: r.name,
      kind: r.kind === 'manual' ? 'manual' : 'auto',
      createdAt: r.created_at,
    }));
  }

  async getSnapshotState(room: string, id: string): Promise<Uint8Array | null> {
    const row = this.stmt.getHistoryState.get(room, id);
    return row ? fromBuffer(row.state) : null;
  }

  async ping(): Promise<void> {
    this.stmt.ping.get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
