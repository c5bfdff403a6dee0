import * as Y from 'yjs';

/**
 * The commentary document of a review session: comments, replies, highlights
 * and verdicts. This module owns every key name in the Y.Doc; nothing else in
 * the project calls `doc.getMap(...)` on it.
 *
 * Layout (schema version 1):
 *   meta       Y.Map  { schemaVersion: number }
 *   comments   Y.Map<commentId, Y.Map>  one nested map per comment, reply or
 *              highlight, so that concurrent edits of different fields (one
 *              analyst resolves while the author fixes a typo) both survive.
 *   verdicts   Y.Map<`${turnId}|${userId}`, Verdict>  one entry per analyst
 *              and answer: last writer wins, which is what "my verdict" means.
 */

export const COMMENTARY_SCHEMA_VERSION = 1;

const META = 'meta';
const COMMENTS = 'comments';
const VERDICTS = 'verdicts';
const SCHEMA_VERSION_KEY = 'schemaVersion';

/** Origin of changes made by this browser's user: what undo may reverse. */
export const LOCAL_ORIGIN = Symbol.for('parley.local');

export interface Author {
  id: string;
  name: string;
  color: string;
}

/**
 * A passage inside one turn's text, in the shape of the W3C TextPositionSelector
 * plus TextQuoteSelector. `start`/`end` are UTF-16 offsets into `Turn.text`
 * (converted to code points only when exported).
 */
export interface PassageTarget {
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
}

/** Why an annotation was made, in W3C motivation terms. */
export type Motivation = 'commenting' | 'highlighting';

export type CommentStatus = 'open' | 'resolved';

/** A comment, a reply (parentId set) or a highlight (motivation `highlighting`, empty body). */
export interface Comment {
  id: string;
  parentId: string | null;
  turnId: string;
  /** The passage commented on; null for a comment on the whole turn and for replies. */
  target: PassageTarget | null;
  motivation: Motivation;
  body: string;
  tags: string[];
  author: Author;
  createdAt: number;
  updatedAt: number;
  status: CommentStatus;
  resolvedBy: string | null;
}

/** A top-level comment with its replies, oldest first. */
export interface Thread {
  root: Comment;
  replies: Comment[];
}

export interface Verdict {
  turnId: string;
  userId: string;
  userName: string;
  value: string;
  reason: string;
  at: number;
}

/** A document written by a newer Parley than this one. */
export class SchemaVersionError extends Error {
  constructor(readonly found: number) {
    super(
      `This session was saved by a newer version of Parley (schema ${found}, this app reads ${COMMENTARY_SCHEMA_VERSION}). Reload the page to get the new version.`,
    );
    this.name = 'SchemaVersionError';
  }
}

/** A change that names a comment that does not exist (any more). */
export class MissingCommentError extends Error {
  constructor(readonly commentId: string) {
    super(`The comment ${commentId} no longer exists: someone may have deleted it.`);
    this.name = 'MissingCommentError';
  }
}

function commentsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(COMMENTS);
}

/**
 * The nested map of one comment, or null when the entry is missing or is not a
 * map at all (a peer can write anything into a shared document).
 */
function commentEntry(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  return asMap(commentsMap(doc).get(id));
}

function asMap(value: unknown): Y.Map<unknown> | null {
  return value instanceof Y.Map ? (value as Y.Map<unknown>) : null;
}

function verdictsMap(doc: Y.Doc): Y.Map<Verdict> {
  return doc.getMap<Verdict>(VERDICTS);
}

/** Runs `fn` as one Yjs transaction; `origin` decides whether undo may reverse it. */
export function transact<T>(doc: Y.Doc, fn: () => T, origin: unknown = LOCAL_ORIGIN): T {
  let result!: T;
  doc.transact(() => {
    result = fn();
  }, origin);
  return result;
}

/**
 * Checks the schema version and stamps it on a document that has none. Call it
 * once the document has synced: stamping an unsynced copy is harmless (the
 * value is the same everywhere) but a version check before sync sees nothing.
 */
export function ensureSchema(doc: Y.Doc): void {
  const meta = doc.getMap<number>(META);
  const found = meta.get(SCHEMA_VERSION_KEY);
  if (typeof found === 'number' && found > COMMENTARY_SCHEMA_VERSION) throw new SchemaVersionError(found);
  if (found !== COMMENTARY_SCHEMA_VERSION) {
    doc.transact(() => meta.set(SCHEMA_VERSION_KEY, COMMENTARY_SCHEMA_VERSION), null);
  }
}

