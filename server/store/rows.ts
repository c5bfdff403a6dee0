import { randomBytes } from 'node:crypto';
import type { Role } from '../../lib/collab/roles';
import type { Transcript } from '../../lib/transcript/types';
import type { StoredLink, StoredSession, StoredTranscript } from './types';

/**
 * What the SQL stores share: the rows both schemas return, their conversion to
 * the store's types, and the id rules. Each store keeps only its own SQL.
 */

/** Slugs end up in URLs and export file names; keep them to a safe alphabet. */
export const TRANSCRIPT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * A random id that starts with a letter or digit: base64url can begin with
 * "-" or "_", which ids here may not (and which reads badly in a URL).
 */
export function randomId(bytes = 12): string {
  for (;;) {
    const id = randomBytes(bytes).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

export interface TranscriptRow {
  id: string;
  source: string;
  created_at: string;
  json: string;
}

export interface SessionRow {
  id: string;
  transcript_id: string;
  title: string;
  created_at: string;
}

export interface LinkRow {
  session_id: string;
  role: string;
  version: number;
  token_hash: string;
}

/** A transcript row as the store's type. */
export function toTranscript(row: TranscriptRow): StoredTranscript {
  return { id: row.id, source: row.source, createdAt: row.created_at, transcript: JSON.parse(row.json) as Transcript };
}

/** A session row as the store's type. */
export function toSession(row: SessionRow): StoredSession {
  return { id: row.id, transcriptId: row.transcript_id, title: row.title, createdAt: row.created_at };
}

/** A link row as the store's type. */
export function toLink(row: LinkRow): StoredLink {
  return { sessionId: row.session_id, role: row.role as Role, version: row.version, tokenHash: row.token_hash };
}

/** Wraps bytes as a Buffer without copying (both drivers bind Buffers as binary). */
export function toBuffer(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Copies a driver's Buffer into a plain Uint8Array, so callers never depend on Buffer behaviour. */
export function fromBuffer(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}
