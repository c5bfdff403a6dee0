import { randomBytes } from 'node:crypto';
import { DOCX_MIME, extensionOf, formatBytes, ImportError, parseTranscriptFile } from '../../lib/transcript/detect';
import { PARAGRAPH_SEPARATOR, type Exchange, type Speaker, type SpeakerRole, type Transcript, type Turn, type TurnKind } from '../../lib/transcript/types';
import type { Services } from '../services';
import type { TranscriptSummary } from './handlers';
import { ApiError, badRequest } from './errors';

/**
 * Importing transcripts: a preview of an uploaded file (parsed, not stored) and
 * the import of a previewed, possibly corrected transcript. The browser parses
 * text files itself and sends the result; the server trusts none of it and
 * checks every field, id and reference before anything is stored.
 */

const ROLES: readonly SpeakerRole[] = ['asks', 'answers', 'moderates'];
const KINDS: readonly TurnKind[] = ['statement', 'question', 'answer', 'remark'];

/** Bounds of a transcript the server stores; far above any real transcript, low enough to keep one from hurting the server. */
export const TRANSCRIPT_LIMITS = {
  title: 300,
  date: 100,
  place: 200,
  source: 200,
  speakers: 2_000,
  label: 120,
  turns: 200_000,
  note: 2_000,
  topic: 300,
  id: 32,
  /** Longest start time: a week, in seconds. */
  start: 7 * 24 * 3600,
} as const;

/** Problems listed in one 400 answer; more would bury the first ones. */
const MAX_PROBLEMS = 20;

/** A 400 that lists every problem found in a transcript. */
export class InvalidTranscriptError extends ApiError {
  constructor(readonly problems: string[]) {
    super(
      400,
      'invalid_transcript',
      `The transcript is not valid (${problems.length === MAX_PROBLEMS ? `at least ${MAX_PROBLEMS}` : problems.length} ${
        problems.length === 1 ? 'problem' : 'problems'
      }): ${problems.join('; ')}`,
    );
  }
}

/** What POST /api/transcripts answers: the stored transcript in brief (as GET lists it, without the session count). */
export type ImportedTranscript = Omit<TranscriptSummary, 'sessionCount'>;

type Problems = { list: string[]; add(path: string, message: string): void; full(): boolean };