/** The schema version stamped on the document, or null before anyone stamped it. */
export function schemaVersion(doc: Y.Doc): number | null {
  const v = doc.getMap<number>(META).get(SCHEMA_VERSION_KEY);
  return typeof v === 'number' ? v : null;
}

/** A random id that is unique enough for comments written concurrently by many analysts. */
export function newId(prefix = 'c'): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += b.toString(36).padStart(2, '0');
  return `${prefix}_${s}`;
}

function readComment(id: string, m: Y.Map<unknown>): Comment | null {
  const turnId = m.get('turnId');
  const author = m.get('author') as Author | undefined;
  // A half-written entry (a bad client) must not break everyone's pane.
  if (typeof turnId !== 'string' || !author || typeof author.id !== 'string') return null;
  const target = (m.get('target') as PassageTarget | null | undefined) ?? null;
  const tags = m.get('tags');
  return {
    id,
    parentId: (m.get('parentId') as string | null | undefined) ?? null,
    turnId,
    target,
    motivation: m.get('motivation') === 'highlighting' ? 'highlighting' : 'commenting',
    body: typeof m.get('body') === 'string' ? (m.get('body') as string) : '',
    tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
    author: { id: author.id, name: String(author.name ?? ''), color: String(author.color ?? '') },
    createdAt: Number(m.get('createdAt') ?? 0),
    updatedAt: Number(m.get('updatedAt') ?? 0),
    status: m.get('status') === 'resolved' ? 'resolved' : 'open',
    resolvedBy: (m.get('resolvedBy') as string | null | undefined) ?? null,
  };
}

/** Normalises user-typed tags: trimmed, no leading '#', no duplicates (case-insensitive), in order. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim().replace(/^#+/, '').replace(/\s+/g, ' ').slice(0, 40);
    if (!t || seen.has(t.toLowerCase())) continue;
    seen.add(t.toLowerCase());
    out.push(t);
  }
  return out;
}

export interface NewComment {
  turnId: string;
  target?: PassageTarget | null;
  motivation?: Motivation;
  body: string;
  tags?: string[];
  author: Author;
  /** For tests and imports; defaults to now. */
  at?: number;
  id?: string;
}

function writeComment(doc: Y.Doc, fields: Comment): void {
  const m = new Y.Map<unknown>();
  m.set('parentId', fields.parentId);
  m.set('turnId', fields.turnId);
  m.set('target', fields.target);
  m.set('motivation', fields.motivation);
  m.set('body', fields.body);
  m.set('tags', fields.tags);
  m.set('author', fields.author);
  m.set('createdAt', fields.createdAt);
  m.set('updatedAt', fields.updatedAt);
  m.set('status', fields.status);
  m.set('resolvedBy', fields.resolvedBy);
  commentsMap(doc).set(fields.id, m);
}

/** A new, open, unedited comment record from what the caller decides. */
function newRecord(
  id: string,
  fields: Pick<Comment, 'parentId' | 'turnId' | 'target' | 'motivation' | 'body' | 'author'> & { tags?: string[] },
  at = Date.now(),
): Comment {
  return { ...fields, id, tags: normaliseTags(fields.tags ?? []), createdAt: at, updatedAt: at, status: 'open', resolvedBy: null };
}

/** Adds a comment (or a highlight) on a turn or a passage of it; returns its id. */
export function addComment(doc: Y.Doc, input: NewComment, origin: unknown = LOCAL_ORIGIN): string {
  const motivation = input.motivation ?? 'commenting';
  const body = input.body.trim();
  if (motivation === 'commenting' && !body) throw new Error('A comment needs some text.');
  const id = input.id ?? newId(motivation === 'highlighting' ? 'h' : 'c');
  const fields = { parentId: null, turnId: input.turnId, target: input.target ?? null, motivation, body, tags: input.tags, author: input.author };
  transact(doc, () => writeComment(doc, newRecord(id, fields, input.at)), origin);
  return id;
}

