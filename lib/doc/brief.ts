import * as Y from 'yjs';
import { locatePassage } from '../anchor/passage';
import type { Transcript } from '../transcript/types';

/**
 * The brief document of a review session: one rich-text document the team
 * writes together. It is its own Y.Doc in its own websocket room
 * (`<sessionId>.brief`), so the server can let commenters read it without
 * letting them write it.
 *
 * Layout (schema version 1):
 *   meta   Y.Map { schemaVersion: number }
 *   brief  Y.XmlFragment edited by Tiptap 3 (StarterKit) through its
 *          Collaboration extension with `field: 'brief'`. It therefore holds
 *          ProseMirror-shaped content as @tiptap/y-tiptap writes it: one
 *          Y.XmlElement per node (nodeName = node type, node attrs = element
 *          attributes, null attrs left out), one Y.XmlText per run of text with
 *          each mark as a formatting attribute whose value is the mark's attrs
 *          (`bold: {}`, `link: { href, … }`), plus the custom atom block
 *          `passageQuote` whose words are in its `exact` attribute.
 *
 * Everything outside this module sees the brief as `BriefBlock[]` only.
 */

export const BRIEF_FIELD = 'brief';
export const BRIEF_SCHEMA_VERSION = 1;

const META = 'meta';
const SCHEMA_VERSION_KEY = 'schemaVersion';

/** The websocket room of a session's brief. Must agree with BRIEF_SUFFIX in server/collab/room-manager.ts. */
export function briefRoom(sessionId: string): string {
  return `${sessionId}.brief`;
}

/** A run of text with its formatting, or a line break inside a paragraph. */
export type Inline =
  | { text: string; bold?: boolean; italic?: boolean; strike?: boolean; code?: boolean; href?: string }
  | { break: true };

/** A quoted passage of the transcript, kept with what it takes to link back to it. */
export interface QuoteBlock {
  type: 'quote';
  turnId: string;
  /** UTF-16 offsets into the turn's text, as in PassageTarget. */
  start: number;
  end: number;
  exact: string;
  /** The speaker's readable name at the time of quoting. */
  speaker: string;
  exchange: number | null;
  /** The comment the quote was taken from, when it came from one. */
  commentId: string | null;
  /** The session the quote was taken in; kept so that a brief pasted elsewhere still links home. */
  sessionId?: string | null;
}

/** One block of the brief in the project's own model. */
export type BriefBlock =
  | { type: 'heading'; level: 1 | 2 | 3; content: Inline[] }
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'list'; ordered: boolean; items: BriefBlock[][] }
  | { type: 'blockquote'; blocks: BriefBlock[] }
  | { type: 'code'; text: string }
  | { type: 'rule' }
  | QuoteBlock;

/** A brief written by a newer Parley than this one. */
export class BriefSchemaVersionError extends Error {
  constructor(readonly found: number) {
    super(
      `This brief was saved by a newer version of Parley (schema ${found}, this app reads ${BRIEF_SCHEMA_VERSION}). Reload the page to get the new version.`,
    );
    this.name = 'BriefSchemaVersionError';
  }
}

/** Checks the brief's schema version and stamps it when missing; call once the doc has synced. */
export function ensureBriefSchema(doc: Y.Doc): void {
  const meta = doc.getMap<number>(META);
  const found = meta.get(SCHEMA_VERSION_KEY);
  if (typeof found === 'number' && found > BRIEF_SCHEMA_VERSION) throw new BriefSchemaVersionError(found);
  if (found !== BRIEF_SCHEMA_VERSION) doc.transact(() => meta.set(SCHEMA_VERSION_KEY, BRIEF_SCHEMA_VERSION), null);
}

/** The fragment Tiptap's Collaboration extension binds to; for the brief editor's setup only. */
export function briefFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(BRIEF_FIELD);
}

/**
 * The link target when it is safe to put in an exported document, else null.
 * Any client can write the Y.Doc, so a `javascript:` link must not reach an
 * HTML page or a Word file just because the editor would not have created it.
 */