function problems(): Problems {
  const list: string[] = [];
  return {
    list,
    add(path, message) {
      if (list.length < MAX_PROBLEMS) list.push(`${path}: ${message}`);
    },
    full: () => list.length >= MAX_PROBLEMS,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// Control characters other than tab and newline have no place in a transcript and break exports.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function checkString(p: Problems, path: string, v: unknown, max: number, opts: { empty?: boolean; lines?: boolean } = {}): v is string {
  if (typeof v !== 'string') {
    p.add(path, 'must be a string');
    return false;
  }
  if (!opts.empty && v.trim() === '') p.add(path, 'must not be empty');
  else if (v.length > max) p.add(path, `is ${v.length} characters long; at most ${max}`);
  else if (CONTROL.test(v) || (!opts.lines && /[\r\n]/.test(v))) p.add(path, opts.lines ? 'contains control characters' : 'must be one line without control characters');
  else return true;
  return false;
}

function checkNullableString(p: Problems, path: string, v: unknown, max: number): boolean {
  return v === null || checkString(p, path, v, max);
}

/**
 * Checks a transcript sent by a client and returns a clean copy (only the known
 * fields), or throws InvalidTranscriptError listing what is wrong.
 * `maxChars` bounds the total length of the spoken text.
 */
export function validateTranscript(value: unknown, maxChars: number): Transcript {
  const p = problems();
  if (!isObject(value)) throw new InvalidTranscriptError(['transcript: must be an object with title, date, place, speakers, turns and exchanges']);
  const t = value;
  checkString(p, 'title', t.title, TRANSCRIPT_LIMITS.title);
  checkNullableString(p, 'date', t.date, TRANSCRIPT_LIMITS.date);
  checkNullableString(p, 'place', t.place, TRANSCRIPT_LIMITS.place);

  // Speakers.
  const roles = new Map<string, SpeakerRole>();
  const declaredTurns = new Map<string, unknown>();
  if (!Array.isArray(t.speakers) || t.speakers.length === 0) p.add('speakers', 'must be a non-empty array');
  else if (t.speakers.length > TRANSCRIPT_LIMITS.speakers) p.add('speakers', `has ${t.speakers.length} entries; at most ${TRANSCRIPT_LIMITS.speakers}`);
  else {
    t.speakers.forEach((s: unknown, i) => {
      const path = `speakers[${i}]`;
      if (!isObject(s)) return p.add(path, 'must be an object with label, name, role and turns');
      const labelOk = checkString(p, `${path}.label`, s.label, TRANSCRIPT_LIMITS.label);
      checkString(p, `${path}.name`, s.name, TRANSCRIPT_LIMITS.label);
      if (!ROLES.includes(s.role as SpeakerRole)) p.add(`${path}.role`, `must be one of ${ROLES.join(', ')}`);
      if (!Number.isSafeInteger(s.turns) || (s.turns as number) < 1) p.add(`${path}.turns`, 'must be a whole number of at least 1');
      if (labelOk) {
        const label = s.label as string;
        if (roles.has(label)) p.add(`${path}.label`, `"${label}" is listed twice`);
        roles.set(label, s.role as SpeakerRole);
        declaredTurns.set(label, s.turns);
      }
    });
  }

  // Turns.
  const turnIds = new Map<string, { index: number; kind: unknown }>();
  const counted = new Map<string, number>();
  let chars = 0;
  if (!Array.isArray(t.turns) || t.turns.length === 0) p.add('turns', 'must be a non-empty array');
  else if (t.turns.length > TRANSCRIPT_LIMITS.turns) p.add('turns', `has ${t.turns.length} entries; at most ${TRANSCRIPT_LIMITS.turns}`);
  else {
    for (let i = 0; i < t.turns.length && !p.full(); i++) {
      const turn: unknown = t.turns[i];
      const path = `turns[${i}]`;
      if (!isObject(turn)) {
        p.add(path, 'must be an object');
        continue;
      }
      if (typeof turn.id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(turn.id) || turn.id.length > TRANSCRIPT_LIMITS.id) {
        p.add(`${path}.id`, `must be a string of letters, digits, "_" or "-" (at most ${TRANSCRIPT_LIMITS.id})`);
      } else if (turnIds.has(turn.id)) p.add(`${path}.id`, `"${turn.id}" is used by turns[${turnIds.get(turn.id)!.index}] too`);
      else turnIds.set(turn.id, { index: i, kind: turn.kind });
      if (turn.index !== i) p.add(`${path}.index`, `must be ${i}, its position in turns`);
      if (typeof turn.speaker !== 'string' || !roles.has(turn.speaker)) p.add(`${path}.speaker`, 'must be the label of one of the speakers');
      else counted.set(turn.speaker, (counted.get(turn.speaker) ?? 0) + 1);
      if (!KINDS.includes(turn.kind as TurnKind)) p.add(`${path}.kind`, `must be one of ${KINDS.join(', ')}`);
      else if (typeof turn.speaker === 'string' && roles.has(turn.speaker)) {
        const asks = roles.get(turn.speaker) === 'asks';
        if (asks !== (turn.kind === 'question')) p.add(`${path}.kind`, asks ? 'must be "question": its speaker asks' : 'cannot be "question": its speaker does not ask');
      }
      checkNullableString(p, `${path}.note`, turn.note, TRANSCRIPT_LIMITS.note);
      if (turn.start !== null && (typeof turn.start !== 'number' || !Number.isFinite(turn.start) || turn.start < 0 || turn.start > TRANSCRIPT_LIMITS.start)) {
        p.add(`${path}.start`, 'must be null or a number of seconds from 0');
      }
      if (!Array.isArray(turn.paragraphs)) {
        p.add(`${path}.paragraphs`, 'must be an array of strings');
        continue;
      }
      const paragraphsOk = turn.paragraphs.every((para: unknown, j) => {
        if (typeof para !== 'string' || para.trim() === '' || para.includes(PARAGRAPH_SEPARATOR) || CONTROL.test(para)) {
          p.add(`${path}.paragraphs[${j}]`, 'must be non-empty text without blank lines or control characters');
          return false;
        }
        return true;
      });
      if (typeof turn.text !== 'string') p.add(`${path}.text`, 'must be a string');
      else {
        chars += turn.text.length;
        if (paragraphsOk && turn.text !== turn.paragraphs.join(PARAGRAPH_SEPARATOR)) {
          p.add(`${path}.text`, 'must be its paragraphs joined by a blank line');
        }
        if (turn.text === '' && turn.note === null) p.add(path, 'has neither text nor a note');
      }
    }
    if (chars > maxChars) p.add('turns', `hold ${chars} characters of text; at most ${maxChars}`);
    for (const [label, n] of declaredTurns) {
      const actual = counted.get(label) ?? 0;
      if (Number.isSafeInteger(n) && n !== actual && !p.full()) p.add('speakers', `"${label}" is said to have ${String(n)} turns but has ${actual}`);
    }
  }

  // Exchanges.
  const claimed = new Map<string, string>();
  const claim = (id: string, path: string) => {
    if (claimed.has(id)) p.add(path, `turn "${id}" already belongs to ${claimed.get(id)}`);
    claimed.set(id, path);
  };
  const exchangeIds = new Set<string>();
  if (!Array.isArray(t.exchanges)) p.add('exchanges', 'must be an array');
  else {
    for (let i = 0; i < t.exchanges.length && !p.full(); i++) {
      const x: unknown = t.exchanges[i];
      const path = `exchanges[${i}]`;
      if (!isObject(x)) {
        p.add(path, 'must be an object');
        continue;
      }
      if (typeof x.id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(x.id) || x.id.length > TRANSCRIPT_LIMITS.id) p.add(`${path}.id`, 'must be a short id');
      else if (exchangeIds.has(x.id)) p.add(`${path}.id`, `"${x.id}" is used twice`);
      else exchangeIds.add(x.id);
      if (x.number !== i + 1) p.add(`${path}.number`, `must be ${i + 1}`);
      checkString(p, `${path}.topic`, x.topic, TRANSCRIPT_LIMITS.topic);
      let at = -1;
      if (typeof x.question !== 'string' || !turnIds.has(x.question)) p.add(`${path}.question`, 'must be the id of a turn');
      else {
        const q = turnIds.get(x.question)!;
        if (q.kind !== 'question') p.add(`${path}.question`, `turn "${x.question}" is not a question`);
        at = q.index;
        claim(x.question, path);
      }
      if (!Array.isArray(x.answers)) p.add(`${path}.answers`, 'must be an array of turn ids');
      else {
        for (const [j, id] of x.answers.entries()) {
          if (typeof id !== 'string' || !turnIds.has(id)) {
            p.add(`${path}.answers[${j}]`, 'must be the id of a turn');
            continue;
          }
          const index = turnIds.get(id)!.index;
          if (index <= at) p.add(`${path}.answers[${j}]`, `turn "${id}" must come after the one before it`);
          at = index;
          claim(id, path);
        }
      }
    }
  }

  if (p.list.length > 0) throw new InvalidTranscriptError(p.list);

  // A clean copy: only the known fields are stored, whatever else the client sent.
  const speakers: Speaker[] = (t.speakers as Speaker[]).map((s) => ({ label: s.label, name: s.name, role: s.role, turns: s.turns }));
  const turns: Turn[] = (t.turns as Turn[]).map((turn) => ({
    id: turn.id,
    index: turn.index,
    speaker: turn.speaker,
    kind: turn.kind,
    text: turn.text,
    paragraphs: [...turn.paragraphs],
    note: turn.note,
    start: turn.start,
  }));
  const exchanges: Exchange[] = (t.exchanges as Exchange[]).map((x) => ({
    id: x.id,
    number: x.number,
    question: x.question,
    answers: [...x.answers],
    topic: x.topic,
  }));
  return { title: (t.title as string).trim(), date: t.date as string | null, place: t.place as string | null, speakers, turns, exchanges };
}

/** The largest JSON body POST /api/transcripts reads: the text appears twice (text and paragraphs), plus JSON's escaping. */
export function maxImportBodyBytes(services: Services): number {
  return services.config.maxImportBytes * 4 + 1024 * 1024;
}

/**
 * A random id the store accepts: its rule wants a letter or digit first, which a
 * random base64url string lacks one time in 32.
 */
function newTranscriptId(): string {
  for (;;) {
    const id = randomBytes(12).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

/** POST /api/transcripts: stores a previewed (and perhaps corrected) transcript. */
export async function createTranscript(services: Services, body: Record<string, unknown>): Promise<ImportedTranscript> {
  const { source } = body;
  if (typeof source !== 'string' || source.trim() === '' || source.length > TRANSCRIPT_LIMITS.source || CONTROL.test(source)) {
    throw badRequest(`"source" is required: where the transcript came from, such as its file name or "pasted" (at most ${TRANSCRIPT_LIMITS.source} characters).`);
  }
  if (body.transcript === undefined) throw badRequest('"transcript" is required: the transcript as the preview shows it.');
  const transcript = validateTranscript(body.transcript, services.config.maxImportBytes);
  // Only the file's name: a path from the client's machine is nobody's business here.
  const cleanSource = source.replace(/^.*[\\/]/, '').replace(/\s+/g, ' ').trim() || 'pasted';
  const stored = await services.store.addTranscript({ id: newTranscriptId(), transcript, source: cleanSource });
  return {
    id: stored.id,
    title: transcript.title,
    date: transcript.date,
    place: transcript.place,
    source: stored.source,
    createdAt: stored.createdAt,
    turns: transcript.turns.length,
    exchanges: transcript.exchanges.length,
    speakers: transcript.speakers.map((s) => s.name),
  };
}

const TEXT_TYPES: Record<string, string> = {
  'text/plain': '.txt',
  'text/markdown': '.md',
  'text/x-markdown': '.md',
  'text/vtt': '.vtt',
  'application/x-subrip': '.srt',
  'application/srt': '.srt',
  'text/srt': '.srt',
  [DOCX_MIME]: '.docx',
};

/** Reads a request body up to `limit` bytes, stopping (and answering 413) as soon as it goes over. */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number, declared: number | null): Promise<Uint8Array> {
  const tooLarge = () =>
    new ApiError(413, 'too_large', `The file is over the ${formatBytes(limit)} limit: split it, or ask your administrator to raise PARLEY_MAX_IMPORT_BYTES.`);
  if (declared !== null && declared > limit) throw tooLarge();
  if (!body) throw badRequest('The request has no body: send the file itself as the body.');
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * POST /api/transcripts/preview: parses an uploaded file (the body is the file,
 * its content type the file's; `name` the file name) and returns the transcript
 * without storing it. Word documents need this; text files the browser parses itself.
 */
export async function previewTranscript(
  services: Services,
  input: { body: ReadableStream<Uint8Array> | null; contentType: string | null; contentLength: string | null; name: string | null },
): Promise<{ transcript: Transcript }> {
  const type = (input.contentType ?? '').split(';')[0].trim().toLowerCase();
  const name = (input.name ?? '').replace(/^.*[\\/]/, '').trim().slice(0, TRANSCRIPT_LIMITS.source);
  if (type !== '' && type !== 'application/octet-stream' && !(type in TEXT_TYPES)) {
    throw new ApiError(415, 'unsupported_type', `Cannot read a "${type}" file: send a .docx, .txt, .md, .vtt or .srt file.`);
  }
  // The name's extension says more than a content type, which browsers often leave empty or generic.
  const ext = (name ? extensionOf(name) : '') || TEXT_TYPES[type] || '';
  if (!ext) {
    throw new ApiError(415, 'unsupported_type', 'Cannot tell what kind of file this is: send it with its content type, or add ?name=<file name>.');
  }
  const declared = input.contentLength !== null && /^\d+$/.test(input.contentLength) ? Number(input.contentLength) : null;
  const bytes = await readLimited(input.body, services.config.maxImportBytes, declared);
  const fileName = name && extensionOf(name) === ext ? name : `upload${ext}`;
  try {
    const transcript =
      // mammoth is loaded on the first Word file, not at start (it is large).
      ext === '.docx' ? await (await import('../import/docx')).parseDocx(bytes, fileName, services.config.maxImportBytes) : parseTranscriptFile(bytes, fileName, services.config.maxImportBytes);
    return { transcript };
  } catch (err) {
    if (err instanceof ImportError) throw new ApiError(err.status, err.status === 413 ? 'too_large' : err.status === 415 ? 'unsupported_type' : 'unreadable', err.message);
    if (err instanceof Error && err.name === 'TranscriptParseError') throw new ApiError(400, 'unreadable', err.message);
    throw err;
  }
}