/** Adds a reply to a top-level comment; returns its id. */
export function addReply(
  doc: Y.Doc,
  parentId: string,
  input: { body: string; author: Author; tags?: string[]; at?: number; id?: string },
  origin: unknown = LOCAL_ORIGIN,
): string {
  const body = input.body.trim();
  if (!body) throw new Error('A reply needs some text.');
  const parent = commentEntry(doc, parentId);
  const parentComment = parent ? readComment(parentId, parent) : null;
  if (!parentComment) throw new MissingCommentError(parentId);
  // Replies hang off the thread's root, never off another reply: threads stay flat.
  const rootId = parentComment.parentId ?? parentId;
  const id = input.id ?? newId('r');
  const fields = { parentId: rootId, turnId: parentComment.turnId, target: null, motivation: 'commenting' as const, body, tags: input.tags, author: input.author };
  transact(doc, () => writeComment(doc, newRecord(id, fields, input.at)), origin);
  return id;
}

/** Changes a comment's text and (when given) its tags. Only its author should be offered this. */
export function editComment(
  doc: Y.Doc,
  id: string,
  changes: { body?: string; tags?: string[] },
  origin: unknown = LOCAL_ORIGIN,
): void {
  const m = commentEntry(doc, id);
  if (!m) throw new MissingCommentError(id);
  transact(
    doc,
    () => {
      if (changes.body !== undefined) {
        const body = changes.body.trim();
        if (!body && m.get('motivation') !== 'highlighting') throw new Error('A comment needs some text.');
        m.set('body', body);
      }
      if (changes.tags !== undefined) m.set('tags', normaliseTags(changes.tags));
      m.set('updatedAt', Date.now());
    },
    origin,
  );
}

/**
 * Replaces a comment's tags without marking it edited: for codebook changes
 * (rename, merge) that rewrite tags on many comments at once.
 */
export function setTags(doc: Y.Doc, id: string, tags: readonly string[], origin: unknown = LOCAL_ORIGIN): void {
  const m = commentEntry(doc, id);
  if (!m) throw new MissingCommentError(id);
  transact(doc, () => m.set('tags', normaliseTags(tags)), origin);
}

/** Deletes a comment; deleting a thread's first comment deletes its replies with it. */
export function deleteComment(doc: Y.Doc, id: string, origin: unknown = LOCAL_ORIGIN): void {
  const comments = commentsMap(doc);
  if (!comments.has(id)) return;
  transact(
    doc,
    () => {
      for (const [otherId, value] of comments) {
        if (asMap(value)?.get('parentId') === id) comments.delete(otherId);
      }
      comments.delete(id);
    },
    origin,
  );
}

/** Resolves or reopens a thread. */
export function setResolved(
  doc: Y.Doc,
  id: string,
  resolved: boolean,
  byUserId: string,
  origin: unknown = LOCAL_ORIGIN,
): void {
  const m = commentEntry(doc, id);
  if (!m) throw new MissingCommentError(id);
  transact(
    doc,
    () => {
      m.set('status', resolved ? 'resolved' : 'open');
      m.set('resolvedBy', resolved ? byUserId : null);
    },
    origin,
  );
}