export function safeHref(href: string | null | undefined): string | null {
  if (typeof href !== 'string') return null;
  const h = href.trim();
  if (/^(https?:\/\/|mailto:)/i.test(h) && !/[\s<>"]/.test(h)) return h;
  if (/^#[A-Za-z0-9_-]*$/.test(h)) return h;
  return null;
}

// ---------------------------------------------------------------------------
// Reading

type XmlNode = Y.XmlElement | Y.XmlText | Y.XmlHook;
type Attrs = Record<string, unknown>;

/** y-tiptap suffixes marks that may overlap (not ours, but a future extension's) with `--<hash>`. */
const HASHED_MARK = /(.*)(--[a-zA-Z0-9+/=]{8})$/;

function markName(attr: string): string {
  return HASHED_MARK.exec(attr)?.[1] ?? attr;
}

function inlinesOfText(node: Y.XmlText): Inline[] {
  const out: Inline[] = [];
  const delta = node.toDelta() as { insert: unknown; attributes?: Attrs }[];
  for (const op of delta) {
    if (typeof op.insert !== 'string' || !op.insert) continue;
    const run: Inline = { text: op.insert };
    for (const [key, value] of Object.entries(op.attributes ?? {})) {
      // A mark is present with any value but null/false (Tiptap writes `{}`, other writers `true`).
      if (value === null || value === false || value === undefined) continue;
      const name = markName(key);
      if (name === 'bold') run.bold = true;
      else if (name === 'italic') run.italic = true;
      else if (name === 'strike') run.strike = true;
      else if (name === 'code') run.code = true;
      else if (name === 'link') {
        const href = safeHref((value as { href?: unknown }).href as string | undefined);
        if (href) run.href = href;
      }
    }
    out.push(run);
  }
  return out;
}

function textOf(node: XmlNode): string {
  if (node instanceof Y.XmlText) return plainText(node);
  if (node instanceof Y.XmlElement) {
    if (node.nodeName === 'hardBreak') return '\n';
    if (node.nodeName === 'passageQuote') return String(node.getAttribute('exact') ?? '');
    const parts = node.toArray().map((c) => textOf(c as XmlNode));
    // Block children are separate lines; inline children run together.
    const blocky = node.toArray().some((c) => c instanceof Y.XmlElement && c.nodeName !== 'hardBreak');
    return parts.filter((p) => p !== '').join(blocky ? '\n' : '');
  }
  return '';
}

function plainText(node: Y.XmlText): string {
  // toString() renders formatting as XML tags; the delta has the bare words.
  return (node.toDelta() as { insert: unknown }[])
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('');
}

function readInlines(el: Y.XmlElement): Inline[] {
  const out: Inline[] = [];
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) out.push(...inlinesOfText(child));
    else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') out.push({ break: true });
      else {
        // An inline node this model does not know (a mention, an image): keep its words.
        const text = textOf(child);
        if (text) out.push({ text });
      }
    }
  }
  return out;
}

function num(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}

function readQuote(el: Y.XmlElement): BriefBlock | null {
  const a = el.getAttributes() as Attrs;
  const turnId = str(a.turnId);
  const exact = str(a.exact) ?? '';
  const start = num(a.start);
  const end = num(a.end);
  if (!turnId || start === null || end === null) return exact ? { type: 'paragraph', content: [{ text: `“${exact}”` }] } : null;
  const block: QuoteBlock = {
    type: 'quote',
    turnId,
    start,
    end,
    exact,
    speaker: str(a.speaker) ?? '',
    exchange: num(a.exchange),
    commentId: str(a.commentId),
  };
  const sessionId = str(a.sessionId);
  if (sessionId) block.sessionId = sessionId;
  return block;
}

function readBlock(node: XmlNode): BriefBlock[] {
  if (node instanceof Y.XmlText) {
    // Not something Tiptap writes at block level, but a hand-made doc might.
    const content = inlinesOfText(node);
    return content.length ? [{ type: 'paragraph', content }] : [];
  }
  if (!(node instanceof Y.XmlElement)) return [];
  switch (node.nodeName) {
    case 'paragraph':
      return [{ type: 'paragraph', content: readInlines(node) }];
    case 'heading': {
      const level = Math.min(3, Math.max(1, Math.round(num(node.getAttribute('level')) ?? 1))) as 1 | 2 | 3;
      return [{ type: 'heading', level, content: readInlines(node) }];
    }
    case 'bulletList':
    case 'orderedList': {
      const items = node
        .toArray()
        .map((item) =>
          item instanceof Y.XmlElement && item.nodeName === 'listItem' ? readBlocks(item.toArray() as XmlNode[]) : readBlock(item as XmlNode),
        );
      return items.length ? [{ type: 'list', ordered: node.nodeName === 'orderedList', items }] : [];
    }
    case 'listItem':
      return readBlocks(node.toArray() as XmlNode[]);
    case 'blockquote':
      return [{ type: 'blockquote', blocks: readBlocks(node.toArray() as XmlNode[]) }];
    case 'codeBlock':
      return [{ type: 'code', text: textOf(node) }];
    case 'horizontalRule':
      return [{ type: 'rule' }];
    case 'passageQuote': {
      const q = readQuote(node);
      return q ? [q] : [];
    }
    default: {
      // A node from a newer editor: its words survive as a plain paragraph rather than vanish from exports.
      const text = textOf(node).trim();
      return text ? [{ type: 'paragraph', content: [{ text }] }] : [];
    }
  }
}

function readBlocks(nodes: readonly XmlNode[]): BriefBlock[] {
  return nodes.flatMap(readBlock);
}

/** The brief as the project's block model, read from the Y.Doc. */
export function readBrief(doc: Y.Doc): BriefBlock[] {
  return readBlocks(briefFragment(doc).toArray() as XmlNode[]);
}

