import type { Comment, Verdict } from '../doc/commentary';
import { toCodePointOffset } from '../anchor/passage';
import type { SessionExportInput } from './markdown';
import { indexTranscript } from './outline';

/**
 * The session's annotations as a W3C Web Annotation `AnnotationCollection`
 * (https://www.w3.org/TR/annotation-model/), in one embedded page.
 *
 * Mapping, chosen so that `importAnnotations` gives back every field:
 * - comment / highlight -> Annotation, motivation `commenting` / `highlighting`;
 *   body: one TextualBody `purpose: commenting` (the text) and one
 *   `purpose: tagging` per tag; target: the turn IRI (`<transcript>#<turnId>`)
 *   for a whole-turn comment, else a SpecificResource on it with a
 *   TextQuoteSelector and a TextPositionSelector counted in code points.
 * - reply -> motivation `replying`, target = the parent annotation's IRI.
 * - verdict -> motivation `assessing`, body: TextualBody `purpose: assessing`
 *   with the value and, when given, one `purpose: commenting` with the reason;
 *   target: the answer's turn IRI; creator: the analyst.
 * - What the model has no term for (thread status, who resolved it, the
 *   author's colour) goes in `parley:`-prefixed keys, declared by a second
 *   @context entry after the W3C one (model section 6, "Extensions"). The W3C
 *   test-suite schemas accept them; a consumer that does not know them ignores them.
 */

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
/** The namespace of Parley's extension terms; a URN because no Parley server is canonical. */
export const PARLEY_NS = 'urn:parley:vocab#';
export const JSONLD_CONTEXT = [ANNO_CONTEXT, { parley: PARLEY_NS }] as const;

/** Where annotation IRIs point: the server's origin and the ids of the session and its transcript. */
export interface JsonLdOptions {
  sessionId: string;
  transcriptId: string;
  /** `https://parley.example.org`; without it every IRI is a `urn:parley:` URN. */
  origin?: string;
}

/** A TextualBody as Parley writes it. */
export interface TextualBody {
  type: 'TextualBody';
  purpose: 'commenting' | 'tagging' | 'assessing';
  value: string;
  format?: 'text/plain';
}

export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix?: string;
  suffix?: string;
}

export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

export interface SpecificTarget {
  type: 'SpecificResource';
  source: string;
  selector: (TextQuoteSelector | TextPositionSelector)[];
}

export interface Agent {
  id: string;
  type: 'Person';
  name: string;
  'parley:color'?: string;
}

export interface Annotation {
  '@context'?: typeof JSONLD_CONTEXT;
  id: string;
  type: 'Annotation';
  motivation: 'commenting' | 'highlighting' | 'replying' | 'assessing';
  created: string;
  modified?: string;
  creator: Agent;
  body?: TextualBody[];
  target: string | SpecificTarget;
  'parley:status'?: 'open' | 'resolved';
  'parley:resolvedBy'?: string;
}

export interface AnnotationCollection {
  '@context': typeof JSONLD_CONTEXT;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { id: string; type: 'AnnotationPage'; startIndex: 0; items: Annotation[] };
  last: string;
}

/** IRI helpers shared by the exporter and the importer. */
export function annotationIris(options: JsonLdOptions) {
  const enc = encodeURIComponent;
  const base = options.origin?.replace(/\/+$/, '');
  const collection = base
    ? `${base}/api/sessions/${enc(options.sessionId)}/annotations`
    : `urn:parley:session:${enc(options.sessionId)}:annotations`;
  const transcript = base
    ? `${base}/api/transcripts/${enc(options.transcriptId)}`
    : `urn:parley:transcript:${enc(options.transcriptId)}`;
  return {
    collection,
    page: base ? `${collection}?page=0` : `${collection}:page:0`,
    transcript,
    annotation: (commentId: string) => (base ? `${collection}/${enc(commentId)}` : `${collection}:${enc(commentId)}`),
    verdict: (v: Verdict) =>
      base
        ? `${collection}/verdict-${enc(v.turnId)}-${enc(v.userId)}`
        : `${collection}:verdict-${enc(v.turnId)}-${enc(v.userId)}`,
    turn: (turnId: string) => `${transcript}#${enc(turnId)}`,
  };
}

