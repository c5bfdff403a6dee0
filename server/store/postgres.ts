import { randomBytes } from 'node:crypto';
import pg from 'pg';
import * as Y from 'yjs';
import type { Transcript } from '../../lib/transcript/types';
import { log } from '../log';
import { fromBuffer, randomId, toBuffer, toLink, toSession, toTranscript, TRANSCRIPT_ID, type LinkRow, type SessionRow, type TranscriptRow } from './rows';
import type { Store, StoredLink, StoredRoom, StoredSession, StoredTranscript, StoredSnapshot } from './types';

// Timestamps stay ISO text, as in SQLite, so that a value read back is the exact string written.
// `ord` keeps insertion order for listings (SQLite's rowid does this there).
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS transcripts (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    json TEXT NOT NULL,
    ord BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    transcript_id TEXT NOT NULL REFERENCES transcripts(id),
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    ord BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX IF NOT EXISTS sessions_by_transcript ON sessions (transcript_id, ord);
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
    state BYTEA NOT NULL,
    writer TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS room_updates (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room TEXT NOT NULL,
    data BYTEA NOT NULL,
    writer TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS room_updates_by_room ON room_updates (room, seq);
  CREATE TABLE IF NOT EXISTS room_history (
    id TEXT PRIMARY KEY,
    room TEXT NOT NULL,
    name TEXT,
    kind TEXT NOT NULL,
    state BYTEA NOT NULL,
    created_at TEXT NOT NULL,
    ord BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX IF NOT EXISTS room_history_by_room ON room_history (room, created_at);
`;

// Two instances starting at once would race on CREATE TABLE IF NOT EXISTS (it is not atomic
// in Postgres); a transaction-scoped advisory lock makes the second one wait for the first.
const SCHEMA_LOCK_KEY = 0x7061726c; // "parl"
const SQL_LOCK_SCHEMA = `SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY})`;
// Compactions of one room are serialised across instances; the class key keeps them apart from other locks.
const COMPACT_LOCK_CLASS = 0x636d7074; // "cmpt"
const SQL_LOCK_ROOM_COMPACTION = `SELECT pg_advisory_xact_lock(${COMPACT_LOCK_CLASS}, hashtext($1))`;

const SQL_LIST_TRANSCRIPTS = `SELECT id, source, created_at, json FROM transcripts ORDER BY created_at, ord`;
const SQL_GET_TRANSCRIPT = `SELECT id, source, created_at, json FROM transcripts WHERE id = $1`;
const SQL_INSERT_TRANSCRIPT = `
  INSERT INTO transcripts (id, title, source, created_at, json) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (id) DO NOTHING`;

const SQL_LIST_SESSIONS = `SELECT id, transcript_id, title, created_at FROM sessions ORDER BY created_at, ord`;
const SQL_LIST_SESSIONS_FOR_TRANSCRIPT = `SELECT id, transcript_id, title, created_at FROM sessions WHERE transcript_id = $1 ORDER BY created_at, ord`;
const SQL_GET_SESSION = `SELECT id, transcript_id, title, created_at FROM sessions WHERE id = $1`;
const SQL_INSERT_SESSION = `INSERT INTO sessions (id, transcript_id, title, created_at) VALUES ($1, $2, $3, $4)`;

const SQL_GET_LINKS = `SELECT session_id, role, version, token_hash FROM session_links WHERE session_id = $1 ORDER BY role`;
const SQL_UPSERT_LINK = `
  INSERT INTO session_links (session_id, role, version, token_hash, updated_at) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (session_id, role) DO UPDATE SET version = excluded.version, token_hash = excluded.token_hash, updated_at = excluded.updated_at`;

const SQL_GET_SNAPSHOT = `SELECT state, writer FROM room_snapshots WHERE room = $1`;
const SQL_GET_UPDATES = `SELECT seq, data FROM room_updates WHERE room = $1 ORDER BY seq`;
// unnest inserts a whole batch in one statement; WITH ORDINALITY keeps the batch's order in the seqs.
const SQL_INSERT_UPDATES = `
  INSERT INTO room_updates (room, data, writer, created_at)
  SELECT $1, u.data, $3, $4 FROM unnest($2::bytea[]) WITH ORDINALITY AS u(data, n) ORDER BY u.n
  RETURNING seq`;
const SQL_LAST_SEQ = `SELECT COALESCE(MAX(seq), 0) AS seq FROM room_updates WHERE room = $1`;
const SQL_GET_UPDATES_UPTO_FOR_COMPACTION = `SELECT seq, data, writer FROM room_updates WHERE room = $1 AND seq <= $2 ORDER BY seq FOR UPDATE`;
const SQL_UPSERT_SNAPSHOT = `
  INSERT INTO room_snapshots (room, state, writer, updated_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (room) DO UPDATE SET state = excluded.state, writer = excluded.writer, updated_at = excluded.updated_at`;
const SQL_DELETE_UPDATES = `DELETE FROM room_updates WHERE room = $1 AND seq = ANY($2::bigint[])`;

const SQL_PING = `SELECT 1 AS ok`;

const SQL_INSERT_HISTORY = `INSERT INTO room_history (id, room, name, kind, state, created_at) VALUES ($1, $2, $3, $4, $5, $6)`;
const SQL_LIST_HISTORY = `SELECT id, room, name, kind, created_at FROM room_history WHERE room = $1 ORDER BY created_at DESC, ord DESC`;
const SQL_GET_HISTORY_STATE = `SELECT state FROM room_history WHERE room = $1 AND id = $2`;

// The same rule as the SQLite store: slugs end up in URLs and export file names.
const FOREIGN_KEY_VIOLATION = '23503';


function isForeignKeyViolation(err: unknown): boolean {
  return (err as { code?: unknown }).code === FOREIGN_KEY_VIOLATION;
}

/**
 * The store for several server instances: PostgreSQL through a connection pool.
 *
 * Every instance that holds a room logs the updates it applies, and rows from
 * several instances interleave in one log. Compaction therefore folds in any row
 * (and any snapshot) written by another instance, whose updates this instance's
 * document may not have received yet; rows of its own are in its document already.
 */
export class PostgresStore implements Store {
  /** Tags this instance's rows, so its compactions know which rows it has seen. */
  private readonly writer = randomBytes(9).toString('base64url');

  private constructor(private readonly pool: pg.Pool) {}

  /** Connects to `url` (postgres://…), creating the schema if needed. */
  static async open(url: string, options: { maxConnections?: number } = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
    // An idle client that loses its connection emits 'error' on the pool; unhandled, it would end the process.
    pool.on('error', (err) => log.warn('postgres connection lost; the pool will reconnect', { error: err }));
    const store = new PostgresStore(pool);
    try {
      await store.transaction(async (client) => {
        await client.query(SQL_LOCK_SCHEMA);
        await client.query(SCHEMA);
      });
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return store;
  }

  async listTranscripts(): Promise<StoredTranscript[]> {
    return (await this.pool.query<TranscriptRow>(SQL_LIST_TRANSCRIPTS)).rows.map(toTranscript);
  }

  async getTranscript(id: string): Promise<StoredTranscript | null> {
    const row = (await this.pool.query<TranscriptRow>(SQL_GET_TRANSCRIPT, [id])).rows[0];
    return row ? toTranscript(row) : null;
  }

  async addTranscript(input: { id?: string; transcript: Transcript; source: string }): Promise<StoredTranscript> {
    const id = input.id ?? randomId();
    if (!TRANSCRIPT_ID.test(id)) {
      throw new Error(`Transcript id "${id}" is not allowed: use letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit).`);
    }
    const stored: StoredTranscript = { id, transcript: input.transcript, source: input.source, createdAt: new Date().toISOString() };
    const result = await this.pool.query(SQL_INSERT_TRANSCRIPT, [id, input.transcript.title, input.source, stored.createdAt, JSON.stringify(input.transcript)]);
    if (result.rowCount === 0) throw new Error(`A transcript with id "${id}" already exists.`);
    return stored;
  }

  async listSessions(transcriptId?: string): Promise<StoredSession[]> {
    const result =
      transcriptId === undefined
        ? await this.pool.query<SessionRow>(SQL_LIST_SESSIONS)
        : await this.pool.query<SessionRow>(SQL_LIST_SESSIONS_FOR_TRANSCRIPT, [transcriptId]);
    return result.rows.map(toSession);
  }

  async getSession(id: string): Promise<StoredSession | null> {
    const row = (await this.pool.query<SessionRow>(SQL_GET_SESSION, [id])).rows[0];
    return row ? toSession(row) : null;
  }

  async addSession(input: { transcriptId: string; title: string }): Promise<StoredSession> {
    // The session id is the capability in the link: 128 random bits, unguessable.
    const session: StoredSession = {
      id: randomId(16),
      transcriptId: input.transcriptId,
      title: input.title,
      createdAt: new Date().toISOString(),
    };
    try {
      await this.pool.query(SQL_INSERT_SESSION, [session.id, session.transcriptId, session.title, session.createdAt]);
    } catch (err) {
      if (isForeignKeyViolation(err)) throw new Error(`Cannot create a session: there is no transcript with id "${input.transcriptId}".`);
      throw err;
    }
    return session;
  }

  async getLinks(sessionId: string): Promise<StoredLink[]> {
    return (await this.pool.query<LinkRow>(SQL_GET_LINKS, [sessionId])).rows.map(toLink);
  }

  async setLink(link: StoredLink): Promise<void> {
    try {
      await this.pool.query(SQL_UPSERT_LINK, [link.sessionId, link.role, link.version, link.tokenHash, new Date().toISOString()]);
    } catch (err) {
      if (isForeignKeyViolation(err)) throw new Error(`Cannot store a link: there is no session with id "${link.sessionId}".`);
      throw err;
    }
  }

  async loadRoom(room: string): Promise<StoredRoom> {
    // One snapshot of the database for both reads, so a compaction in between cannot drop rows from the result.
    return this.transaction(
      async (client) => {
        const snapshot = (await client.query<{ state: Buffer }>(SQL_GET_SNAPSHOT, [room])).rows[0];
        const rows = (await client.query<{ seq: string; data: Buffer }>(SQL_GET_UPDATES, [room])).rows;
        const updates = rows.map((row) => fromBuffer(row.data));
        if (snapshot) updates.unshift(fromBuffer(snapshot.state));
        return { updates, lastSeq: rows.length ? Number(rows[rows.length - 1].seq) : 0, logLength: rows.length };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
  }

  async appendUpdates(room: string, updates: Uint8Array[]): Promise<number> {
    if (updates.length === 0) {
      return Number((await this.pool.query<{ seq: string }>(SQL_LAST_SEQ, [room])).rows[0].seq);
    }
    const result = await this.pool.query<{ seq: string }>(SQL_INSERT_UPDATES, [room, updates.map(toBuffer), this.writer, new Date().toISOString()]);
    let last = 0;
    for (const row of result.rows) last = Math.max(last, Number(row.seq));
    return last;
  }

  async compactRoom(room: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(SQL_LOCK_ROOM_COMPACTION, [room]);
      const previous = (await client.query<{ state: Buffer; writer: string }>(SQL_GET_SNAPSHOT, [room])).rows[0];
      // Only rows visible now are deleted, never ones another instance commits meanwhile with a lower seq.
      const rows = (await client.query<{ seq: string; data: Buffer; writer: string }>(SQL_GET_UPDATES_UPTO_FOR_COMPACTION, [room, uptoSeq])).rows;
      const foreign: Uint8Array[] = [];
      if (previous && previous.writer !== this.writer) foreign.push(fromBuffer(previous.state));
      for (const row of rows) if (row.writer !== this.writer) foreign.push(fromBuffer(row.data));
      // Yjs updates merge idempotently, so folding in what the snapshot already holds costs time, never data.
      const state = foreign.length > 0 ? Y.mergeUpdates([snapshot, ...foreign]) : snapshot;
      await client.query(SQL_UPSERT_SNAPSHOT, [room, toBuffer(state), this.writer, new Date().toISOString()]);
      if (rows.length > 0) await client.query(SQL_DELETE_UPDATES, [room, rows.map((row) => row.seq)]);
    });
  }

  async addSnapshot(room: string, input: { name: string | null; kind: 'auto' | 'manual'; state: Uint8Array }): Promise<StoredSnapshot> {
    const snap: StoredSnapshot = { id: randomId(), room, name: input.name, kind: input.kind, createdAt: new Date().toISOString() };
    await this.pool.query(SQL_INSERT_HISTORY, [snap.id, room, snap.name, snap.kind, toBuffer(input.state), snap.createdAt]);
    return snap;
  }

  async listSnapshots(room: string): Promise<StoredSnapshot[]> {
    const rows = (await this.pool.query<{ id: string; room: string; name: string | null; kind: string; created_at: string }>(SQL_LIST_HISTORY, [room])).rows;
    return rows.map((r) => ({ id: r.id, room: r.room, name: r.name, kind: r.kind === 'manual' ? 'manual' : 'auto', createdAt: r.created_at }));
  }

  async getSnapshotState(room: string, id: string): Promise<Uint8Array | null> {
    const row = (await this.pool.query<{ state: Buffer }>(SQL_GET_HISTORY_STATE, [room, id])).rows[0];
    return row ? fromBuffer(row.state) : null;
  }

  async ping(): Promise<void> {
    await this.pool.query(SQL_PING);
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
