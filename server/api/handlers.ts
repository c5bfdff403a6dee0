import type * as Y from 'yjs';
import { briefRoom, readBrief } from '../../lib/doc/brief';
import { importCommentary, listComments, listVerdicts } from '../../lib/doc/commentary';
import { sessionToCsv } from '../../lib/export/csv';
import { sessionToHtml } from '../../lib/export/html';
import { sessionToJsonLd } from '../../lib/export/jsonld';
import { AnnotationImportError, importAnnotations, importCounts } from '../../lib/export/jsonld-import';
import { exportFileName, sessionToMarkdown, type SessionExportInput } from '../../lib/export/markdown';
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
  /** How many review sessions exist on it: sessions themselves are reachable only by their links. */
  sessionCount: number;
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
    sessionCount: sessions.filter((s) => s.transcriptId === t.id).length,
  };
}

/** GET /api/transcripts: every transcript with a count of the review sessions on it. */
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

export const EXPORT_FORMATS = ['md', 'html', 'docx', 'pdf', 'csv', 'jsonld'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Content type and file extension of each export format. */
export const EXPORT_TYPES: Record<ExportFormat, { contentType: string; ext: string }> = {
  md: { contentType: 'text/markdown; charset=utf-8', ext: 'md' },
  html: { contentType: 'text/html; charset=utf-8', ext: 'html' },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx' },
  pdf: { contentType: 'application/pdf', ext: 'pdf' },
  csv: { contentType: 'text/csv; charset=utf-8', ext: 'csv' },
  jsonld: { contentType: 'application/ld+json; charset=utf-8', ext: 'jsonld' },
};

export interface ExportFile {
  body: string | Uint8Array;
  contentType: string;
  fileName: string;
}

function isExportFormat(format: string): format is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(format);
}

/**
 * GET /api/sessions/<id>/export?format=…: the session (brief and commentary) exported
 * from the server's copies of its two documents.
 */
export async function exportSession(
  services: Services,
  id: string,
  format: string | null,
  origin?: string,
): Promise<ExportFile> {
  const wanted = format ?? 'md';
  if (!isExportFormat(wanted)) {
    throw badRequest(`Unknown export format "${wanted}". Available: ${EXPORT_FORMATS.join(', ')}.`);
  }
  const { session, transcript } = await loadSession(services, id);
  const [doc, briefDoc]: Y.Doc[] = await Promise.all([
    services.rooms.readDocument(session.id),
    services.rooms.readDocument(briefRoom(session.id)),
  ]);
  const input: SessionExportInput = {
    sessionTitle: session.title,
    transcript: transcript.transcript,
    comments: listComments(doc),
    verdicts: listVerdicts(doc),
    brief: readBrief(briefDoc),
    sessionUrl: origin ? `${origin}/sessions/${session.id}` : undefined,
    exportedAt: new Date(),
  };
  const body = await renderExport(wanted, input, { sessionId: session.id, transcriptId: session.transcriptId, origin });
  return {
    body,
    contentType: EXPORT_TYPES[wanted].contentType,
    fileName: exportFileName(session.title, transcript.transcript.date, EXPORT_TYPES[wanted].ext),
  };
}

async function renderExport(
  format: ExportFormat,
  input: SessionExportInput,
  ids: { sessionId: string; transcriptId: string; origin?: string },
): Promise<string | Uint8Array> {
  switch (format) {
    case 'md':
      return sessionToMarkdown(input);
    case 'html':
      return sessionToHtml(input);
    // Word and PDF pull in large libraries (docx, pdfkit and its fonts): loaded on
    // the first such export rather than at start, which keeps an idle server lean.
    case 'docx':
      return (await import('../../lib/export/docx')).sessionToDocx(input);
    case 'pdf':
      return (await import('../../lib/export/pdf')).sessionToPdf(input);
    case 'csv':
      return sessionToCsv(input);
    case 'jsonld':
      return `${JSON.stringify(sessionToJsonLd(input, ids), null, 2)}\n`;
  }
}

/** Origin of server-side imports: not a connection, so the room sends the update to every client. */
const IMPORT_ORIGIN = Symbol.for('parley.import');

export interface ImportResult {
  imported: { comments: number; replies: number; highlights: number; verdicts: number };
  /** Annotations the session already had (same comment id, or the same analyst's verdict on that answer): left as they were. */
  skipped: number;
}

/**
 * POST /api/sessions/<id>/annotations/import: a W3C Web Annotation collection
 * (as the JSON-LD export writes it) checked against the session's transcript,
 * then added to the live commentary document in one transaction. Any problem
 * answers 400 and changes nothing.
 */
export async function importSessionAnnotations(services: Services, id: string, raw: string): Promise<ImportResult> {
  const { session, transcript } = await loadSession(services, id);
  if (!raw.trim()) throw badRequest('The request body is empty: send the JSON-LD annotation collection.');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest('The request body is not valid JSON: send the JSON-LD annotation collection as exported.');
  }
  let imported;
  try {
    imported = importAnnotations(value, transcript.transcript);
  } catch (err) {
    if (err instanceof AnnotationImportError) throw badRequest(err.message);
    throw err;
  }
  // withRoom loads the room and holds it open: an update applied to a doc the manager has
  // meanwhile unloaded (or to readDocument's detached copy) would reach no store and no client.
  const written = await services.rooms.withRoom(session.id, async (room) => {
    const result = importCommentary(room.doc, imported, IMPORT_ORIGIN);
    // Answer only once the import is on disk; a failed write stays queued in the room and is retried.
    await room.flush();
    return result;
  });
  const total = imported.comments.length + imported.verdicts.length;
  return {
    imported: importCounts(written),
    skipped: total - written.comments.length - written.verdicts.length,
  };
}