// ---------------------------------------------------------------------------
// Writing, in exactly the shape y-tiptap gives a Tiptap document, so that an
// editor opened later shows it. The content must also be valid for the schema:
// y-tiptap deletes an element it cannot turn into a ProseMirror node, so an
// empty blockquote or a list item without its first paragraph would be lost
// the moment someone opened the editor.

type ElementAttrs = Record<string, string | number | object>;

function marksOf(run: Extract<Inline, { text: string }>): Attrs {
  // Tiptap's `code` mark excludes every other mark: a code run carries only `code`.
  if (run.code) return { code: {} };
  const attrs: Attrs = {};
  if (run.bold) attrs.bold = {};
  if (run.italic) attrs.italic = {};
  if (run.strike) attrs.strike = {};
  const href = safeHref(run.href);
  // Only href: the editor fills in its own defaults (target, rel) for the other link attrs.
  if (href) attrs.link = { href };
  return attrs;
}

function inlineNodes(content: readonly Inline[]): (Y.XmlText | Y.XmlElement)[] {
  const out: (Y.XmlText | Y.XmlElement)[] = [];
  let delta: { insert: string; attributes: Attrs }[] = [];
  const flush = () => {
    if (!delta.length) return;
    const text = new Y.XmlText();
    text.applyDelta(delta);
    out.push(text);
    delta = [];
  };
  for (const run of content) {
    if ('break' in run) {
      flush();
      out.push(new Y.XmlElement('hardBreak'));
      continue;
    }
    // A newline inside a text node is not a line break to ProseMirror: make it one.
    const lines = run.text.split('\n');
    lines.forEach((line, i) => {
      if (i > 0) {
        flush();
        out.push(new Y.XmlElement('hardBreak'));
      }
      if (line) delta.push({ insert: line, attributes: marksOf(run) });
    });
  }
  flush();
  return out;
}

function element(name: string, attrs: ElementAttrs, children: (Y.XmlText | Y.XmlElement)[] = []): Y.XmlElement {
  const el = new Y.XmlElement<ElementAttrs>(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (children.length) el.insert(0, children);
  return el as unknown as Y.XmlElement;
}

function blockNodes(blocks: readonly BriefBlock[]): Y.XmlElement[] {
  return blocks.flatMap((b): Y.XmlElement[] => {
    switch (b.type) {
      case 'paragraph':
        return [element('paragraph', {}, inlineNodes(b.content))];
      case 'heading':
        return [element('heading', { level: b.level }, inlineNodes(b.content))];
      case 'list': {
        if (!b.items.length) return [];
        const items = b.items.map((item) => {
          const children = blockNodes(item);
          // listItem content is `paragraph block*`.
          if (children[0]?.nodeName !== 'paragraph') children.unshift(element('paragraph', {}));
          return element('listItem', {}, children);
        });
        return [b.ordered ? element('orderedList', { start: 1 }, items) : element('bulletList', {}, items)];
      }
      case 'blockquote': {
        const children = blockNodes(b.blocks);
        return [element('blockquote', {}, children.length ? children : [element('paragraph', {})])];
      }
      case 'code':
        return [element('codeBlock', {}, b.text ? [new Y.XmlText(b.text)] : [])];
      case 'rule':
        return [element('horizontalRule', {})];
      case 'quote': {
        const attrs: ElementAttrs = { turnId: b.turnId, start: b.start, end: b.end, exact: b.exact, speaker: b.speaker };
        // y-tiptap leaves null attributes out; do the same so both writers agree.
        if (b.exchange !== null) attrs.exchange = b.exchange;
        if (b.commentId !== null) attrs.commentId = b.commentId;
        if (b.sessionId) attrs.sessionId = b.sessionId;
        return [element('passageQuote', attrs)];
      }
    }
  });
}

/** Inserts blocks into the brief (at the end by default) in one transaction, shaped as Tiptap writes them. */
export function writeBriefBlocks(
  doc: Y.Doc,
  blocks: readonly BriefBlock[],
  options: { at?: 'end' | 'start' | number; origin?: unknown } = {},
): void {
  const fragment = briefFragment(doc);
  const nodes = blockNodes(blocks);
  if (!nodes.length) return;
  const at = options.at ?? 'end';
  const index = at === 'end' ? fragment.length : at === 'start' ? 0 : Math.max(0, Math.min(fragment.length, Math.floor(at)));
  doc.transact(() => fragment.insert(index, nodes), options.origin ?? null);
}

// ---------------------------------------------------------------------------

/** False when the quoted words are no longer in the transcript at that turn (or the turn is gone). */
export function quoteStillMatches(transcript: Transcript, block: QuoteBlock): boolean {
  const turn = transcript.turns.find((t) => t.id === block.turnId);
  if (!turn || !block.exact) return false;
  return locatePassage(turn.text, { start: block.start, end: block.end, exact: block.exact, prefix: '', suffix: '' }) !== null;
}

/** The plain words of some inline content, for places that cannot show formatting. */
export function inlineText(content: readonly Inline[]): string {
  return content.map((r) => ('break' in r ? '\n' : r.text)).join('');
}