/** A user's IRI: ids are per browser, not per server, so a URN. */
export function userIri(userId: string): string {
  return `urn:parley:user:${encodeURIComponent(userId)}`;
}

/**
 * The annotation of one comment, reply or highlight. `text` is the turn's
 * text, for converting UTF-16 offsets to the code points W3C selectors count.
 */
function commentAnnotation(c: Comment, text: string | null, iris: ReturnType<typeof annotationIris>): Annotation {
  const body: TextualBody[] = [];
  if (c.body) body.push({ type: 'TextualBody', purpose: 'commenting', value: c.body, format: 'text/plain' });
  for (const tag of c.tags) body.push({ type: 'TextualBody', purpose: 'tagging', value: tag });

  let target: Annotation['target'];
  if (c.parentId) target = iris.annotation(c.parentId);
  else if (!c.target) target = iris.turn(c.turnId);
  else {
    const quote: TextQuoteSelector = { type: 'TextQuoteSelector', exact: c.target.exact };
    if (c.target.prefix) quote.prefix = c.target.prefix;
    if (c.target.suffix) quote.suffix = c.target.suffix;
    target = {
      type: 'SpecificResource',
      source: iris.turn(c.turnId),
      selector: [
        quote,
        {
          type: 'TextPositionSelector',
          // A turn the transcript lacks cannot be counted in code points: keep the offsets as stored.
          start: text === null ? c.target.start : toCodePointOffset(text, c.target.start),
          end: text === null ? c.target.end : toCodePointOffset(text, c.target.end),
        },
      ],
    };
  }

  const creator: Agent = { id: userIri(c.author.id), type: 'Person', name: c.author.name };
  if (c.author.color) creator['parley:color'] = c.author.color;
  const a: Annotation = {
    id: iris.annotation(c.id),
    type: 'Annotation',
    motivation: c.parentId ? 'replying' : c.motivation,
    created: new Date(c.createdAt).toISOString(),
    modified: new Date(c.updatedAt).toISOString(),
    creator,
    ...(body.length ? { body } : {}),
    target,
  };
  a['parley:status'] = c.status;
  if (c.resolvedBy) a['parley:resolvedBy'] = userIri(c.resolvedBy);
  return a;
}

function verdictAnnotation(v: Verdict, iris: ReturnType<typeof annotationIris>): Annotation {
  const body: TextualBody[] = [{ type: 'TextualBody', purpose: 'assessing', value: v.value, format: 'text/plain' }];
  if (v.reason) body.push({ type: 'TextualBody', purpose: 'commenting', value: v.reason, format: 'text/plain' });
  return {
    id: iris.verdict(v),
    type: 'Annotation',
    motivation: 'assessing',
    created: new Date(v.at).toISOString(),
    creator: { id: userIri(v.userId), type: 'Person', name: v.userName },
    body,
    target: iris.turn(v.turnId),
  };
}

/** The session's comments, replies, highlights and verdicts as a W3C Web Annotation collection. */
export function sessionToJsonLd(input: SessionExportInput, options: JsonLdOptions): AnnotationCollection {
  const ix = indexTranscript(input.transcript);
  const iris = annotationIris(options);
  // Roots before their replies, so a reader that applies items in order never meets a reply to an unknown parent.
  const roots = input.comments.filter((c) => !c.parentId);
  const replies = input.comments.filter((c) => c.parentId);
  const items: Annotation[] = [
    ...[...roots, ...replies].map((c) => commentAnnotation(c, ix.turns.get(c.turnId)?.text ?? null, iris)),
    ...[...input.verdicts]
      .sort((a, b) => a.at - b.at || a.turnId.localeCompare(b.turnId) || a.userId.localeCompare(b.userId))
      .map((v) => verdictAnnotation(v, iris)),
  ];
  return {
    '@context': JSONLD_CONTEXT,
    id: iris.collection,
    type: 'AnnotationCollection',
    label: input.sessionTitle || input.transcript.title,
    total: items.length,
    first: { id: iris.page, type: 'AnnotationPage', startIndex: 0, items },
    last: iris.page,
  };
}
