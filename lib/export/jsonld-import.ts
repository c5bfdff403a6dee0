import type { Comment, CommentStatus, PassageTarget, Verdict } from '../doc/commentary';
import { normaliseTags } from '../doc/commentary';
import { locatePassage, QUOTE_CONTEXT } from '../anchor/passage';
import type { Transcript, Turn } from '../transcript/types';
import { ANNO_CONTEXT } from './jsonld';

/**
 * Reads a W3C Web Annotation collection (as `sessionToJsonLd` writes it, or
 * from another tool that targets the same transcript) back into Parley's
 * comments and verdicts. Everything is checked before anything is returned:
 * the caller applies all of it or, on an error, none of it.
 */

/** Why a collection cannot be imported; `problems` lists each one with the item it is in. */
export class AnnotationImportError extends Error {
  constructor(readonly problems: string[]) {
    const shown = problems.slice(0, 5).join(' ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more problems)` : '';
    super(`The annotations cannot be imported: ${shown}${more}`);
    this.name = 'AnnotationImportError';
  }
}

/** What an import yields, ready for `importCommentary`. */
export interface ImportedAnnotations {
  comments: Comment[];
  verdicts: Verdict[];
}

/** The most annotations one import takes; a bigger file is almost certainly not a session's. */
export const MAX_IMPORT_ITEMS = 50_000;

const ID_PATTERN = /^[A-Za-z0-9_.~-]{1,100}$/;
const MAX_TEXT = 20_000;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function asArray(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

function hasType(v: Json, type: string): boolean {
  return asArray(v.type).includes(type);
}

/** The UTF-16 offset of a code-point offset: the inverse of toCodePointOffset. */
function fromCodePointOffset(text: string, codePoints: number): number {
  let i = 0;
  for (let n = 0; n < codePoints && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}

/** The last segment of an IRI (`…/annotations/c_123` or `urn:…:c_123`), decoded. */
function lastSegment(iri: string): string {
  const m = /([^/:#?]+)$/.exec(iri);
  if (!m) return '';
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

/** The user id inside `urn:parley:user:<id>`, or the whole IRI for another tool's agent. */
function userIdOf(iri: string): string {
  const m = /^urn:parley:user:(.+)$/.exec(iri);
  if (!m) return iri;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

function timeOf(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v);
  // Date.parse accepts loose forms; the model asks for xsd:dateTime, which always has a `T`.
  return Number.isFinite(ms) && /^\d{4}-\d{2}-\d{2}T/.test(v) ? ms : null;
}

interface TextualBodyIn {
  purpose: string | null;
  value: string;
}

function textualBodies(a: Json): TextualBodyIn[] {
  const out: TextualBodyIn[] = [];
  if (typeof a.bodyValue === 'string') out.push({ purpose: null, value: a.bodyValue });
  for (const b of asArray(a.body)) {
    // A body that is a link to elsewhere (an IRI or an external resource) has no text Parley can keep.
    if (!isObject(b) || typeof b.value !== 'string') continue;
    if (b.type !== undefined && !hasType(b, 'TextualBody')) continue;
    const purpose = asArray(b.purpose).find((p): p is string => typeof p === 'string') ?? null;
    out.push({ purpose, value: b.value });
  }
  return out;
}

interface Parsed {
  index: number;
  iri: string;
  id: string;
  motivation: string;
  json: Json;
}

/**
 * Validates a W3C Web Annotation collection against a transcript and returns
 * Parley's comments (with replies and highlights) and verdicts, losslessly for
 * a collection Parley exported. Throws AnnotationImportError listing every
 * problem: not a collection, a missing target, an unknown turn, a passage that
 * is not in its turn, a reply to an annotation that is not in the file.
 */
export function importAnnotations(collection: unknown, transcript: Transcript): ImportedAnnotations {
  const problems: string[] = [];
  if (!isObject(collection) || !hasType(collection, 'AnnotationCollection')) {
    throw new AnnotationImportError([
      'The file is not a W3C Web Annotation collection: expected a JSON object with "type": "AnnotationCollection" (as Parley\'s JSON-LD export writes).',
    ]);
  }
  const ctx = asArray(collection['@context']);
  if (!ctx.includes(ANNO_CONTEXT)) {
    problems.push(`The collection's "@context" must include "${ANNO_CONTEXT}".`);
  }
  const first = collection.first;
  if (typeof first === 'string') {
    throw new AnnotationImportError([
      'The collection refers to its first page by IRI; Parley imports a collection whose pages are embedded (as its export writes them).',
    ]);
  }
  const items: unknown[] = [];
  // Follow embedded `next` pages as well; a page given only by IRI cannot be fetched here.
  for (let page: unknown = first, n = 0; page !== undefined && page !== null; n++) {
    if (!isObject(page) || !hasType(page, 'AnnotationPage') || !Array.isArray(page.items)) {
      throw new AnnotationImportError([`Page ${n + 1} of the collection is not an AnnotationPage with an "items" array.`]);
    }
    items.push(...page.items);
    if (items.length > MAX_IMPORT_ITEMS) {
      throw new AnnotationImportError([`The collection holds more than ${MAX_IMPORT_ITEMS} annotations; split it into smaller files.`]);
    }
    if (typeof page.next === 'string') {
      throw new AnnotationImportError([`Page ${n + 1} links to its next page by IRI; embed every page to import them.`]);
    }
    page = page.next;
  }
  if (typeof collection.total === 'number' && collection.total !== items.length) {
    problems.push(
      `The collection says it holds ${collection.total} annotations but has ${items.length}: the file may be cut short.`,
    );
  }

  const turns = new Map(transcript.turns.map((t) => [t.id, t]));
  const where = (p: { index: number; iri?: string }) => `Annotation ${p.index + 1}${p.iri ? ` (${p.iri})` : ''}`;

  // First pass: ids, so that replies can name parents listed after them.
  const parsed: Parsed[] = [];
  const byIri = new Map<string, Parsed>();
  const usedIds = new Set<string>();
  items.forEach((item, index) => {
    if (!isObject(item) || !hasType(item, 'Annotation')) {
      problems.push(`Item ${index + 1} is not an Annotation ("type": "Annotation").`);
      return;
    }
    if (typeof item.id !== 'string' || !item.id) {
      problems.push(`Annotation ${index + 1} has no "id".`);
      return;
    }
    const motivation = asArray(item.motivation).find((m): m is string => typeof m === 'string') ?? 'commenting';
    const id = lastSegment(item.id);
    const p: Parsed = { index, iri: item.id, id, motivation, json: item };
    if (byIri.has(item.id)) {
      problems.push(`${where(p)} appears twice in the file.`);
      return;
    }
    byIri.set(item.id, p);
    if (motivation === 'assessing') {
      parsed.push(p);
      return;
    }
    if (!ID_PATTERN.test(id) || usedIds.has(id)) {
      problems.push(`${where(p)}: its id must end in a unique name of letters, digits, "_", "-", "." or "~".`);
      return;
    }
    usedIds.add(id);
    parsed.push(p);
  });

  const turnOf = (iri: unknown, p: Parsed): Turn | null => {
    if (typeof iri !== 'string' || !iri.includes('#')) {
      problems.push(`${where(p)}: its target must name a turn of the transcript as "<transcript IRI>#<turn id>".`);
      return null;
    }
    let turnId = iri.slice(iri.lastIndexOf('#') + 1);
    try {
      turnId = decodeURIComponent(turnId);
    } catch {
      // A malformed escape: compare the raw text, which will simply not match a turn.
    }
    const turn = turns.get(turnId);
    if (!turn) problems.push(`${where(p)}: it targets turn "${turnId}", which this transcript does not have.`);
    return turn ?? null;
  };

  const creatorOf = (p: Parsed): { id: string; name: string; color: string } | null => {
    const c = asArray(p.json.creator)[0];
    if (isObject(c) && typeof c.id === 'string' && c.id) {
      return {
        id: userIdOf(c.id),
        name: typeof c.name === 'string' ? c.name : typeof c.nickname === 'string' ? c.nickname : '',
        color: typeof c['parley:color'] === 'string' ? c['parley:color'] : '',
      };
    }
    if (typeof c === 'string' && c) return { id: userIdOf(c), name: '', color: '' };
    problems.push(`${where(p)} has no "creator" with an "id": Parley needs to know who wrote it.`);
    return null;
  };

  const passageOf = (target: Json, turn: Turn, p: Parsed): PassageTarget | null | undefined => {
    const selectors = asArray(target.selector).filter(isObject);
    const quote = selectors.find((s) => hasType(s, 'TextQuoteSelector'));
    const position = selectors.find((s) => hasType(s, 'TextPositionSelector'));
    if (!quote && !position) return null;
    const text = turn.text;
    let start: number | null = null;
    let end: number | null = null;
    if (position) {
      if (!Number.isInteger(position.start) || !Number.isInteger(position.end)) {
        problems.push(`${where(p)}: its TextPositionSelector needs whole-number "start" and "end".`);
        return undefined;
      }
      start = fromCodePointOffset(text, position.start as number);
      end = fromCodePointOffset(text, position.end as number);
    }
    const exact = quote && typeof quote.exact === 'string' ? quote.exact : null;
    if (quote && exact === null) {
      problems.push(`${where(p)}: its TextQuoteSelector has no "exact" text.`);
      return undefined;
    }
    const prefix = quote && typeof quote.prefix === 'string' ? quote.prefix : null;
    const suffix = quote && typeof quote.suffix === 'string' ? quote.suffix : null;
    if (exact !== null) {
      const found = locatePassage(text, { start: start ?? 0, end: end ?? 0, exact, prefix: prefix ?? '', suffix: suffix ?? '' });
      if (!found) {
        problems.push(`${where(p)}: the quoted words "${exact.slice(0, 60)}" are not in turn ${turn.id}.`);
        return undefined;
      }
      ({ start, end } = found);
    }
    if (start === null || end === null || !(start < end) || end > text.length) {
      problems.push(`${where(p)}: its passage (${String(position?.start)}–${String(position?.end)}) does not lie inside turn ${turn.id}.`);
      return undefined;
    }
    return {
      start,
      end,
      exact: text.slice(start, end),
      // An absent prefix or suffix is what Parley omits when it is empty; for other tools, recompute it.
      prefix: prefix ?? text.slice(Math.max(0, start - QUOTE_CONTEXT), start),
      suffix: suffix ?? text.slice(end, end + QUOTE_CONTEXT),
    };
  };

  const comments: Comment[] = [];
  const verdicts = new Map<string, Verdict>();
  const replies: { p: Parsed; comment: Comment; parentIri: string }[] = [];
  const commentsByIri = new Map<string, Comment>();

  for (const p of parsed) {
    const a = p.json;
    const creator = creatorOf(p);
    const created = a.created === undefined ? null : timeOf(a.created);
    const modified = a.modified === undefined ? null : timeOf(a.modified);
    if (a.created !== undefined && created === null) problems.push(`${where(p)}: "created" is not an ISO 8601 date-time.`);
    if (a.modified !== undefined && modified === null) problems.push(`${where(p)}: "modified" is not an ISO 8601 date-time.`);
    const at = created ?? modified ?? Date.now();
    const bodies = textualBodies(a);
    const targets = asArray(a.target);
    if (targets.length === 0) {
      problems.push(`${where(p)} has no "target": Parley cannot tell what it is about.`);
      continue;
    }
    if (targets.length > 1) {
      problems.push(`${where(p)} has ${targets.length} targets; a Parley annotation is about one turn or passage.`);
      continue;
    }
    const target = targets[0];

    if (p.motivation === 'assessing') {
      const turn = turnOf(isObject(target) ? (target.source ?? target.id) : target, p);
      const value = bodies.find((b) => b.purpose === 'assessing' || b.purpose === 'classifying' || b.purpose === null)?.value.trim();
      if (!value) problems.push(`${where(p)}: a verdict needs a TextualBody with purpose "assessing" holding its value.`);
      if (!turn || !creator || !value) continue;
      const reason = bodies.find((b) => b.purpose === 'commenting')?.value ?? '';
      verdicts.set(`${turn.id}|${creator.id}`, {
        turnId: turn.id,
        userId: creator.id,
        userName: creator.name,
        value: value.slice(0, 200),
        reason: reason.trim().slice(0, 200),
        at,
      });
      continue;
    }

    const body = bodies
      .filter((b) => b.purpose === 'commenting' || b.purpose === null || b.purpose === 'describing' || b.purpose === 'replying')
      .map((b) => b.value)
      .join('\n\n');
    if (body.length > MAX_TEXT) problems.push(`${where(p)}: its text is over ${MAX_TEXT} characters.`);
    const tags = normaliseTags(bodies.filter((b) => b.purpose === 'tagging').map((b) => b.value));
    const rawStatus = a['parley:status'];
    const status: CommentStatus = rawStatus === 'resolved' ? 'resolved' : 'open';
    if (rawStatus !== undefined && rawStatus !== 'open' && rawStatus !== 'resolved') {
      problems.push(`${where(p)}: "parley:status" must be "open" or "resolved".`);
    }
    const resolvedBy = typeof a['parley:resolvedBy'] === 'string' ? userIdOf(a['parley:resolvedBy']) : null;
    if (!creator) continue;
    const base: Comment = {
      id: p.id,
      parentId: null,
      turnId: '',
      target: null,
      motivation: p.motivation === 'highlighting' ? 'highlighting' : 'commenting',
      body,
      tags,
      author: creator,
      createdAt: at,
      updatedAt: modified ?? at,
      status,
      resolvedBy: status === 'resolved' ? resolvedBy : null,
    };

    // A reply targets its parent annotation, by IRI or as an object with that id.
    const targetIri = typeof target === 'string' ? target : isObject(target) && typeof target.id === 'string' && !target.source ? target.id : null;
    if (p.motivation === 'replying' || (targetIri !== null && byIri.has(targetIri))) {
      if (targetIri === null || !byIri.has(targetIri)) {
        problems.push(`${where(p)} is a reply to an annotation that is not in this file.`);
        continue;
      }
      replies.push({ p, comment: { ...base, motivation: 'commenting' }, parentIri: targetIri });
      continue;
    }

    let turn: Turn | null;
    let passage: PassageTarget | null | undefined = null;
    if (typeof target === 'string') turn = turnOf(target, p);
    else if (isObject(target)) {
      turn = turnOf(target.source ?? target.id, p);
      if (turn) passage = passageOf(target, turn, p);
    } else {
      problems.push(`${where(p)}: its target is neither an IRI nor an object.`);
      continue;
    }
    if (!turn || passage === undefined) continue;
    if (base.motivation === 'commenting' && !body.trim() && !tags.length) {
      problems.push(`${where(p)} is a comment with no text and no tags.`);
      continue;
    }
    const c: Comment = { ...base, turnId: turn.id, target: passage };
    comments.push(c);
    commentsByIri.set(p.iri, c);
  }

  // Replies hang off the thread's root (threads are flat), whatever the file says.
  const rootOf = (iri: string, seen = new Set<string>()): Comment | null => {
    const c = commentsByIri.get(iri);
    if (c) return c;
    const r = replies.find((x) => x.p.iri === iri);
    if (!r || seen.has(iri)) return null;
    seen.add(iri);
    return rootOf(r.parentIri, seen);
  };
  for (const r of replies) {
    const root = rootOf(r.parentIri);
    if (!root) {
      problems.push(`${where(r.p)} replies to an annotation that is not a comment in this file.`);
      continue;
    }
    if (!r.comment.body.trim()) {
      problems.push(`${where(r.p)} is a reply with no text.`);
      continue;
    }
    comments.push({ ...r.comment, parentId: root.id, turnId: root.turnId, target: null });
  }

  if (problems.length) throw new AnnotationImportError(problems);
  return { comments, verdicts: [...verdicts.values()] };
}

/** How many of each kind an import holds: the answer of the import endpoint. */
export function importCounts(imported: ImportedAnnotations): { comments: number; replies: number; highlights: number; verdicts: number } {
  const { comments } = imported;
  return {
    comments: comments.filter((c) => !c.parentId && c.motivation === 'commenting').length,
    replies: comments.filter((c) => c.parentId).length,
    highlights: comments.filter((c) => c.motivation === 'highlighting').length,
    verdicts: imported.verdicts.length,
  };
}