/** Every comment, reply and highlight, oldest first. */
export function listComments(doc: Y.Doc): Comment[] {
  const out: Comment[] = [];
  for (const [id, value] of commentsMap(doc)) {
    const m = asMap(value);
    const c = m ? readComment(id, m) : null;
    if (c) out.push(c);
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** One comment by id, or null. */
export function getComment(doc: Y.Doc, id: string): Comment | null {
  const m = commentEntry(doc, id);
  return m ? readComment(id, m) : null;
}

/**
 * Groups comments into threads in transcript order: by the turn's position in
 * `turnOrder`, then by where the passage starts (whole-turn comments first),
 * then by time. Replies whose root is gone are dropped (their thread was deleted).
 */
export function threadsOf(comments: readonly Comment[], turnOrder: ReadonlyMap<string, number>): Thread[] {
  const roots = new Map<string, Thread>();
  for (const c of comments) if (!c.parentId) roots.set(c.id, { root: c, replies: [] });
  for (const c of comments) {
    if (c.parentId) roots.get(c.parentId)?.replies.push(c);
  }
  const pos = (t: Thread) => turnOrder.get(t.root.turnId) ?? Number.MAX_SAFE_INTEGER;
  return [...roots.values()].sort(
    (a, b) =>
      pos(a) - pos(b) ||
      (a.root.target?.start ?? -1) - (b.root.target?.start ?? -1) ||
      a.root.createdAt - b.root.createdAt,
  );
}

/** Calls `fn` after every change to comments or verdicts; returns the unsubscribe function. */
export function observeCommentary(doc: Y.Doc, fn: (tx: Y.Transaction) => void): () => void {
  const comments = commentsMap(doc);
  const verdicts = verdictsMap(doc);
  const onComments = (_e: Y.YEvent<Y.AbstractType<unknown>>[], tx: Y.Transaction) => fn(tx);
  const onVerdicts = (_e: Y.YMapEvent<Verdict>, tx: Y.Transaction) => fn(tx);
  comments.observeDeep(onComments);
  verdicts.observe(onVerdicts);
  return () => {
    comments.unobserveDeep(onComments);
    verdicts.unobserve(onVerdicts);
  };
}

/** Sets (or, with an empty value, withdraws) one analyst's verdict on an answer. */
export function setVerdict(
  doc: Y.Doc,
  input: { turnId: string; userId: string; userName: string; value: string; reason?: string },
  origin: unknown = LOCAL_ORIGIN,
): void {
  const key = `${input.turnId}|${input.userId}`;
  transact(
    doc,
    () => {
      if (!input.value) verdictsMap(doc).delete(key);
      else
        verdictsMap(doc).set(key, {
          turnId: input.turnId,
          userId: input.userId,
          userName: input.userName,
          value: input.value,
          reason: (input.reason ?? '').trim().slice(0, 200),
          at: Date.now(),
        });
    },
    origin,
  );
}

/** Every verdict in the session. */
export function listVerdicts(doc: Y.Doc): Verdict[] {
  return [...verdictsMap(doc).values()].filter((v) => v && typeof v.turnId === 'string');
}

/** The team's tally for one answer: verdict value to count. */
export function verdictTally(verdicts: readonly Verdict[], turnId: string): Map<string, number> {
  const tally = new Map<string, number>();
  for (const v of verdicts) if (v.turnId === turnId) tally.set(v.value, (tally.get(v.value) ?? 0) + 1);
  return tally;
}

/**
 * Writes a complete comment record as given, keeping its id, times, status and
 * author: for imports, which must give back what was exported. A comment with
 * the same id is replaced, so importing the same file twice changes nothing.
 */
export function importComment(doc: Y.Doc, comment: Comment, origin: unknown = LOCAL_ORIGIN): void {
  transact(
    doc,
    () =>
      writeComment(doc, {
        ...comment,
        // Copies: a Y.Map must not share objects with the caller's data.
        target: comment.target ? { ...comment.target } : null,
        tags: [...comment.tags],
        author: { ...comment.author },
      }),
    origin,
  );
}

/** Writes one analyst's verdict as given, keeping its time: for imports. */
export function importVerdict(doc: Y.Doc, verdict: Verdict, origin: unknown = LOCAL_ORIGIN): void {
  transact(doc, () => verdictsMap(doc).set(`${verdict.turnId}|${verdict.userId}`, { ...verdict }), origin);
}

/**
 * Writes imported comments and verdicts in one transaction, so peers and the
 * store get the whole import as one update. What the session already has (a
 * comment with the same id, a verdict by the same analyst on the same answer)
 * is left as it is: an import adds work and never overwrites someone's later
 * edits, and importing one file twice adds nothing the second time. Returns
 * what was written. Validate first (importAnnotations): a Yjs transaction does
 * not roll back what ran before an exception.
 */
export function importCommentary(
  doc: Y.Doc,
  imported: { comments: readonly Comment[]; verdicts: readonly Verdict[] },
  origin: unknown = LOCAL_ORIGIN,
): { comments: Comment[]; verdicts: Verdict[] } {
  const written = { comments: [] as Comment[], verdicts: [] as Verdict[] };
  transact(
    doc,
    () => {
      const comments = commentsMap(doc);
      const verdicts = verdictsMap(doc);
      for (const c of imported.comments) {
        if (comments.has(c.id)) continue;
        importComment(doc, c, origin);
        written.comments.push(c);
      }
      for (const v of imported.verdicts) {
        if (verdicts.has(`${v.turnId}|${v.userId}`)) continue;
        importVerdict(doc, v, origin);
        written.verdicts.push(v);
      }
    },
    origin,
  );
  return written;
}

/**
 * The shared types an analyst's undo may reverse. Pair it with
 * `trackedOrigins: new Set([LOCAL_ORIGIN])` so undo never reverts another analyst's work.
 */
export function commentaryUndoScope(doc: Y.Doc): Array<Y.Map<unknown> | Y.Map<Verdict>> {
  return [commentsMap(doc), verdictsMap(doc)];
}
