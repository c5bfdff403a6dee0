import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Comment, Thread } from '../doc/commentary';
import type { BriefBlock, Inline } from '../doc/brief';
import { safeHref } from '../doc/brief';
import type { SessionExportInput } from './markdown';
import {
  commentAction,
  countsLine,
  formatTime,
  indexTranscript,
  quoteAttribution,
  sessionOutline,
  turnLabel,
  turnLink,
  whereSaid,
  type TranscriptIndex,
  type TurnEntry,
} from './outline';

/**
 * The session as a PDF, drawn with pdfkit on the server (no browser). The
 * fonts are DejaVu Sans and Serif, embedded: the PDF standard fonts only
 * cover Latin-1 in pdfkit, so curly quotes, dashes and names such as
 * "Đorđević" would print as garbage without them.
 */

const FONT_FILES = {
  serif: 'DejaVuSerif.ttf',
  'serif-bold': 'DejaVuSerif-Bold.ttf',
  'serif-italic': 'DejaVuSerif-Italic.ttf',
  'serif-bolditalic': 'DejaVuSerif-BoldItalic.ttf',
  sans: 'DejaVuSans.ttf',
  'sans-bold': 'DejaVuSans-Bold.ttf',
  'sans-oblique': 'DejaVuSans-Oblique.ttf',
  'sans-boldoblique': 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

let fontDirCache: string | null = null;

/**
 * Where the DejaVu TTFs are. Resolved through the package (not a path relative
 * to this file), because inside the Next.js server bundle this file is no
 * longer where the source was; the working directory is the fallback for a
 * bundle whose `import.meta.url` points somewhere without node_modules above it.
 */
function fontDir(): string {
  if (fontDirCache) return fontDirCache;
  // A variable, so that no bundler tries to pull the package (or its TTFs) into the bundle.
  const pkg = 'dejavu-fonts-ttf';
  // turbopackIgnore: the paths are resolved at run time; without it the build traces the whole project.
  const bases = [import.meta.url, path.join(/*turbopackIgnore: true*/ process.cwd(), 'package.json')];
  for (const base of bases) {
    try {
      fontDirCache = path.join(/*turbopackIgnore: true*/ path.dirname(createRequire(base).resolve(`${pkg}/package.json`)), 'ttf');
      return fontDirCache;
    } catch {
      // Try the next base.
    }
  }
  throw new Error('The PDF export needs the DejaVu fonts: the "dejavu-fonts-ttf" package is not installed.');
}

const INK = '#1d1d1f';
const MUTED = '#5f6368';
const ACCENT = '#1f5fbf';
const RULE = '#c8c8cf';
const BODY_SIZE = 10.5;

type Doc = PDFKit.PDFDocument;
type TextRunInline = Extract<Inline, { text: string }>;

interface Segment {
  text: string;
  font: FontName;
  size: number;
  color: string;
  link?: string;
  strike?: boolean;
}

class PdfWriter {
  readonly left: number;
  readonly right: number;

  constructor(readonly doc: Doc) {
    this.left = doc.page.margins.left;
    this.right = doc.page.width - doc.page.margins.right;
  }

  get pageIndex(): number {
    const r = this.doc.bufferedPageRange();
    return r.start + r.count - 1;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` points fit: keeps a heading with the lines under it. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  gap(points: number): void {
    if (this.doc.y + points < this.bottom) this.doc.y += points;
  }

  /** Writes runs of differently styled text as one wrapped paragraph. */
  segments(segs: Segment[], indent = 0, options: { align?: 'left' | 'right' | 'center'; lineGap?: number } = {}): void {
    const doc = this.doc;
    const parts = segs.filter((s) => s.text !== '');
    const width = this.right - this.left - indent;
    doc.x = this.left + indent;
    if (!parts.length) {
      doc.font('serif').fontSize(BODY_SIZE).text(' ', this.left + indent, doc.y, { width });
    }
    parts.forEach((s, i) => {
      doc.font(s.font).fontSize(s.size).fillColor(s.link ? ACCENT : s.color);
      const opts: PDFKit.Mixins.TextOptions = {
        width,
        continued: i < parts.length - 1,
        link: s.link ?? null,
        underline: !!s.link,
        strike: !!s.strike,
        lineGap: options.lineGap ?? 2,
        align: options.align,
      };
      if (i === 0) doc.text(s.text, this.left + indent, doc.y, opts);
      else doc.text(s.text, opts);
    });
    doc.x = this.left;
    doc.fillColor(INK);
  }

  /** Draws a vertical bar beside content that may have run over page breaks. */
  bar(fromPage: number, fromY: number, x: number, color: string, width: number): void {
    const doc = this.doc;
    const toPage = this.pageIndex;
    const toY = doc.y;
    for (let p = fromPage; p <= toPage; p++) {
      if (p !== toPage) doc.switchToPage(p);
      const top = p === fromPage ? fromY : doc.page.margins.top;
      const bottom = p === toPage ? toY : doc.page.height - doc.page.margins.bottom;
      if (bottom > top) doc.save().lineWidth(width).strokeColor(color).moveTo(x, top).lineTo(x, bottom).stroke().restore();
    }
    if (fromPage !== toPage) doc.switchToPage(toPage);
    doc.y = toY;
  }

  rule(color = RULE, width = 0.75): void {
    const y = this.doc.y;
    this.doc.save().lineWidth(width).strokeColor(color).moveTo(this.left, y).lineTo(this.right, y).stroke().restore();
  }
}

function textFont(r: TextRunInline, base: 'serif' | 'sans', italicBase = false): FontName {
  if (r.code) return 'mono';
  const italic = r.italic || italicBase;
  if (base === 'sans') return r.bold && italic ? 'sans-boldoblique' : r.bold ? 'sans-bold' : italic ? 'sans-oblique' : 'sans';
  return r.bold && italic ? 'serif-bolditalic' : r.bold ? 'serif-bold' : italic ? 'serif-italic' : 'serif';
}

function inlineSegments(content: readonly Inline[], size: number, base: 'serif' | 'sans', italicBase = false): Segment[] {
  const out: Segment[] = [];
  // pdfkit drops a newline at the end of a `continued` chunk: a break goes at the start of the next run instead.
  let breaks = '';
  for (const run of content) {
    if ('break' in run) {
      breaks += '\n';
      continue;
    }
    const href = safeHref(run.href);
    out.push({
      text: breaks + run.text,
      font: textFont(run, base, italicBase),
      size: run.code ? size * 0.92 : size,
      color: INK,
      link: href && !href.startsWith('#') ? href : undefined,
      strike: run.strike,
    });
    breaks = '';
  }
  return out;
}

const HEADING_SIZES = { 1: 17, 2: 14, 3: 12 } as const;

function drawPassage(w: PdfWriter, exact: string, who: string, link: string | null, indent: number, keepWith = 0): void {
  const doc = w.doc;
  // Keep the quote (and, in a thread, the comment under it) on one page when it is short enough to.
  doc.font('serif-italic').fontSize(BODY_SIZE);
  const height = doc.heightOfString(`“${exact}”`, { width: w.right - w.left - indent - 12 });
  w.ensureSpace(Math.min(height + 24 + keepWith, 220));
  w.gap(4);
  const startPage = w.pageIndex;
  const startY = doc.y;
  w.segments([{ text: `“${exact}”`, font: 'serif-italic', size: BODY_SIZE, color: INK }], indent + 12);
  const tail: Segment[] = [];
  if (who) tail.push({ text: `— ${who}`, font: 'sans', size: 8.5, color: MUTED });
  if (link) {
    if (who) tail.push({ text: '  ', font: 'sans', size: 8.5, color: MUTED });
    tail.push({ text: 'open in session ↗', font: 'sans', size: 8.5, color: MUTED, link });
  }
  if (tail.length) {
    w.gap(1);
    w.segments(tail, indent + 12);
  }
  w.bar(startPage, startY, w.left + indent + 3, ACCENT, 2.5);
  w.gap(6);
}

function drawBlocks(w: PdfWriter, blocks: readonly BriefBlock[], indent: number, sessionUrl: string | undefined, inQuote = false): void {
  for (const b of blocks) drawBlock(w, b, indent, sessionUrl, inQuote);
}

function drawBlock(w: PdfWriter, b: BriefBlock, indent: number, sessionUrl: string | undefined, inQuote: boolean): void {
  const doc = w.doc;
  switch (b.type) {
    case 'heading': {
      const size = HEADING_SIZES[b.level];
      w.ensureSpace(size * 1.4 + BODY_SIZE * 4);
      w.gap(size * 0.7);
      w.segments(inlineSegments(b.content, size, 'sans').map((s) => ({ ...s, font: s.font === 'mono' ? 'mono' : s.font.includes('oblique') ? 'sans-boldoblique' : 'sans-bold' })), indent);
      w.gap(size * 0.3);
      return;
    }
    case 'paragraph':
      w.segments(inlineSegments(b.content, BODY_SIZE, 'serif', inQuote), indent);
      w.gap(BODY_SIZE * 0.55);
      return;
    case 'list': {
      b.items.forEach((item, n) => {
        const marker = b.ordered ? `${n + 1}.` : '•';
        w.ensureSpace(BODY_SIZE * 1.6);
        const y = doc.y;
        const page = w.pageIndex;
        doc.font('sans').fontSize(BODY_SIZE).fillColor(MUTED);
        doc.text(marker, w.left + indent, y, { width: 16, align: 'right', lineBreak: false });
        doc.fillColor(INK);
        if (w.pageIndex !== page) doc.switchToPage(page);
        doc.y = y;
        const [first, ...rest] = item;
        if (first && first.type === 'paragraph') {
          w.segments(inlineSegments(first.content, BODY_SIZE, 'serif', inQuote), indent + 22);
          w.gap(BODY_SIZE * 0.25);
          drawBlocks(w, rest, indent + 22, sessionUrl, inQuote);
        } else drawBlocks(w, item, indent + 22, sessionUrl, inQuote);
      });
      w.gap(BODY_SIZE * 0.3);
      return;
    }
    case 'blockquote': {
      const startPage = w.pageIndex;
      const startY = doc.y;
      drawBlocks(w, b.blocks, indent + 14, sessionUrl, true);
      // The last block's spacing is below the quote, not beside it.
      w.bar(startPage, startY, w.left + indent + 4, RULE, 2);
      w.gap(2);
      return;
    }
    case 'code': {
      doc.font('mono').fontSize(9);
      const width = w.right - w.left - indent - 16;
      const h = doc.heightOfString(b.text || ' ', { width });
      w.ensureSpace(Math.min(h + 12, 200));
      if (doc.y + h + 12 <= w.bottom) doc.save().rect(w.left + indent, doc.y, width + 16, h + 12).fill('#f3f3f5').restore();
      doc.y += 6;
      w.segments([{ text: b.text || ' ', font: 'mono', size: 9, color: INK }], indent + 8, { lineGap: 1 });
      w.gap(12);
      return;
    }
    case 'rule':
      w.gap(6);
      w.rule();
      w.gap(10);
      return;
    case 'quote':
      drawPassage(w, b.exact, quoteAttribution(b), turnLink(sessionUrl, b.turnId), indent);
      return;
  }
}

function drawComment(w: PdfWriter, c: Comment, isReply: boolean): void {
  const indent = isReply ? 44 : 22;
  w.ensureSpace(30);
  const head: Segment[] = [
    { text: c.author.name || 'Anonymous', font: 'sans-bold', size: 9, color: INK },
    { text: ` ${commentAction(c, isReply)}, ${formatTime(c.createdAt)}`, font: 'sans', size: 9, color: MUTED },
  ];
  if (c.tags.length) {
    head.push({ text: ' — tags: ', font: 'sans', size: 9, color: MUTED });
    c.tags.forEach((t, i) => head.push({ text: `${i ? ', ' : ''}${t}`, font: 'sans-oblique', size: 9, color: MUTED }));
  }
  w.segments(head, indent);
  if (c.body) {
    w.gap(1);
    w.segments([{ text: c.body, font: 'serif', size: 10, color: INK }], indent);
  }
  w.gap(5);
}

function drawThread(w: PdfWriter, t: Thread, ix: TranscriptIndex): void {
  const doc = w.doc;
  const { where, kind } = whereSaid(ix, t.root.turnId);
  doc.font('serif').fontSize(10);
  const first = t.root.body ? doc.heightOfString(t.root.body, { width: w.right - w.left - 22 }) : 0;
  if (t.root.target) drawPassage(w, t.root.target.exact, where, null, 22, Math.min(first, 60) + 16);
  else {
    w.ensureSpace(40);
    w.segments([{ text: `On the whole ${kind} (${where}):`, font: 'serif-italic', size: 9.5, color: MUTED }], 22);
    w.gap(2);
  }
  drawComment(w, t.root, false);
  for (const r of t.replies) drawComment(w, r, true);
  w.gap(4);
}

function drawTurn(w: PdfWriter, e: TurnEntry, ix: TranscriptIndex): void {
  const { turn } = e;
  w.ensureSpace(BODY_SIZE * 4);
  const segs: Segment[] = [{ text: `${turnLabel(e)}: `, font: 'sans-bold', size: 9.5, color: INK }];
  const note: Segment | null = turn.note ? { text: `[${turn.note}]`, font: 'serif-italic', size: 10, color: MUTED } : null;
  if (turn.kind === 'question' && note) segs.push({ ...note, text: `${note.text} ` });
  if (e.gist) segs.push({ text: e.gist, font: 'serif', size: 10, color: INK });
  if (turn.kind !== 'question' && note) segs.push({ ...note, text: ` ${note.text}` });
  w.segments(segs, 0);
  w.gap(3);
  if (e.verdicts.length) {
    w.segments([{ text: `Verdicts: ${e.verdicts.map(([v, n]) => `${v} ${n}`).join(' · ')}`, font: 'sans', size: 8.5, color: MUTED }], 0);
    w.gap(4);
  }
  for (const t of e.threads) drawThread(w, t, ix);
  w.gap(6);
}

function collect(doc: Doc): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    doc.on('data', (c: Uint8Array) => chunks.push(c));
    doc.on('error', reject);
    doc.on('end', () => {
      const total = chunks.reduce((n, c) => n + c.byteLength, 0);
      const out = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.byteLength;
      }
      resolve(out);
    });
  });
}

/**
 * The session as an A4 PDF: title block with place and date, the brief
 * (headings, paragraphs, lists, quotes and passage quotes with who said them),
 * then the appendix of comments; page numbers on every page.
 */
export async function sessionToPdf(input: SessionExportInput): Promise<Uint8Array> {
  const outline = sessionOutline(input);
  const ix = indexTranscript(input.transcript);
  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 64, left: 64, right: 64 },
    // Buffered, to write "page n of N" once N is known and to draw quote bars across page breaks.
    bufferPages: true,
    lang: 'en',
    displayTitle: true,
    info: {
      Title: outline.title,
      Subject: outline.transcriptTitle ?? input.transcript.title,
      Creator: 'Parley',
      Producer: 'Parley (pdfkit)',
      CreationDate: input.exportedAt ?? new Date(),
    },
  });
  const done = collect(doc);
  const dir = fontDir();
  for (const [name, file] of Object.entries(FONT_FILES)) doc.registerFont(name, path.join(/*turbopackIgnore: true*/ dir, file));

  const w = new PdfWriter(doc);

  // Title block.
  w.segments([{ text: outline.title, font: 'serif-bold', size: 20, color: INK }], 0, { lineGap: 3 });
  w.gap(4);
  if (outline.transcriptTitle) {
    w.segments([{ text: outline.transcriptTitle, font: 'serif-italic', size: 11.5, color: INK }], 0);
    w.gap(3);
  }
  const meta = [outline.place, outline.date].filter(Boolean).join(' · ');
  if (meta) w.segments([{ text: meta, font: 'sans', size: 9.5, color: MUTED }], 0);
  const counts: Segment[] = [
    {
      text: `${countsLine(outline)}${input.exportedAt ? `, exported ${formatTime(input.exportedAt.getTime())}` : ''}.`,
      font: 'sans',
      size: 9.5,
      color: MUTED,
    },
  ];
  if (input.sessionUrl) {
    counts.push({ text: '  ', font: 'sans', size: 9.5, color: MUTED });
    counts.push({ text: 'Open the session ↗', font: 'sans', size: 9.5, color: MUTED, link: input.sessionUrl });
  }
  w.segments(counts, 0);
  w.gap(8);
  w.rule(INK, 1.2);
  w.gap(16);

  const brief = input.brief ?? [];
  if (brief.length) {
    drawBlocks(w, brief, 0, input.sessionUrl);
    doc.addPage();
  }

  w.segments([{ text: 'Appendix: comments', font: 'sans-bold', size: 17, color: INK }], 0);
  w.gap(8);
  for (const s of outline.sections) {
    w.ensureSpace(70);
    w.gap(6);
    w.segments([{ text: s.heading, font: 'sans-bold', size: 12.5, color: INK }], 0);
    w.gap(6);
    for (const e of s.turns) drawTurn(w, e, ix);
  }

  // Page numbers, written last so that each page knows how many there are.
  const range = doc.bufferedPageRange();
  const footerTitle = outline.title.length > 80 ? `${outline.title.slice(0, 79)}…` : outline.title;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    // Text below the bottom margin would make pdfkit start a new page: lift the margin while writing the footer.
    doc.page.margins.bottom = 0;
    doc
      .font('sans')
      .fontSize(8)
      .fillColor(MUTED)
      .text(`${footerTitle}  ·  ${i + 1} / ${range.count}`, w.left, doc.page.height - 40, {
        width: w.right - w.left,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.end();
  return done;
}
