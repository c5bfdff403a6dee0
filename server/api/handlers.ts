import type * as Y from 'yjs';
import { listComments, listVerdicts } from '../../lib/doc/commentary';
import { exportFileName, sessionToMarkdown } from '../../lib/export/markdown';
import type { Services } from '../services';
import type { StoredSession, StoredTranscript } from '../store/types';
import { badRequest, notFound } from './errors';

/**
 * The HTTP API's logic, free of Next.js: each handler takes the services and
 * plain inputs and returns a plain result or throws an ApiError. The route
 * handlers in app/api are thin wrappers, and the tests call these directly.
 */

export interface TranscriptSummary {
  id: string;
  title: string;
  date: string | null;
  place: string | null;
  source: string;
  createdAt: string;
  turns: number;
  exchanges: number;
  speakers: string[];
  sessions: SessionSummary[];
}

export interface SessionSummary {
  id: string;
  title: string;
  transcriptId: string;
  createdAt: string;
  url: string;
}

const MAX_TITLE = 200;

function sessionSummary(s: StoredSession): SessionSummary {
  return { id: s.id, title: s.title, transcriptId: s.transcriptId, createdAt: s.createdAt, url: `/sessions/${s.id}` };
}

function transcriptSummary(t: StoredTranscript, sessions: StoredSession[]): TranscriptSummary {
  return {
    id: t.id,
    title: t.transcript.title,
    date: t.transcript.date,
    place: t.transcript.place,
    source: t.source,
    createdAt: t.createdAt,
    turns: t.transcript.turns.length,
    exchanges: t.transcript.exchanges.length,
    speakers: t.transcript.speakers.map((s) => s.name),
    sessions: sessions.filter((s) => s.transcriptId === t.id).map(sessionSummary),
  };
}

/** GET /api/transcripts: every transcript with the review sessions on it, newest sessions first. */
export async function listTranscripts(services: Services): Promise<TranscriptSummary[]> {
  const [transcripts, sessions] = await Promise.all([services.store.listTranscripts(), services.store.listSessions()]);
  const newestFirst = [...sessions].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return transcripts.map((t) => transcriptSummary(t, newestFirst));
}

/** Session ids are random base64url strings; anything else cannot name a session. */
export function isPlausibleSessionId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(id);
}

/** Parses a JSON request body, turning every way it can be wrong into a 400 that says how. */
export function parseJsonBody(raw: string): Record<string, unknown> {
  if (!raw.trim()) throw badRequest('The request body is empty: send JSON such as {"transcriptId": "…"}.');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest('The request body must be a JSON object such as {"transcriptId": "…"}.');
  }
  return value as Record<string, unknown>;
}

/** POST /api/sessions: starts a review session on a transcript. */
export async function createSession(services: Services, body: Record<string, unknown>): Promise<SessionSummary> {
  const { transcriptId, title } = body;
  if (typeof transcriptId !== 'string' || !transcriptId.trim()) {
    throw badRequest('"transcriptId" is required and must be a string (see GET /api/transcripts).');
  }
  if (title !== undefined && typeof title !== 'string') throw badRequest('"title", when given, must be a string.');
  const cleanTitle = (title ?? '').replace(/\s+/g, ' ').trim();
  if (cleanTitle.length > MAX_TITLE) throw badRequest(`"title" is too long: at most ${MAX_TITLE} characters.`);
  const transcript = await services.store.getTranscript(transcriptId);
  if (!transcript) throw notFound(`No transcript has the id "${transcriptId}".`);
  const session = await services.store.addSession({
    transcriptId,
    title: cleanTitle || `Review: ${transcript.transcript.title}`,
  });
  return sessionSummary(session);
}

/** The session and its transcript, or a 404. */
export async function loadSession(
  services: Services,
  id: string,
): Promise<{ session: StoredSession; transcript: StoredTranscript }> {
  const session = isPlausibleSessionId(id) ? await services.store.getSession(id) : null;
  if (!session) throw notFound(`No review session has the id "${id}".`);
  const transcript = await services.store.getTranscript(session.transcriptId);
  if (!transcript) throw notFound(`The transcript of session "${id}" is missing.`);
  return { session, transcript };
}

/** GET /api/sessions/<id>: the session, its transcript and a count of its commentary. */
export async function getSession(services: Services, id: string) {
  const { session, transcript } = await loadSession(services, id);
  const doc = await services.rooms.readDocument(session.id);
  const comments = listComments(doc);
  return {
    ...sessionSummary(session),
    transcript: transcript.transcript,
    transcriptSource: transcript.source,
    counts: {
      threads: comments.filter((c) => !c.parentId && c.motivation === 'commenting').length,
      replies: comments.filter((c) => c.parentId).length,
      highlights: comments.filter((c) => c.motivation === 'highlighting').length,
      verdicts: listVerdicts(doc).length,
    },
  };
}

export const EXPORT_FORMATS = ['md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  body: string | Uint8Array;
  contentType: string;
  fileName: string;
}

/** GET /api/sessions/<id>/export?format=…: the session exported from the server's copy of its document. */
export async function exportSession(
  services: Services,
  id: string,
  format: string | null,
  origin?: string,
): Promise<ExportFile> {
  const wanted = format ?? 'md';
  if (!(EXPORT_FORMATS as readonly string[]).includes(wanted)) {
    throw badRequest(`Unknown export format "${wanted}". Available: ${EXPORT_FORMATS.join(', ')}.`);
  }
  const { session, transcript } = await loadSession(services, id);
  const doc: Y.Doc = await services.rooms.readDocument(session.id);
  const markdown = sessionToMarkdown({
    sessionTitle: session.title,
    transcript: transcript.transcript,
    comments: listComments(doc),
    verdicts: listVerdicts(doc),
    sessionUrl: origin ? `${origin}/sessions/${session.id}` : undefined,
    exportedAt: new Date(),
  });
  return {
    body: markdown,
    contentType: 'text/markdown; charset=utf-8',
    fileName: exportFileName(session.title, transcript.transcript.date, 'md'),
  };
}
